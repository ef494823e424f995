#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sm::ops {

// Label pairs of one series, e.g. {{"tier", "HIGH"}}. Order does not matter: the registry sorts them by name.
using Labels = std::vector<std::pair<std::string, std::string>>;

// A monotonically increasing count. Lock-free; safe from any thread.
class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down. Lock-free; safe from any thread.
class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  void inc() { add(1.0); }
  void dec() { add(-1.0); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted in fixed buckets (upper bounds, inclusive), as Prometheus histograms are. Lock-free; safe
// from any thread. NaN observations are ignored. A scrape that races observe() may see _sum lag the buckets by
// the racing observations; _count is always the +Inf bucket.
class Histogram {
 public:
  // `bounds` must be finite and strictly increasing; +Inf is implicit. Throws std::invalid_argument otherwise.
  explicit Histogram(std::vector<double> bounds);

  void observe(double v);

  const std::vector<double>& bounds() const { return bounds_; }
  // Per-bucket counts, not cumulative; one more than bounds() (the last is the +Inf bucket).
  std::vector<std::uint64_t> bucket_counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0.0};
};

// `count` bounds: start, start*factor, start*factor^2, ... (start > 0, factor > 1).
std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

// The daemon's metrics and their Prometheus text exposition (format 0.0.4).
//
// Register metrics at start-up (each call takes a mutex); keep the returned reference and update it on the hot
// path without locks. References stay valid for the registry's lifetime. Registering the same name and labels
// again returns the same metric. Misuse is a programming error found at start-up: a name without the registry's
// prefix, a counter not ending in `_total`, an invalid name or label, a name reused with another type, help or
// set of label names, all throw std::invalid_argument.
//
// Names follow Prometheus conventions: the `sanctions_monitor_` prefix, base units (`_seconds`, `_bytes`),
// `_total` for counters.
class MetricsRegistry {
 public:
  static constexpr std::string_view kDefaultPrefix = "sanctions_monitor_";

  explicit MetricsRegistry(std::string prefix = std::string(kDefaultPrefix));
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;
  ~MetricsRegistry();

  Counter& counter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, Labels labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, const std::vector<double>& bounds,
                       Labels labels = {});

  // Series whose value is read at scrape time, for values that live elsewhere (a queue's depth, a component's own
  // atomic counters). `read` runs on the scraping thread with the registry's mutex held: it must be thread-safe,
  // quick, and must not call back into the registry. It must stay callable for the registry's lifetime.
  void gauge_callback(std::string_view name, std::string_view help, Labels labels, std::function<double()> read);
  void counter_callback(std::string_view name, std::string_view help, Labels labels, std::function<double()> read);

  // One sample of a family collected at scrape time.
  struct Sample {
    Labels labels;
    double value = 0;
  };
  // A gauge family whose series are only known at scrape time (per-partition lag, an info gauge whose labels
  // change on reload): `collect` appends the current samples, each with exactly `label_names`. Same rules as
  // gauge_callback for `collect`; a sample with other label names is dropped. A family is either collected or
  // made of registered series, never both.
  void gauge_family_callback(std::string_view name, std::string_view help, const std::vector<std::string>& label_names,
                             std::function<void(std::vector<Sample>&)> collect);

  // Every metric in the text exposition format 0.0.4: families sorted by name, series by labels, each family
  // with its HELP and TYPE lines. Thread-safe.
  std::string render() const;

  // The Content-Type that goes with render().
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Series;
  struct Family;

  // The series for (name, labels), created empty if new, after checking the name and labels. Needs mutex_ held.
  Series& series(Type type, std::string_view name, std::string_view help, Labels labels);
  static void render_family(const std::string& name, const Family& family, std::string& out);

  const std::string prefix_;
  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;  // guarded by mutex_
};

}  // namespace sm::ops
