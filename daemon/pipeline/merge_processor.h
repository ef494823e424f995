#pragma once

#include <atomic>
#include <cstdint>
#include <map>

#include "aggregate/merge_store.h"
#include "aggregate/window_store.h"
#include "config/app_config.h"
#include "pipeline/emit_turns.h"
#include "pipeline/record_processor.h"

namespace sm::pipeline {

struct MergeOptions {
  config::OutputFormat output_format = config::OutputFormat::kProtobuf;
  int top_counterparties = 10;
  Millis emit_interval{10'000};
  // The partial-aggregates topic's partition count: partition q of it publishes its updates q/N of an emit
  // interval after partition 0.
  std::int32_t partitions = 1;
  // Stage 1's window shapes ([aggregates] windows): stage 2 sums panes into these windows.
  std::vector<aggregate::WindowSpec> windows = {*aggregate::parse_window_spec("1h"), *aggregate::parse_window_spec("1d"),
                                                *aggregate::parse_window_spec("30d/1d")};
};

struct MergeStats {
  std::atomic<std::uint64_t> partials{0};
  std::atomic<std::uint64_t> watermarks{0};
  std::atomic<std::uint64_t> dropped_partials{0};  // For windows already final everywhere (never expected).
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> aggregates_emitted{0};
  std::atomic<std::uint64_t> state_records_rejected{0};  // Changelog records restore() could not read.
};

// Stage 2 of the aggregation behind a transport: reads the partial-aggregates topic (pane and final window partials
// and watermarks from EngineProcessor), keeps one MergeStore per partition of it, and publishes merged aggregates (kAggregate: updates
// at most every emit_interval, one final record per window once it is closed on every input partition). State
// goes to its own changelog (kChangelog, same partition number). A record it cannot read is dead-lettered.
// Partitions take turns publishing their updates (each at most and at least once an emit interval).
class MergeProcessor final : public RecordProcessor {
 public:
  explicit MergeProcessor(MergeOptions options);

  void process(const InputRecord& record, std::vector<OutputRecord>& out) override;
  void on_tick(std::int64_t now_ms, std::vector<OutputRecord>& out) override;
  void before_commit(std::vector<OutputRecord>& out) override;
  void on_committed() override;
  void on_aborted() override;
  void restore(std::int32_t partition, std::string_view key, std::string_view value) override;
  void on_assigned(const std::vector<std::int32_t>& partitions) override;
  void on_revoked(const std::vector<std::int32_t>& partitions) override;

  const MergeStats& stats() const { return stats_; }

 private:
  aggregate::MergeStore& store(std::int32_t partition);
  void emit(std::vector<sanctions::v1::Aggregate>& aggregates, std::vector<OutputRecord>& out);

  MergeOptions options_;
  std::map<std::int32_t, aggregate::MergeStore> stores_;
  EmitTurns emit_turns_;  // When each partial partition publishes its updates (on_tick).
  std::map<std::int32_t, std::uint64_t> unrestored_;  // Changelog records restore() rejected, by partition.
  MergeStats stats_;
};

// Whether a record of the partial-aggregates topic is a watermark (by its key) rather than a partial.
bool is_watermark_key(std::string_view key);
// The key of the watermark record of `source_partition`.
std::string watermark_key(std::int32_t source_partition);

}  // namespace sm::pipeline
