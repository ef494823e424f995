#include "pipeline/merge_processor.h"

#include <algorithm>
#include <utility>

#include "aggregate/window_store.h"
#include "pipeline/changelog.h"
#include "pipeline/engine_processor.h"

namespace sm::pipeline {
namespace {

constexpr std::string_view kWatermarkKeyPrefix = "~watermark|";

}  // namespace

bool is_watermark_key(std::string_view key) { return key.starts_with(kWatermarkKeyPrefix); }

std::string watermark_key(std::int32_t source_partition) {
  return std::string(kWatermarkKeyPrefix) + std::to_string(source_partition);
}

MergeProcessor::MergeProcessor(MergeOptions options)
    : options_(std::move(options)), emit_turns_(options_.emit_interval, options_.partitions) {}

aggregate::MergeStore& MergeProcessor::store(std::int32_t partition) {
  return stores_.try_emplace(partition, options_.windows, options_.top_counterparties).first->second;
}

void MergeProcessor::emit(std::vector<sanctions::v1::Aggregate>& aggregates, std::vector<OutputRecord>& out) {
  for (const auto& a : aggregates) {
    OutputRecord& rec = out.emplace_back();
    rec.kind = OutputKind::kAggregate;
    rec.key = aggregate::WindowStore::output_key(a);
    if (options_.output_format == config::OutputFormat::kJson) {
      rec.value = to_json_line(a);
    } else {
      a.SerializeToString(&rec.value);
    }
    rec.headers.emplace_back("sm.final", a.final() ? "true" : "false");
  }
  stats_.aggregates_emitted += aggregates.size();
  aggregates.clear();
}

void MergeProcessor::process(const InputRecord& record, std::vector<OutputRecord>& out) {
  aggregate::MergeStore& merge = store(record.partition);
  const auto size = static_cast<int>(record.value.size());
  bool ok = false;
  if (is_watermark_key(record.key)) {
    sanctions::v1::PartitionWatermark w;
    ok = w.ParseFromArray(record.value.data(), size) && w.source_partitions() > 0 && w.source_partition() >= 0 &&
         w.source_partition() < w.source_partitions();
    if (ok) {
      ++stats_.watermarks;
      merge.add_watermark(w);
      std::vector<sanctions::v1::Aggregate> closed;
      merge.take_closed(closed);
      emit(closed, out);
    }
  } else {
    sanctions::v1::Aggregate partial;
    ok = partial.ParseFromArray(record.value.data(), size) && !partial.window_end().empty() &&
         partial.partial_kind() != sanctions::v1::PARTIAL_KIND_UNSPECIFIED;
    if (ok) {
      ++stats_.partials;
      if (!merge.add_partial(partial, record.value)) ++stats_.dropped_partials;
    }
  }
  if (!ok) {
    ++stats_.malformed;
    OutputRecord& dlq = out.emplace_back();
    dlq.kind = OutputKind::kDeadLetter;
    dlq.key = std::string(record.key);
    dlq.value = std::string(record.value);
    dlq.headers.emplace_back("sm.error.code", "bad_partial_aggregate");
    dlq.headers.emplace_back("sm.error.message", "not a partial aggregate or watermark of this version");
  }
}

void MergeProcessor::on_tick(std::int64_t now_ms, std::vector<OutputRecord>& out) {
  // Partitions take turns, as in stage 1 (EmitTurns): every partition's open windows in one tick held the stage-2
  // thread 164 ms every 10 s at 8,000 events/s (each update sums its window's panes over every source).
  std::vector<sanctions::v1::Aggregate> updates;
  for (auto& [partition, merge] : stores_) {
    if (!emit_turns_.due(partition, now_ms)) continue;
    merge.take_updates(updates);
  }
  emit(updates, out);
}

void MergeProcessor::before_commit(std::vector<OutputRecord>& out) { append_changelog(stores_, out); }

void MergeProcessor::on_committed() {
  for (auto& [partition, merge] : stores_) merge.commit();
}

void MergeProcessor::on_aborted() {
  for (auto& [partition, merge] : stores_) merge.rollback();
}

void MergeProcessor::restore(std::int32_t partition, std::string_view key, std::string_view value) {
  if (!store(partition).restore(key, value)) ++unrestored_[partition];
}

void MergeProcessor::on_assigned(const std::vector<std::int32_t>& partitions) {
  for (const auto p : partitions) {
    report_unrestored(unrestored_, p, "merge state of partial partition", stats_.state_records_rejected);
    store(p).commit();
  }
}

void MergeProcessor::on_revoked(const std::vector<std::int32_t>& partitions) {
  for (const auto p : partitions) {
    stores_.erase(p);
    emit_turns_.forget(p);  // A partition assigned again starts its turns again.
  }
}

}  // namespace sm::pipeline
