#include "ops/metrics.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sm::ops {
namespace {

TEST(MetricsRegistry, CounterRendersWithHelpTypeAndValue) {
  MetricsRegistry registry;
  Counter& c = registry.counter("sanctions_monitor_events_total", "Events consumed.");
  c.inc();
  c.inc(4);
  EXPECT_EQ(registry.render(),
            "# HELP sanctions_monitor_events_total Events consumed.\n"
            "# TYPE sanctions_monitor_events_total counter\n"
            "sanctions_monitor_events_total 5\n");
}

TEST(MetricsRegistry, SameNameAndLabelsReturnTheSameMetric) {
  MetricsRegistry registry;
  Counter& a = registry.counter("sanctions_monitor_x_total", "X.", {{"k", "v"}});
  Counter& b = registry.counter("sanctions_monitor_x_total", "X.", {{"k", "v"}});
  Counter& other = registry.counter("sanctions_monitor_x_total", "X.", {{"k", "w"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
}

TEST(MetricsRegistry, OutputIsSortedByFamilyThenLabelsAndLabelNamesSorted) {
  MetricsRegistry registry;
  registry.gauge("sanctions_monitor_zeta", "Z.").set(1);
  registry.counter("sanctions_monitor_alerts_total", "Alerts.", {{"tier", "LOW"}, {"a", "1"}}).inc();
  registry.counter("sanctions_monitor_alerts_total", "Alerts.", {{"tier", "HIGH"}, {"a", "1"}}).inc(2);
  EXPECT_EQ(registry.render(),
            "# HELP sanctions_monitor_alerts_total Alerts.\n"
            "# TYPE sanctions_monitor_alerts_total counter\n"
            "sanctions_monitor_alerts_total{a=\"1\",tier=\"HIGH\"} 2\n"
            "sanctions_monitor_alerts_total{a=\"1\",tier=\"LOW\"} 1\n"
            "# HELP sanctions_monitor_zeta Z.\n"
            "# TYPE sanctions_monitor_zeta gauge\n"
            "sanctions_monitor_zeta 1\n");
}

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry.gauge("sanctions_monitor_g", "Line one\nback\\slash \"quoted\"", {{"name", "a\"b\\c\nd"}}).set(0.5);
  EXPECT_EQ(registry.render(),
            "# HELP sanctions_monitor_g Line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE sanctions_monitor_g gauge\n"
            "sanctions_monitor_g{name=\"a\\\"b\\\\c\\nd\"} 0.5\n");
}

TEST(MetricsRegistry, GaugeSetAddAndCallback) {
  MetricsRegistry registry;
  Gauge& g = registry.gauge("sanctions_monitor_queue_depth", "Depth.");
  g.set(10);
  g.add(2.5);
  g.dec();
  EXPECT_DOUBLE_EQ(g.value(), 11.5);
  double lag = 3;
  registry.gauge_callback("sanctions_monitor_lag_seconds", "Lag.", {}, [&lag] { return lag; });
  registry.counter_callback("sanctions_monitor_processed_total", "Processed.", {}, [] { return 42.0; });
  lag = 7.25;  // read at scrape time, not at registration
  const std::string text = registry.render();
  EXPECT_NE(text.find("sanctions_monitor_lag_seconds 7.25\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sanctions_monitor_processed_total 42\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sanctions_monitor_queue_depth 11.5\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, SpecialFloatValues) {
  MetricsRegistry registry;
  registry.gauge("sanctions_monitor_a", "A.").set(std::numeric_limits<double>::infinity());
  registry.gauge("sanctions_monitor_b", "B.").set(-std::numeric_limits<double>::infinity());
  registry.gauge("sanctions_monitor_c", "C.").set(std::numeric_limits<double>::quiet_NaN());
  const std::string text = registry.render();
  EXPECT_NE(text.find("sanctions_monitor_a +Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sanctions_monitor_b -Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sanctions_monitor_c NaN\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  Histogram& h = registry.histogram("sanctions_monitor_latency_seconds", "Latency.", {0.1, 1, 2.5}, {{"stage", "x"}});
  for (const double v : {0.05, 0.1, 0.5, 3.0, 100.0}) h.observe(v);
  h.observe(std::numeric_limits<double>::quiet_NaN());  // ignored
  EXPECT_EQ(registry.render(),
            "# HELP sanctions_monitor_latency_seconds Latency.\n"
            "# TYPE sanctions_monitor_latency_seconds histogram\n"
            "sanctions_monitor_latency_seconds_bucket{stage=\"x\",le=\"0.1\"} 2\n"
            "sanctions_monitor_latency_seconds_bucket{stage=\"x\",le=\"1\"} 3\n"
            "sanctions_monitor_latency_seconds_bucket{stage=\"x\",le=\"2.5\"} 3\n"
            "sanctions_monitor_latency_seconds_bucket{stage=\"x\",le=\"+Inf\"} 5\n"
            "sanctions_monitor_latency_seconds_sum{stage=\"x\"} 103.65\n"
            "sanctions_monitor_latency_seconds_count{stage=\"x\"} 5\n");
}

TEST(MetricsRegistry, RejectsNamesThatBreakConventions) {
  MetricsRegistry registry;
  EXPECT_THROW(registry.counter("events_total", "No prefix."), std::invalid_argument);
  EXPECT_THROW(registry.counter("sanctions_monitor_events", "Counter without _total."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_things_total", "Gauge with _total."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_bad-name", "Dash."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_x", "Bad label.", {{"1abc", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_x", "Reserved label.", {{"__name", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_x", "Duplicate.", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("sanctions_monitor_h_seconds", "le.", {1}, {{"le", "1"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("sanctions_monitor_h_seconds", "Unsorted.", {2, 1}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_x_count", "Reserved suffix."), std::invalid_argument);
  EXPECT_EQ(registry.render(), "");  // nothing half-registered
}

TEST(MetricsRegistry, RejectsReuseWithAnotherTypeHelpOrLabelNames) {
  MetricsRegistry registry;
  registry.gauge("sanctions_monitor_depth", "Depth.", {{"queue", "a"}});
  EXPECT_THROW(registry.histogram("sanctions_monitor_depth", "Depth.", {1}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_depth", "Other help.", {{"queue", "a"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("sanctions_monitor_depth", "Depth.", {{"topic", "a"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge_callback("sanctions_monitor_depth", "Depth.", {{"queue", "a"}}, [] { return 1.0; }),
               std::invalid_argument);
  registry.histogram("sanctions_monitor_h_seconds", "H.", {1, 2});
  EXPECT_THROW(registry.histogram("sanctions_monitor_h_seconds", "H.", {1, 3}), std::invalid_argument);
}

TEST(MetricsRegistry, ConcurrentIncrementsAreAllCounted) {
  MetricsRegistry registry;
  Counter& c = registry.counter("sanctions_monitor_n_total", "N.");
  Histogram& h = registry.histogram("sanctions_monitor_d_seconds", "D.", {0.5});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) {
        c.inc();
        h.observe(1.0);
      }
    });
  }
  std::thread scraper([&] {
    for (int i = 0; i < 50; ++i) (void)registry.render();
  });
  for (auto& t : threads) t.join();
  scraper.join();
  EXPECT_EQ(c.value(), 400000u);
  EXPECT_EQ(h.bucket_counts(), (std::vector<std::uint64_t>{0, 400000}));
  EXPECT_DOUBLE_EQ(h.sum(), 400000.0);
}

TEST(MetricsRegistry, CollectedFamilyShowsTheSeriesOfTheMomentOnly) {
  MetricsRegistry registry;
  std::vector<MetricsRegistry::Sample> current = {{{{"partition", "1"}, {"topic", "t"}}, 7},
                                                  {{{"topic", "t"}, {"partition", "0"}}, 3},
                                                  {{{"topic", "t"}}, 99}};  // wrong label set: dropped
  registry.gauge_family_callback("sanctions_monitor_lag", "Lag.", {"topic", "partition"},
                                 [&current](std::vector<MetricsRegistry::Sample>& out) { out = current; });
  EXPECT_EQ(registry.render(),
            "# HELP sanctions_monitor_lag Lag.\n"
            "# TYPE sanctions_monitor_lag gauge\n"
            "sanctions_monitor_lag{partition=\"0\",topic=\"t\"} 3\n"
            "sanctions_monitor_lag{partition=\"1\",topic=\"t\"} 7\n");
  current = {{{{"topic", "t"}, {"partition", "2"}}, 1}};  // partitions 0 and 1 revoked, 2 assigned
  EXPECT_EQ(registry.render(),
            "# HELP sanctions_monitor_lag Lag.\n"
            "# TYPE sanctions_monitor_lag gauge\n"
            "sanctions_monitor_lag{partition=\"2\",topic=\"t\"} 1\n");
  EXPECT_THROW(registry.gauge("sanctions_monitor_lag", "Lag.", {{"partition", "0"}, {"topic", "t"}}),
               std::invalid_argument);
  EXPECT_THROW(registry.gauge_family_callback("sanctions_monitor_lag", "Lag.", {"topic", "partition"},
                                              [](std::vector<MetricsRegistry::Sample>&) {}),
               std::invalid_argument);
  EXPECT_THROW(registry.gauge_family_callback("sanctions_monitor_bad", "Bad.", {"le-x"},
                                              [](std::vector<MetricsRegistry::Sample>&) {}),
               std::invalid_argument);
}

TEST(ExponentialBuckets, GrowsByFactor) {
  EXPECT_EQ(exponential_buckets(0.5, 2, 4), (std::vector<double>{0.5, 1, 2, 4}));
  EXPECT_THROW(exponential_buckets(0, 2, 3), std::invalid_argument);
  EXPECT_THROW(exponential_buckets(1, 1, 3), std::invalid_argument);
}

}  // namespace
}  // namespace sm::ops
