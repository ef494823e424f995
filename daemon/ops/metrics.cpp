#include "ops/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace sm::ops {
namespace {

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Go's strconv.FormatFloat(v, 'g', -1, 64) is what Prometheus itself writes; any shortest round-trip form parses.
void append_number(double v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  }
}

void append_escaped(std::string_view s, bool quote, std::string& out) {
  for (const char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// `{a="x",b="y"}` with an optional trailing `le`; nothing when there are no labels at all.
void append_labels(const Labels& labels, std::string_view le, std::string& out) {
  if (labels.empty() && le.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    append_escaped(v, true, out);
    out += '"';
  }
  if (!le.empty()) {
    if (!first) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i])) throw std::invalid_argument("histogram bucket bounds must be finite");
    if (i > 0 && !(bounds_[i - 1] < bounds_[i])) {
      throw std::invalid_argument("histogram bucket bounds must be strictly increasing");
    }
  }
}

void Histogram::observe(double v) {
  if (std::isnan(v)) return;
  // Buckets are "less than or equal": the first bound not below v.
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  counts_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::bucket_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
  return out;
}

std::vector<double> exponential_buckets(double start, double factor, std::size_t count) {
  if (!(start > 0) || !(factor > 1)) throw std::invalid_argument("exponential_buckets needs start > 0, factor > 1");
  std::vector<double> out;
  out.reserve(count);
  for (double b = start; out.size() < count; b *= factor) out.push_back(b);
  return out;
}

struct MetricsRegistry::Series {
  // Empty until the registering call fills it; then an owned metric, or a callback read at scrape time.
  std::variant<std::monostate, std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>,
               std::function<double()>>
      metric;
};

struct MetricsRegistry::Family {
  Type type;
  std::string help;
  std::vector<std::string> label_names;  // sorted; the same for every series of the family
  std::map<Labels, Series> series;       // sorted by label values: a stable exposition order
  std::function<void(std::vector<Sample>&)> collect;  // set for a family collected at scrape time
};

MetricsRegistry::MetricsRegistry(std::string prefix) : prefix_(std::move(prefix)) {
  if (!prefix_.empty() && !valid_name(prefix_, true)) throw std::invalid_argument("invalid metric prefix: " + prefix_);
}

MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Series& MetricsRegistry::series(Type type, std::string_view name, std::string_view help,
                                                 Labels labels) {
  const std::string n(name);
  if (!valid_name(name, true)) throw std::invalid_argument("invalid metric name: " + n);
  if (name.substr(0, prefix_.size()) != prefix_ || name.size() == prefix_.size()) {
    throw std::invalid_argument("metric name must start with " + prefix_ + ": " + n);
  }
  if (type == Type::kCounter && !ends_with(name, "_total")) {
    throw std::invalid_argument("counter name must end in _total: " + n);
  }
  if (type != Type::kCounter && ends_with(name, "_total")) {
    throw std::invalid_argument("only counters end in _total: " + n);
  }
  for (const std::string_view reserved : {"_bucket", "_sum", "_count"}) {
    if (ends_with(name, reserved)) throw std::invalid_argument("metric name ends in a reserved suffix: " + n);
  }

  std::sort(labels.begin(), labels.end());
  std::vector<std::string> label_names;
  for (const auto& [k, v] : labels) {
    if (!valid_name(k, false) || k.rfind("__", 0) == 0) throw std::invalid_argument("invalid label name: " + k);
    if (type == Type::kHistogram && k == "le") throw std::invalid_argument("`le` is reserved in histograms: " + n);
    if (!label_names.empty() && label_names.back() == k) throw std::invalid_argument("duplicate label: " + k);
    label_names.push_back(k);
  }

  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(n, Family{type, std::string(help), label_names, {}, {}}).first;
  } else {
    const Family& f = it->second;
    if (f.type != type) throw std::invalid_argument("metric registered again with another type: " + n);
    if (f.help != help) throw std::invalid_argument("metric registered again with another help text: " + n);
    if (f.label_names != label_names) throw std::invalid_argument("metric registered again with other labels: " + n);
    if (f.collect) throw std::invalid_argument("metric family is collected at scrape time: " + n);
  }
  return it->second.series[std::move(labels)];
}

