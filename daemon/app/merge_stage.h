#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "config/app_config.h"
#include "kafka/consumer_lag.h"
#include "kafka/kafka_config.h"
#include "kafka/topic_admin.h"
#include "kafka/transactional_runner.h"
#include "model/result.h"
#include "ops/metrics.h"
#include "pipeline/engine_processor.h"
#include "pipeline/merge_processor.h"

namespace sm::app {

// Stage 2 of the aggregation in the daemon (docs/AGGREGATES.md): a MergeProcessor behind its own
// TransactionalRunner (group "<group>.merge", transactional id "<id>-merge") on its own thread, reading the
// partials that stage 1 (the engine's runner, configured by `engine`) writes and publishing merged aggregates.
class MergeStage {
 public:
  // `wrap` (optional) decorates the merge processor before its transport drives it: the dashboard's
  // dashboard::CommittedOutputTap, which sees the aggregates this stage commits.
  using ProcessorWrapper = std::function<std::unique_ptr<pipeline::RecordProcessor>(pipeline::RecordProcessor&)>;
  // `partial_partitions`: the partial topic's partition count (discover_stage_partitions), for the merge's turns.
  MergeStage(const config::AppConfig& config, const kafka::KafkaConfig& engine, std::int32_t partial_partitions,
             ops::MetricsRegistry& registry, const ProcessorWrapper& wrap = {});
  ~MergeStage();  // Stops and joins a running stage.
  MergeStage(const MergeStage&) = delete;
  MergeStage& operator=(const MergeStage&) = delete;

  // Starts the runner's thread; `on_exit` is called on that thread when the runner returns.
  void start(std::function<void()> on_exit);
  void stop() noexcept;
  // Waits for the thread; the runner's error, if it stopped on one.
  std::optional<Error> join();

  // The runner's counters (readiness: partitions assigned and restored), readable from any thread.
  const kafka::RunnerCounters& counters() const noexcept { return runner_.counters(); }
  // The merge consumer's lag on the partial topic, from its librdkafka statistics (see ConsumerLagTracker).
  kafka::ConsumerLagTracker& consumer_lag() noexcept { return consumer_lag_; }

 private:
  pipeline::MergeProcessor processor_;
  std::unique_ptr<pipeline::RecordProcessor> wrapped_;  // null: the runner drives processor_ itself
  kafka::ConsumerLagTracker consumer_lag_;              // before runner_: its statistics hook posts here
  kafka::TransactionalRunner runner_;
  std::thread thread_;
  std::optional<Error> error_;
};

// Stage 1's view of the topics: the input topic's and the partial topic's partition counts, read from the cluster
// into `options` (watermarks name every input partition and go to every partial partition).
std::optional<Error> discover_stage_partitions(const kafka::KafkaConfig& engine, pipeline::ProcessorOptions& options);

// The stage-2 transport configuration derived from stage 1's and the [kafka] names.
kafka::KafkaConfig merge_kafka_config(const config::AppConfig& config, const kafka::KafkaConfig& engine);

// Every topic of a deployment: stage 1's (standard_topics), the final aggregates and the merge changelog (both
// compacted); the partial topic is compacted and also deleted after 7 days (stage 2 reads it once; its own
// changelog holds the state); the fx rates topic, when configured, compacted with one partition.
std::vector<kafka::TopicSpec> deployment_topics(const config::AppConfig& config, int partitions,
                                                int replication_factor = -1);

// The merge options from the configuration, for a partial topic of `partial_partitions` partitions.
pipeline::MergeOptions merge_options(const config::AppConfig& config, std::int32_t partial_partitions = 1);

}  // namespace sm::app
