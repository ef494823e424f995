#include "app/merge_stage.h"

#include <spdlog/spdlog.h>

#include "app/service.h"

namespace sm::app {

pipeline::MergeOptions merge_options(const config::AppConfig& config, std::int32_t partial_partitions) {
  pipeline::MergeOptions o;
  o.partitions = partial_partitions;
  o.output_format = config.kafka.output_format;
  o.top_counterparties = config.aggregates.top_counterparties;
  o.emit_interval = config.aggregates.emit_interval;
  o.windows = config.aggregates.windows;  // Stage 2 sums stage 1's panes into the same windows.
  return o;
}

kafka::KafkaConfig merge_kafka_config(const config::AppConfig& config, const kafka::KafkaConfig& engine) {
  kafka::KafkaConfig k = engine;
  k.input_topic = engine.topic(pipeline::OutputKind::kAggregate);
  k.output_topics[kafka::kind_index(pipeline::OutputKind::kAggregate)] = config.kafka.aggregates_topic;
  k.output_topics[kafka::kind_index(pipeline::OutputKind::kChangelog)] = config.kafka.merge_changelog_topic;
  k.group_id = engine.group_id + ".merge";
  k.transactional_id_prefix = engine.transactional_id_prefix + "-merge";
  k.on_statistics = nullptr;
  return k;
}

std::vector<kafka::TopicSpec> deployment_topics(const config::AppConfig& config, int partitions,
                                                int replication_factor) {
  auto specs = kafka::standard_topics(kafka_config(config), partitions, replication_factor);
  for (auto& s : specs) {
    if (s.name == config.kafka.partial_aggregates_topic) {
      s.configs["cleanup.policy"] = "compact,delete";
      s.configs["retention.ms"] = "604800000";
    }
  }
  specs.push_back({config.kafka.aggregates_topic, partitions, replication_factor, {{"cleanup.policy", "compact"}}});
  specs.push_back({config.kafka.merge_changelog_topic, partitions, replication_factor, {{"cleanup.policy", "compact"}}});
  if (!config.aggregates.fx_rates_topic.empty()) {
    // Every instance reads all of it; one partition keeps every rate in one order.
    specs.push_back({config.aggregates.fx_rates_topic, 1, replication_factor, {{"cleanup.policy", "compact"}}});
  }
  return specs;
}

std::optional<Error> discover_stage_partitions(const kafka::KafkaConfig& engine, pipeline::ProcessorOptions& options) {
  auto admin = kafka::TopicAdmin::create(engine);
  if (!admin) return admin.error();
  auto input = admin->partition_count(engine.input_topic);
  if (!input) return input.error();
  auto partial = admin->partition_count(engine.topic(pipeline::OutputKind::kAggregate));
  if (!partial) return partial.error();
  options.source_partitions = *input;
  options.partial_partitions = *partial;
  spdlog::info("aggregates: {} input partitions, {} partial-aggregate partitions", *input, *partial);
  return std::nullopt;
}

MergeStage::MergeStage(const config::AppConfig& config, const kafka::KafkaConfig& engine,
                       std::int32_t partial_partitions, ops::MetricsRegistry& registry, const ProcessorWrapper& wrap)
    : processor_(merge_options(config, partial_partitions)),
      wrapped_(wrap ? wrap(processor_) : nullptr),
      runner_(
          [&] {
            auto k = merge_kafka_config(config, engine);
            k.on_statistics = [this](std::string_view json) { consumer_lag_.post(json); };
            return k;
          }(),
          wrapped_ ? *wrapped_ : processor_) {
  const auto& st = processor_.stats();
  const auto& rc = runner_.counters();
  auto counter = [&](std::string_view name, std::string_view help, const std::atomic<std::uint64_t>& v) {
    registry.counter_callback(name, help, {}, [&v] { return static_cast<double>(v.load()); });
  };
  counter("sanctions_monitor_merge_partials_total", "Partial aggregates read by the merge stage.", st.partials);
  counter("sanctions_monitor_merge_watermarks_total", "Partition watermarks read by the merge stage.", st.watermarks);
  counter("sanctions_monitor_merge_dropped_partials_total",
          "Partials for windows already final on every input partition (dropped; never expected).", st.dropped_partials);
  counter("sanctions_monitor_merge_aggregates_emitted_total", "Merged aggregate records published.", st.aggregates_emitted);
  counter("sanctions_monitor_merge_transactions_committed_total", "Merge-stage Kafka transactions committed.",
          rc.transactions_committed);
  registry.gauge_callback("sanctions_monitor_merge_assigned_partitions",
                          "Partial-aggregate partitions owned by this instance's merge stage.", {},
                          [&rc] { return static_cast<double>(rc.assigned_partitions.load()); });
}

MergeStage::~MergeStage() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void MergeStage::start(std::function<void()> on_exit) {
  thread_ = std::thread([this, on_exit = std::move(on_exit)] {
    error_ = runner_.run();
    if (on_exit) on_exit();
  });
}

void MergeStage::stop() noexcept { runner_.stop(); }

std::optional<Error> MergeStage::join() {
  if (thread_.joinable()) thread_.join();
  return error_;
}

}  // namespace sm::app
