#include "pipeline/engine_processor.h"

#include <algorithm>
#include <functional>
#include <limits>

#include "pipeline/changelog.h"
#include "pipeline/merge_processor.h"
#include "pipeline/partitioner.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver_util.h>

namespace sm::pipeline {
namespace {

using sanctions::v1::Aggregate;

Headers rejection_headers(const InputRecord& record, const decode::Rejection& r) {
  Headers h;
  if (record.headers != nullptr) h = *record.headers;
  h.emplace_back("sm.error.code", r.code);
  h.emplace_back("sm.error.field", r.field);
  h.emplace_back("sm.error.message", r.message);
  h.emplace_back("__connect.errors.topic", std::string(record.topic));
  h.emplace_back("__connect.errors.partition", std::to_string(record.partition));
  h.emplace_back("__connect.errors.offset", std::to_string(record.offset));
  h.emplace_back("__connect.errors.exception.message", r.code + ": " + r.message);
  return h;
}

}  // namespace

std::string to_json_line(const google::protobuf::Message& message) {
  // Deterministic binary serialisation sorts map entries; converting that to JSON keeps the order, so the same
  // message always prints the same line (MessageToJsonString alone follows hash-map order).
  static auto* const resolver = google::protobuf::util::NewTypeResolverForDescriptorPool(
      "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool());
  std::string binary;
  {
    google::protobuf::io::StringOutputStream stream(&binary);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  const auto status = google::protobuf::util::BinaryToJsonString(
      resolver, "type.googleapis.com/" + message.GetDescriptor()->full_name(), binary, &json, options);
  if (!status.ok()) return "{\"error\":\"cannot print message\"}";
  return json;
}

EngineProcessor::EngineProcessor(std::shared_ptr<const engine::EngineContext> context, ProcessorOptions options)
    : context_(std::move(context)),
      options_(std::move(options)),
      emit_turns_(options_.aggregates.emit_interval, options_.source_partitions) {
  if (options_.assess_threads > 1) pool_ = std::make_unique<WorkerPool>(options_.assess_threads);
}

EngineProcessor::~EngineProcessor() = default;

InputRecord EngineProcessor::HeldRecord::view() const {
  InputRecord r;
  r.topic = topic;
  r.partition = partition;
  r.offset = offset;
  r.key = key;
  r.value = value;
  r.headers = has_headers ? &headers : nullptr;
  r.timestamp_ms = timestamp_ms;
  return r;
}

void EngineProcessor::set_context(std::shared_ptr<const engine::EngineContext> context) {
  std::lock_guard lock(context_mutex_);
  context_ = std::move(context);
}

std::shared_ptr<const engine::EngineContext> EngineProcessor::context() const {
  std::lock_guard lock(context_mutex_);
  return context_;
}

std::string EngineProcessor::serialise(const google::protobuf::Message& message) const {
  if (options_.output_format == config::OutputFormat::kJson) return to_json_line(message);
  std::string out;
  message.SerializeToString(&out);
  return out;
}

aggregate::WindowStore& EngineProcessor::store(std::int32_t partition) {
  auto it = stores_.find(partition);
  if (it == stores_.end()) {
    it = stores_.emplace(partition, aggregate::WindowStore(options_.aggregates.windows, options_.aggregates.grace,
                                                            options_.aggregates.reporting_currency)).first;
    if (pool_) {
      // The assess threads are idle while a record is applied: a day's close sums its windows on all of them.
      it->second.set_parallel_for(std::bind_front(&WorkerPool::for_each, pool_.get()));
    }
  }
  return it->second;
}

void EngineProcessor::emit_partials(std::int32_t partition, std::vector<OutputRecord>& out) {
  for (aggregate::EncodedPartial& partial : partials_) {
    Aggregate& a = partial.head;
    a.set_source_partition(partition);
    OutputRecord& rec = out.emplace_back();
    rec.kind = OutputKind::kAggregate;
    rec.partition = kafka_partition(aggregate::WindowStore::merge_group(a), std::max(1, options_.partial_partitions));
    rec.key = partial_key(a);
    partial.serialise(rec.value);  // An internal topic: always binary.
    rec.headers.emplace_back("sm.final", a.final() ? "true" : "false");
  }
  stats_.aggregates_emitted += partials_.size();
  partials_.clear();
}

std::string partial_key(const Aggregate& partial) {
  const char* kind = partial.partial_kind() == sanctions::v1::PARTIAL_PANE ? "pane|" : "window|";
  return kind + aggregate::WindowStore::output_key(partial) + "|" + std::to_string(partial.source_partition());
}

void EngineProcessor::emit_watermark(std::int32_t partition, std::int64_t closed_through_ms,
                                     std::vector<OutputRecord>& out) const {
  sanctions::v1::PartitionWatermark w;
  w.set_source_partition(partition);
  w.set_source_partitions(std::max(1, options_.source_partitions));
  w.set_closed_through_ms(closed_through_ms);
  if (const auto it = stores_.find(partition); it != stores_.end() && it->second.stream_time()) {
    w.set_stream_time(format_rfc3339(*it->second.stream_time()));
  }
  std::string value;
  w.SerializeToString(&value);
  // To every partition: whichever partition holds a window's partials learns that this source closed it.
  for (std::int32_t q = 0; q < std::max(1, options_.partial_partitions); ++q) {
    OutputRecord& rec = out.emplace_back();
    rec.kind = OutputKind::kAggregate;
    rec.key = watermark_key(partition);
    rec.value = value;
    rec.partition = q;
  }
}

void EngineProcessor::process(const InputRecord& record, std::vector<OutputRecord>& out) {
  if (options_.probe != nullptr && record.timestamp_ms > 0) txn_timestamps_ms_.push_back(record.timestamp_ms);
  if (pool_) {
    hold(record);
    if (held_count_ >= kAssessBatch) flush(out);
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  judge(*context(), record, judged_);
  apply(record, judged_, out);
  if (options_.probe != nullptr) options_.probe->on_processed(std::chrono::steady_clock::now() - started);
}

void EngineProcessor::hold(const InputRecord& record) {
  if (held_count_ == held_.size()) held_.emplace_back();
  HeldRecord& h = held_[held_count_++];
  h.topic.assign(record.topic);
  h.key.assign(record.key);
  h.value.assign(record.value);
  h.has_headers = record.headers != nullptr;
  if (h.has_headers) h.headers = *record.headers;
  h.partition = record.partition;
  h.offset = record.offset;
  h.timestamp_ms = record.timestamp_ms;
}

void EngineProcessor::flush(std::vector<OutputRecord>& out) {
  if (held_count_ == 0) return;
  const auto started = std::chrono::steady_clock::now();
  const std::size_t n = held_count_;
  held_count_ = 0;
  if (batch_.size() < n) batch_.resize(n);
  const auto ctx = context();
  const std::uint64_t misses_before = screening_cache_.misses();
  ++stats_.assess_batches;
  if (spread_next_batch_) {
    ++stats_.assess_batches_spread;
    pool_->for_each(n, [&](std::size_t i) { judge(*ctx, held_[i].view(), batch_[i]); });
  } else {
    for (std::size_t i = 0; i < n; ++i) judge(*ctx, held_[i].view(), batch_[i]);
  }
  // The threads pay while names are screened afresh (a miss costs ~75 us, a record whose names are cached ~20):
  // after a start, a reload of the lists, or a burst of new counterparties. Once nearly every name is cached,
  // spreading a batch costs more than it saves (session 6: ~10 us of CPU an event more, taken from the broker
  // on 2 cores), so a batch is spread only when the one before it screened kSpreadMisses names or more.
  spread_next_batch_ = screening_cache_.misses() - misses_before >= kSpreadMisses;
  for (std::size_t i = 0; i < n; ++i) apply(held_[i].view(), batch_[i], out);
  if (options_.probe != nullptr) {
    // A batch's records are judged together: each is counted with its share of the batch's time.
    const auto each = (std::chrono::steady_clock::now() - started) / n;
    for (std::size_t i = 0; i < n; ++i) options_.probe->on_processed(each);
  }
}

void EngineProcessor::judge(const engine::EngineContext& ctx, const InputRecord& record, Judged& judged) {
  decode::Format format = options_.input_format;
  if (record.headers != nullptr) {
    for (const auto& [name, value] : *record.headers) {
      if (name == "content-type" || name == "Content-Type") {
        if (value.find("json") != std::string::npos) format = decode::Format::kJson;
        else if (value.find("protobuf") != std::string::npos) format = decode::Format::kProtobuf;
      }
    }
  }
  judged.rejection = decode::decode_event(record.value, format, ctx.iso, judged.event);
  if (!judged.rejection) engine::assess(ctx, judged.event, &screening_cache_, judged.assessment);
}

void EngineProcessor::apply(const InputRecord& record, Judged& judged, std::vector<OutputRecord>& out) {
  if (judged.rejection) {
    const decode::Rejection& rejection = *judged.rejection;
    ++stats_.rejected;
    if (options_.probe != nullptr) options_.probe->on_rejected(rejection.code);
    OutputRecord& dlq = out.emplace_back();
    dlq.kind = OutputKind::kDeadLetter;
    dlq.key = std::string(record.key);
    dlq.value = std::string(record.value);
    dlq.headers = rejection_headers(record, rejection);
    return;
  }
  const sanctions::v1::TradeEvent& event = judged.event;
  const engine::Assessment& a = judged.assessment;
  ++stats_.processed;
  stats_.screening_cache_hits.store(screening_cache_.hits(), std::memory_order_relaxed);
  stats_.screening_cache_misses.store(screening_cache_.misses(), std::memory_order_relaxed);
  const auto tier = a.alert.risk_tier();
  ++stats_.alerts_by_tier[static_cast<std::size_t>(tier)];
  if (tier >= options_.min_alert_tier) {
    OutputRecord& rec = out.emplace_back();
    rec.kind = OutputKind::kAlert;
    rec.key = event.shipment_id();
    rec.value = serialise(a.alert);
    rec.headers.emplace_back("sm.risk-tier", score::tier_name(tier));
  }

  aggregate::EventContribution& contribution = contribution_;  // Reused: its vectors keep their capacity.
  contribution.time = *parse_rfc3339(event.event_time());  // Validated by decode_event.
  contribution.corridor = a.alert.corridor();
  contribution.currency_class = a.alert.currency_class();
  contribution.tier = tier;
  contribution.lines.clear();
  for (std::size_t i = 0; i < a.goods.size(); ++i) {
    const auto& groups = a.goods[i].groups;
    const bool energy = std::binary_search(groups.begin(), groups.end(), std::string_view("ENERGY"));
    contribution.lines.push_back(aggregate::LineContribution{a.line_values[i], energy, &groups});
  }
  contribution.counterparties.clear();
  if (tier >= sanctions::v1::HIGH) {
    contribution.counterparties.push_back(event.exporter().name());
    contribution.counterparties.push_back(event.importer().name());
  }
  aggregate::WindowStore& windows = store(record.partition);
  const aggregate::AddOutcome outcome = windows.add(contribution);
  if (!outcome.late_windows.empty()) {
    ++stats_.late;
    OutputRecord& late = out.emplace_back();
    late.kind = OutputKind::kLateEvent;
    late.key = std::string(record.key);
    late.value = std::string(record.value);
    if (record.headers != nullptr) late.headers = *record.headers;
    std::string missed;
    for (const auto& w : outcome.late_windows) missed += (missed.empty() ? "" : ",") + w;
    late.headers.emplace_back("sm.late.windows", missed);
    late.headers.emplace_back("sm.late.stream-time", format_rfc3339(*windows.stream_time()));
  }
  windows.take_closed(partials_);
  emit_partials(record.partition, out);
}

void EngineProcessor::on_tick(std::int64_t now_ms, std::vector<OutputRecord>& out) {
  if (pool_) flush(out);  // The panes then hold what they would have with one thread.
  for (auto& [partition, windows] : stores_) {
    if (!emit_turns_.due(partition, now_ms)) continue;
    // The watermark first: a pane may hold an event that was late for a window this partition has closed, so
    // stage 2 must know of that closing before it sums the pane into the window (docs/AGGREGATES.md). Every final
    // partial it covers was emitted already, when the window closed.
    announce(partition, windows, out);
    windows.take_updates(partials_);
    emit_partials(partition, out);
  }
}

void EngineProcessor::announce(std::int32_t partition, const aggregate::WindowStore& windows,
                               std::vector<OutputRecord>& out) {
  if (!windows.stream_time()) return;
  const std::int64_t closed = windows.stream_time()->time_since_epoch().count() - options_.aggregates.grace.count();
  if (const auto pending = announcing_.find(partition); pending != announcing_.end()) {
    if (pending->second == closed) return;
  } else if (const auto it = announced_.find(partition); it != announced_.end() && it->second == closed) {
    return;
  }
  emit_watermark(partition, closed, out);
  announcing_[partition] = closed;
}

void EngineProcessor::before_commit(std::vector<OutputRecord>& out) {
  if (pool_) flush(out);  // Every record of the transaction is judged and counted in it.
  // Watermarks last: in every partial partition they follow the partials this transaction wrote.
  for (const auto& [partition, windows] : stores_) announce(partition, windows, out);
  append_changelog(stores_, out);
}

void EngineProcessor::on_committed() {
  for (auto& [partition, windows] : stores_) windows.commit();
  for (const auto& [partition, closed] : announcing_) announced_[partition] = closed;
  announcing_.clear();
  if (options_.probe != nullptr) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    options_.probe->on_committed(txn_timestamps_ms_, now.count());
    txn_timestamps_ms_.clear();
  }
}

void EngineProcessor::on_aborted() {
  held_count_ = 0;  // The transport delivers them again from the committed offsets.
  for (auto& [partition, windows] : stores_) windows.rollback();
  // What was announced before may not be what stream time comes back to: announce again at the next commit.
  announced_.clear();
  announcing_.clear();
  txn_timestamps_ms_.clear();  // Re-delivered, so measured again when they commit.
}

void EngineProcessor::restore(std::int32_t partition, std::string_view key, std::string_view value) {
  if (!store(partition).restore(key, value)) ++unrestored_[partition];
}

void EngineProcessor::on_assigned(const std::vector<std::int32_t>& partitions) {
  for (const auto p : partitions) {
    report_unrestored(unrestored_, p, "aggregation state of input partition", stats_.state_records_rejected);
    store(p).commit();    // Restored state is the committed state.
    announced_.erase(p);  // A new owner announces its restored stream time again.
  }
}

void EngineProcessor::on_revoked(const std::vector<std::int32_t>& partitions) {
  // Held records of a revoked partition are its new owner's now (the transport commits before revoking, and
  // that takes what is held; this is for a revocation without a commit).
  const auto revoked = [&](const HeldRecord& h) {
    return std::find(partitions.begin(), partitions.end(), h.partition) != partitions.end();
  };
  const auto kept_end = std::stable_partition(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(held_count_),
                                              [&](const HeldRecord& h) { return !revoked(h); });
  held_count_ = static_cast<std::size_t>(kept_end - held_.begin());
  for (const auto p : partitions) {
    stores_.erase(p);
    announced_.erase(p);
    emit_turns_.forget(p);
  }
}

void EngineProcessor::finish(std::vector<OutputRecord>& out) {
  if (pool_) flush(out);
  for (auto& [partition, windows] : stores_) {
    windows.take_all_final(partials_);
    emit_partials(partition, out);
  }
  // The end of the input closes every window on every source partition, including those that saw no event.
  for (std::int32_t p = 0; p < std::max(1, options_.source_partitions); ++p) {
    emit_watermark(p, std::numeric_limits<std::int64_t>::max(), out);
  }
}

}  // namespace sm::pipeline