namespace {

// The metric a series already holds, or a new one put there; a series that holds something else (a callback)
// cannot be handed out as an updatable metric.
template <typename M, typename Variant, typename... Args>
M& owned(Variant& metric, std::string_view name, Args&&... args) {
  if (std::holds_alternative<std::monostate>(metric)) metric = std::make_unique<M>(std::forward<Args>(args)...);
  if (auto* m = std::get_if<std::unique_ptr<M>>(&metric)) return **m;
  throw std::invalid_argument("metric series already registered as a callback: " + std::string(name));
}

template <typename Variant>
void set_callback(Variant& metric, std::string_view name, std::function<double()>&& read) {
  if (!std::holds_alternative<std::monostate>(metric)) {
    throw std::invalid_argument("metric series registered twice: " + std::string(name));
  }
  metric = std::move(read);
}

}  // namespace

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mutex_);
  return owned<Counter>(series(Type::kCounter, name, help, std::move(labels)).metric, name);
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, Labels labels) {
  std::lock_guard lock(mutex_);
  return owned<Gauge>(series(Type::kGauge, name, help, std::move(labels)).metric, name);
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help, const std::vector<double>& bounds,
                                      Labels labels) {
  const Histogram validated(bounds);  // throws on bad bounds before anything is registered
  std::lock_guard lock(mutex_);
  Histogram& h = owned<Histogram>(series(Type::kHistogram, name, help, std::move(labels)).metric, name, bounds);
  if (h.bounds() != bounds) {
    throw std::invalid_argument("histogram registered again with other buckets: " + std::string(name));
  }
  return h;
}

void MetricsRegistry::gauge_callback(std::string_view name, std::string_view help, Labels labels,
                                     std::function<double()> read) {
  if (!read) throw std::invalid_argument("empty metric callback: " + std::string(name));
  std::lock_guard lock(mutex_);
  set_callback(series(Type::kGauge, name, help, std::move(labels)).metric, name, std::move(read));
}

void MetricsRegistry::counter_callback(std::string_view name, std::string_view help, Labels labels,
                                       std::function<double()> read) {
  if (!read) throw std::invalid_argument("empty metric callback: " + std::string(name));
  std::lock_guard lock(mutex_);
  set_callback(series(Type::kCounter, name, help, std::move(labels)).metric, name, std::move(read));
}

void MetricsRegistry::gauge_family_callback(std::string_view name, std::string_view help,
                                            const std::vector<std::string>& label_names,
                                            std::function<void(std::vector<Sample>&)> collect) {
  if (!collect) throw std::invalid_argument("empty metric callback: " + std::string(name));
  Labels probe;
  for (const auto& l : label_names) probe.emplace_back(l, "");
  std::lock_guard lock(mutex_);
  if (families_.find(name) != families_.end()) {
    throw std::invalid_argument("metric family registered twice: " + std::string(name));
  }
  series(Type::kGauge, name, help, std::move(probe));  // validates the name and the label names
  Family& f = families_.find(name)->second;
  f.series.clear();
  f.collect = std::move(collect);
}

void MetricsRegistry::render_family(const std::string& name, const Family& family, std::string& out) {
  static constexpr std::string_view kTypeNames[] = {"counter", "gauge", "histogram"};
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped(family.help, false, out);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += kTypeNames[static_cast<int>(family.type)];
  out += '\n';

  if (family.collect) {
    std::vector<Sample> samples;
    family.collect(samples);
    std::map<Labels, double> sorted;
    for (auto& sample : samples) {
      std::sort(sample.labels.begin(), sample.labels.end());
      bool same = sample.labels.size() == family.label_names.size();
      for (std::size_t i = 0; same && i < sample.labels.size(); ++i) same = sample.labels[i].first == family.label_names[i];
      if (same) sorted[std::move(sample.labels)] = sample.value;
    }
    for (const auto& [labels, value] : sorted) {
      out += name;
      append_labels(labels, {}, out);
      out += ' ';
      append_number(value, out);
      out += '\n';
    }
    return;
  }

  for (const auto& [labels, s] : family.series) {
    if (const auto* h = std::get_if<std::unique_ptr<Histogram>>(&s.metric)) {
      const auto counts = (*h)->bucket_counts();
      const auto& bounds = (*h)->bounds();
      std::uint64_t cumulative = 0;
      std::string le;
      for (std::size_t i = 0; i < counts.size(); ++i) {
        cumulative += counts[i];
        le.clear();
        append_number(i < bounds.size() ? bounds[i] : HUGE_VAL, le);
        out += name;
        out += "_bucket";
        append_labels(labels, le, out);
        out += ' ';
        out += std::to_string(cumulative);
        out += '\n';
      }
      out += name;
      out += "_sum";
      append_labels(labels, {}, out);
      out += ' ';
      append_number((*h)->sum(), out);
      out += '\n';
      out += name;
      out += "_count";
      append_labels(labels, {}, out);
      out += ' ';
      out += std::to_string(cumulative);
      out += '\n';
      continue;
    }
    out += name;
    append_labels(labels, {}, out);
    out += ' ';
    if (const auto* c = std::get_if<std::unique_ptr<Counter>>(&s.metric)) {
      out += std::to_string((*c)->value());
    } else if (const auto* g = std::get_if<std::unique_ptr<Gauge>>(&s.metric)) {
      append_number((*g)->value(), out);
    } else if (const auto* read = std::get_if<std::function<double()>>(&s.metric)) {
      append_number((*read)(), out);
    } else {
      out += '0';  // unreachable: every registering call fills the series it creates
    }
    out += '\n';
  }
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) render_family(name, family, out);
  return out;
}

}  // namespace sm::ops
