#include "app/service_metrics.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <limits>

namespace sm::app {
namespace {

constexpr std::string_view kRejected = "sanctions_monitor_events_rejected_total";
constexpr std::string_view kRejectedHelp =
    "Input records refused by decoding or validation, by rejection code (each is dead-lettered); counted again "
    "when an aborted transaction is re-delivered.";

// Codes of decode::Rejection, registered up front so that every series exists (at 0) before the first one.
constexpr std::string_view kRejectionCodes[] = {"bad_json",         "bad_protobuf",    "bad_framing",
                                                "missing_field",    "bad_event_time",  "unknown_country",
                                                "unknown_currency", "bad_amount",      "negative_amount",
                                                "bad_hs_code",      "too_large"};

double seconds_since_epoch() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Modification time of the oldest list file (Unix seconds), or NaN when none can be read (sample lists missing).
double oldest_list_mtime(const engine::EngineContext& ctx) {
  double oldest = std::numeric_limits<double>::quiet_NaN();
  for (const auto& s : ctx.screener->summaries()) {
    struct stat st {};
    if (::stat(s.path.c_str(), &st) != 0) continue;
    const double t = static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9;
    if (!(oldest <= t)) oldest = t;
  }
  return oldest;
}

}  // namespace

ProcessorMetrics::ProcessorMetrics(ops::MetricsRegistry& registry)
    : registry_(registry),
      processing_(registry.histogram("sanctions_monitor_processing_duration_seconds",
                                     "Time to handle one input record: decode, validate, screen, classify, score, "
                                     "aggregate and serialise its outputs.",
                                     ops::exponential_buckets(10e-6, 2, 17))),
      commit_latency_(registry.histogram("sanctions_monitor_commit_latency_seconds",
                                         "From an input record's Kafka timestamp to the commit of the transaction "
                                         "holding its outputs (visible to read_committed consumers).",
                                         ops::exponential_buckets(1e-3, 2, 18))) {
  for (const auto code : kRejectionCodes) on_rejected_register(code);
}

void ProcessorMetrics::on_rejected(std::string_view code) {
  auto it = rejected_.find(code);
  if (it == rejected_.end()) it = on_rejected_register(code);
  it->second->inc();
}

ProcessorMetrics::CounterMap::iterator ProcessorMetrics::on_rejected_register(std::string_view code) {
  ops::Counter& c = registry_.counter(kRejected, kRejectedHelp, {{"reason", std::string(code)}});
  return rejected_.emplace(std::string(code), &c).first;
}

void ProcessorMetrics::on_processed(std::chrono::nanoseconds elapsed) {
  processing_.observe(std::chrono::duration<double>(elapsed).count());
}

void ProcessorMetrics::on_committed(std::span<const std::int64_t> record_timestamps_ms, std::int64_t now_ms) {
  // A producer clock ahead of ours would give a negative latency: counted as 0 rather than dropped.
  for (const auto ts : record_timestamps_ms) commit_latency_.observe(static_cast<double>(std::max<std::int64_t>(0, now_ms - ts)) / 1000.0);
}

void register_service_metrics(ops::MetricsRegistry& registry, const pipeline::EngineProcessor& processor,
                              const kafka::TransactionalRunner& runner, std::vector<kafka::ConsumerLagTracker*> lags) {
  const auto& st = processor.stats();
  const auto& rc = runner.counters();
  auto counter = [&](std::string_view name, std::string_view help, const std::atomic<std::uint64_t>& v,
                     ops::Labels labels = {}) {
    registry.counter_callback(name, help, std::move(labels), [&v] { return static_cast<double>(v.load()); });
  };
  counter("sanctions_monitor_events_consumed_total", "Input records consumed from Kafka.", rc.consumed);
  counter("sanctions_monitor_events_processed_total", "Events decoded, validated and assessed.", st.processed);
  counter("sanctions_monitor_dead_letters_total", "Dead-letter records acknowledged by Kafka.",
          rc.produced[kafka::kind_index(pipeline::OutputKind::kDeadLetter)]);
  counter("sanctions_monitor_screening_cache_hits_total", "Screening queries answered from the cache.", st.screening_cache_hits);
  counter("sanctions_monitor_screening_cache_misses_total", "Screening queries run against the lists.", st.screening_cache_misses);
  counter("sanctions_monitor_assess_batches_total", "Batches of records judged with [processing] assess_threads > 1.",
          st.assess_batches);
  counter("sanctions_monitor_assess_batches_spread_total",
          "Of those, batches spread over the assess threads (names were being screened afresh).", st.assess_batches_spread);
  counter("sanctions_monitor_late_events_total", "Events that arrived after a window they belong to had closed.", st.late);
  for (int tier = 1; tier <= 4; ++tier) {
    counter("sanctions_monitor_assessments_total", "Assessed events by risk tier (alerts are published from the configured minimum tier).",
            st.alerts_by_tier[tier], {{"tier", score::tier_name(static_cast<score::RiskTier>(tier))}});
  }
  for (auto kind : {pipeline::OutputKind::kAlert, pipeline::OutputKind::kAggregate, pipeline::OutputKind::kDeadLetter,
                    pipeline::OutputKind::kLateEvent, pipeline::OutputKind::kChangelog}) {
    counter("sanctions_monitor_records_produced_total", "Records acknowledged by Kafka, by kind.",
            rc.produced[kafka::kind_index(kind)], {{"kind", std::string(kafka::kind_name(kind))}});
  }
  counter("sanctions_monitor_transactions_committed_total", "Kafka transactions committed.", rc.transactions_committed);
  counter("sanctions_monitor_transactions_aborted_total", "Kafka transactions aborted.", rc.transactions_aborted);
  counter("sanctions_monitor_rebalances_total", "Partition assignment changes.", rc.rebalances);
  counter("sanctions_monitor_changelog_records_restored_total", "State records replayed from the changelog.", rc.restored);
  counter("sanctions_monitor_backpressure_waits_total", "Times the producer queue was full.", rc.backpressure_waits);
  registry.gauge_callback("sanctions_monitor_assigned_partitions", "Input partitions owned by this instance.", {},
                          [&rc] { return static_cast<double>(rc.assigned_partitions.load()); });

  registry.gauge_family_callback(
      "sanctions_monitor_consumer_lag",
      "Records between the group's committed position and the end of an assigned partition: stage 1's input "
      "topic and the merge stage's partial-aggregate topic (librdkafka statistics, refreshed every few seconds).",
      {"topic", "partition"}, [lags = std::move(lags)](std::vector<ops::MetricsRegistry::Sample>& out) {
        for (auto* lag : lags) {
          for (const auto& p : lag->lags()) {
            out.push_back({{{"topic", p.topic}, {"partition", std::to_string(p.partition)}}, static_cast<double>(p.lag)});
          }
        }
      });
  registry.gauge_family_callback(
      "sanctions_monitor_lists_info", "The serving lists' and rules' versions (content hashes); always 1.",
      {"version", "rules_version"}, [&processor](std::vector<ops::MetricsRegistry::Sample>& out) {
        const auto ctx = processor.context();
        out.push_back({{{"version", ctx->screener->version()}, {"rules_version", ctx->rules.version()}}, 1.0});
      });
  // Scrapes are serialised by the registry's mutex, so the lambda's cache needs no lock of its own.
  registry.gauge_callback(
      "sanctions_monitor_lists_age_seconds",
      "Age of the oldest serving list file (now minus its modification time when loaded); NaN when unknown.", {},
      [&processor, seen = std::shared_ptr<const engine::EngineContext>(), mtime = 0.0]() mutable {
        auto ctx = processor.context();
        if (ctx != seen) {
          mtime = oldest_list_mtime(*ctx);
          seen = std::move(ctx);
        }
        return seconds_since_epoch() - mtime;
      });
}

}  // namespace sm::app
