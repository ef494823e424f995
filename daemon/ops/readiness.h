#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sm::ops {

class MetricsRegistry;

// Whether the daemon should receive work: a set of named conditions, each met or not with a reason. Ready when
// every declared condition is met. Declare every condition at start-up, before the HTTP endpoint starts, so that
// nothing looks ready before it was even asked. Thread-safe: any thread may set a condition (the Kafka callbacks,
// the reload path), the HTTP loop reads.
class Readiness {
 public:
  // The conditions the daemon declares (names are shown to operators in /readyz and in metric labels).
  static constexpr std::string_view kListsLoaded = "lists loaded";
  static constexpr std::string_view kPartitionsAssigned = "partitions assigned and state restored";
  static constexpr std::string_view kBrokerReachable = "broker reachable";
  static constexpr std::string_view kMergeAssigned = "merge stage partitions assigned and state restored";
  static constexpr std::string_view kFxRatesRead = "fx rates read";  // Only when [aggregates] fx_rates_topic is set.

  struct Condition {
    std::string name;
    bool met = false;
    std::string reason;  // why not met (or a note when met); may be empty
  };

  // Adds a condition, not met, with `reason` as the first explanation. Declaring a known name again does nothing.
  void declare(std::string_view name, std::string_view reason = "not yet checked");

  // Marks a declared condition met or not; `reason` says why (shown by /readyz). Returns false, changing nothing,
  // for a name never declared: a typo must not make the daemon look ready.
  bool set(std::string_view name, bool met, std::string_view reason = {});

  // True when every declared condition is met.
  bool ready() const;

  // Every condition, sorted by name.
  std::vector<Condition> conditions() const;

  // The verdict and its explanation from one snapshot: text is "ready" or "not ready", then one line per
  // condition ("[+] name" or "[-] name: reason"), as /readyz shows it.
  struct Report {
    bool ready = false;
    std::string text;
  };
  Report report() const;

  // Exports `sanctions_monitor_ready` (1 or 0) and `sanctions_monitor_readiness_condition{condition=...}` for every
  // condition declared so far. Call after declaring; this object must outlive `registry`'s scrapes.
  void export_metrics(MetricsRegistry& registry) const;

 private:
  struct State {
    bool met = false;
    std::string reason;
  };
  mutable std::mutex mutex_;
  std::map<std::string, State, std::less<>> conditions_;  // guarded by mutex_
};

}  // namespace sm::ops
