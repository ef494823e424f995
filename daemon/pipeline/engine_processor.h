#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "aggregate/window_store.h"
#include "config/app_config.h"
#include "decode/event_decoder.h"
#include "engine/engine.h"
#include "pipeline/emit_turns.h"
#include "pipeline/processor_probe.h"
#include "pipeline/record_processor.h"
#include "pipeline/worker_pool.h"

namespace sm::pipeline {

struct ProcessorOptions {
  decode::Format input_format = decode::Format::kAuto;
  config::OutputFormat output_format = config::OutputFormat::kProtobuf;
  sanctions::v1::RiskTier min_alert_tier = sanctions::v1::MEDIUM;
  config::AggregateSettings aggregates;
  ProcessorProbe* probe = nullptr;  // Optional; must outlive the processor.
  // Stage 1 of the aggregation (docs/AGGREGATES.md): kAggregate outputs are per-partition partials for the
  // partial-aggregates topic, which has `partial_partitions` partitions, and watermarks for `source_partitions`
  // input partitions (the input topic's partition count).
  std::int32_t source_partitions = 1;
  std::int32_t partial_partitions = 1;
  // Threads that decode and assess records (screening, classification, scoring). With more than one, records
  // are held in batches of kAssessBatch and judged on these threads (this one included); then, on this thread and
  // in input order, published and counted, so the outputs are the same as with one. A batch's outputs come at
  // its end, or at the next on_tick(), before_commit() or finish(); on_aborted() drops what is held. A batch is
  // spread over the threads only while names are being screened afresh (kSpreadMisses); otherwise this thread
  // judges it alone.
  std::size_t assess_threads = 1;
};

// Records judged together when ProcessorOptions::assess_threads > 1: enough that handing them to the other
// threads costs little against ~2-4 ms of work, few enough to add no latency that matters (a batch fills in
// 8 ms at 8,000 events/s, and a commit always takes what is held).
inline constexpr std::size_t kAssessBatch = 64;

// Screening-cache misses in a batch from which the next batch is spread over the assess threads: 8 of 64
// records' names screened afresh is ~600 us of work to share. A fresh daemon misses on more than every record
// (each names several parties); in steady state about 1 in 100.
inline constexpr std::uint64_t kSpreadMisses = 8;

// Counters a metrics endpoint reads; updated by the processing thread, read from anywhere.
struct ProcessorStats {
  std::atomic<std::uint64_t> processed{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> late{0};
  std::atomic<std::uint64_t> alerts_by_tier[5]{};
  std::atomic<std::uint64_t> aggregates_emitted{0};
  std::atomic<std::uint64_t> screening_cache_hits{0};
  std::atomic<std::uint64_t> screening_cache_misses{0};
  std::atomic<std::uint64_t> state_records_rejected{0};  // Changelog records restore() could not read.
  // With assess_threads > 1: batches judged, and those of them spread over the threads (the others ran on the
  // transport's thread alone, their names all but all in the screening cache).
  std::atomic<std::uint64_t> assess_batches{0};
  std::atomic<std::uint64_t> assess_batches_spread{0};
};

// The engine behind a transport: decodes each record, assesses it, publishes an alert when its tier is at least
// min_alert_tier, counts it in per-partition event-time windows, and dead-letters what cannot be decoded or
// validated (original bytes, with sm.error.* headers saying why). Decoding and assessing may run on several
// threads (ProcessorOptions::assess_threads); everything else runs on the transport's thread, in input order. Used by the Kafka daemon and by replay alike.
// Its kAggregate outputs are stage 1 of the aggregation: binary partials (Aggregate with source_partition and
// partial_kind, key partial_key(), explicit partition by WindowStore::merge_group) and, in the transaction's last
// records, a PartitionWatermark per input partition whose stream time moved, to every partial partition.
class EngineProcessor final : public RecordProcessor {
 public:
  EngineProcessor(std::shared_ptr<const engine::EngineContext> context, ProcessorOptions options);
  ~EngineProcessor() override;
  EngineProcessor(const EngineProcessor&) = delete;
  EngineProcessor& operator=(const EngineProcessor&) = delete;

  // Swaps in a new context (lists, rules, rates) for the records that follow. Thread-safe.
  void set_context(std::shared_ptr<const engine::EngineContext> context);
  std::shared_ptr<const engine::EngineContext> context() const;

