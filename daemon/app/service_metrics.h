#pragma once

#include <map>
#include <string>
#include <vector>

#include "kafka/consumer_lag.h"
#include "kafka/transactional_runner.h"
#include "ops/metrics.h"
#include "pipeline/engine_processor.h"
#include "pipeline/processor_probe.h"

namespace sm::app {

// Every metric of the daemon is named here (docs/OPERATIONS.md lists them); the modules only count.
//
// ProcessorMetrics is the engine processor's probe: rejections by reason and the two latency histograms,
// updated on the processing thread without locks (a new rejection code registers its series once).
class ProcessorMetrics final : public pipeline::ProcessorProbe {
 public:
  explicit ProcessorMetrics(ops::MetricsRegistry& registry);

  void on_rejected(std::string_view code) override;
  void on_processed(std::chrono::nanoseconds elapsed) override;
  void on_committed(std::span<const std::int64_t> record_timestamps_ms, std::int64_t now_ms) override;

 private:
  using CounterMap = std::map<std::string, ops::Counter*, std::less<>>;
  CounterMap::iterator on_rejected_register(std::string_view code);

  ops::MetricsRegistry& registry_;
  std::map<std::string, ops::Counter*, std::less<>> rejected_;  // processing thread only
  ops::Histogram& processing_;
  ops::Histogram& commit_latency_;
};

// Registers the series read at scrape time from the processor's and the runner's counters, the per-partition
// consumer lag of every group consumer in `lags` (stage 1's input topic, the merge stage's partial topic: the
// topic label tells them apart; parsed on the scraping thread), and the serving lists' version and age.
// Everything passed must outlive the registry's last render().
void register_service_metrics(ops::MetricsRegistry& registry, const pipeline::EngineProcessor& processor,
                              const kafka::TransactionalRunner& runner, std::vector<kafka::ConsumerLagTracker*> lags);

}  // namespace sm::app
