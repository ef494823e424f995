#include "ops/readiness.h"

#include <algorithm>

#include "ops/metrics.h"

namespace sm::ops {

void Readiness::declare(std::string_view name, std::string_view reason) {
  std::lock_guard lock(mutex_);
  if (conditions_.find(name) == conditions_.end())
    conditions_.emplace(std::string(name), State{false, std::string(reason)});
}

bool Readiness::set(std::string_view name, bool met, std::string_view reason) {
  std::lock_guard lock(mutex_);
  const auto it = conditions_.find(name);
  if (it == conditions_.end()) return false;
  it->second = State{met, std::string(reason)};
  return true;
}

bool Readiness::ready() const {
  std::lock_guard lock(mutex_);
  return std::all_of(conditions_.begin(), conditions_.end(), [](const auto& c) { return c.second.met; });
}

std::vector<Readiness::Condition> Readiness::conditions() const {
  std::lock_guard lock(mutex_);
  std::vector<Condition> out;
  out.reserve(conditions_.size());
  for (const auto& [name, state] : conditions_) out.push_back(Condition{name, state.met, state.reason});
  return out;
}

Readiness::Report Readiness::report() const {
  const auto all = conditions();
  const bool ok = std::all_of(all.begin(), all.end(), [](const Condition& c) { return c.met; });
  std::string out = ok ? "ready\n" : "not ready\n";
  for (const auto& c : all) {
    out += c.met ? "[+] " : "[-] ";
    out += c.name;
    if (!c.reason.empty()) {
      out += ": ";
      // One line per condition, whatever the reason text holds.
      for (const char ch : c.reason) out += (ch == '\n' || ch == '\r') ? ' ' : ch;
    }
    out += '\n';
  }
  return Report{ok, std::move(out)};
}

void Readiness::export_metrics(MetricsRegistry& registry) const {
  registry.gauge_callback("sanctions_monitor_ready", "1 when every readiness condition is met, else 0.", {},
                          [this] { return ready() ? 1.0 : 0.0; });
  for (const auto& c : conditions()) {
    registry.gauge_callback("sanctions_monitor_readiness_condition", "1 when the readiness condition is met, else 0.",
                            {{"condition", c.name}}, [this, name = c.name] {
                              std::lock_guard lock(mutex_);
                              const auto it = conditions_.find(name);
                              return it != conditions_.end() && it->second.met ? 1.0 : 0.0;
                            });
  }
}

}  // namespace sm::ops