  void process(const InputRecord& record, std::vector<OutputRecord>& out) override;
  void on_tick(std::int64_t now_ms, std::vector<OutputRecord>& out) override;
  void before_commit(std::vector<OutputRecord>& out) override;
  void on_committed() override;
  void on_aborted() override;
  void restore(std::int32_t partition, std::string_view key, std::string_view value) override;
  void on_assigned(const std::vector<std::int32_t>& partitions) override;
  void on_revoked(const std::vector<std::int32_t>& partitions) override;

  // End of a finite input (replay): every open window is emitted as final.
  void finish(std::vector<OutputRecord>& out);

  const ProcessorStats& stats() const { return stats_; }

 private:
  // A record read and judged: decoded, and assessed unless rejected. Thread-safe (the screening cache is).
  struct Judged {
    sanctions::v1::TradeEvent event;
    std::optional<decode::Rejection> rejection;
    engine::Assessment assessment;
  };
  // A record held for the next batch: owns what InputRecord views.
  struct HeldRecord {
    std::string topic;
    std::string key;
    std::string value;
    Headers headers;
    bool has_headers = false;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int64_t timestamp_ms = 0;
    InputRecord view() const;
  };
  void judge(const engine::EngineContext& context, const InputRecord& record, Judged& judged);
  // Publishes and counts a judged record: dead letter, alert, window contributions, closed windows.
  void apply(const InputRecord& record, Judged& judged, std::vector<OutputRecord>& out);
  void hold(const InputRecord& record);
  // Judges the held records on the worker threads, then applies them in order.
  void flush(std::vector<OutputRecord>& out);
  aggregate::WindowStore& store(std::int32_t partition);
  // Publishes partials_ as `partition`'s, and clears it.
  void emit_partials(std::int32_t partition, std::vector<OutputRecord>& out);
  void emit_watermark(std::int32_t partition, std::int64_t closed_through_ms, std::vector<OutputRecord>& out) const;
  // Emits `partition`'s watermark unless the open transaction, or else the last committed one, already said it.
  void announce(std::int32_t partition, const aggregate::WindowStore& windows, std::vector<OutputRecord>& out);
  std::string serialise(const google::protobuf::Message& message) const;

  mutable std::mutex context_mutex_;
  std::shared_ptr<const engine::EngineContext> context_;
  ProcessorOptions options_;
  std::map<std::int32_t, aggregate::WindowStore> stores_;
  EmitTurns emit_turns_;  // When each input partition emits its pane partials (on_tick).
  std::map<std::int32_t, std::int64_t> announced_;  // Watermarks committed, by input partition.
  std::map<std::int32_t, std::int64_t> announcing_;  // Watermarks in the open transaction.
  Judged judged_;  // Reused across records on the one-thread path.
  aggregate::EventContribution contribution_;  // Reused across records.
  std::vector<aggregate::EncodedPartial> partials_;  // Taken from a store, to publish.
  std::unique_ptr<WorkerPool> pool_;  // Null with one assess thread.
  std::vector<HeldRecord> held_;      // The batch, in input order (assess_threads > 1): its first held_count_.
  std::size_t held_count_ = 0;        // The rest keep their strings' capacity for the next batches.
  std::vector<Judged> batch_;         // Its judgements; reused, so their messages keep their capacity.
  bool spread_next_batch_ = true;     // Whether the next batch goes over the worker threads (flush()).
  std::map<std::int32_t, std::uint64_t> unrestored_;  // Changelog records restore() rejected, by partition.
  engine::ScreeningCache screening_cache_;
  ProcessorStats stats_;
  std::vector<std::int64_t> txn_timestamps_ms_;  // Input timestamps of the open transaction, when a probe is set.
};

// The key of a partial on the partial-aggregates topic: "pane|<pane length>|<pane start>|<corridor>|<source>" or
// "window|<window name>|<window start>|<corridor>|<source>".
std::string partial_key(const sanctions::v1::Aggregate& partial);

// The JSON form of an output message: proto3 JSON, one line, map keys sorted, so that output is deterministic.
std::string to_json_line(const google::protobuf::Message& message);

}  // namespace sm::pipeline
