#include "kafka/transactional_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kafka/rdkafka_handles.h"

namespace sm::kafka {

using pipeline::InputRecord;
using pipeline::OutputKind;
using pipeline::OutputRecord;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kInitTimeoutMs = 30'000;
constexpr int kSendOffsetsTimeoutMs = 30'000;
constexpr int kMetadataTimeoutMs = 10'000;
constexpr int kCommittedTimeoutMs = 10'000;
constexpr int kMaxRetries = 10;

bool is_fenced_code(rd_kafka_resp_err_t code) {
  return code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
         code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
}

std::string_view view(const void* data, std::size_t size) {
  return data == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(data), size);
}

std::vector<std::int32_t> partitions_of(const rd_kafka_topic_partition_list_t* list, const std::string& topic) {
  std::vector<std::int32_t> out;
  for (int i = 0; i < list->cnt; ++i) {
    if (topic == list->elems[i].topic) out.push_back(list->elems[i].partition);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string join(const std::vector<std::int32_t>& partitions) {
  std::string s;
  for (auto p : partitions) {
    if (!s.empty()) s += ',';
    s += std::to_string(p);
  }
  return "[" + s + "]";
}

bool has_header(const pipeline::Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
}

}  // namespace

class TransactionalRunner::Impl {
 public:
  Impl(KafkaConfig config, pipeline::RecordProcessor& processor)
      : config_(std::move(config)), processor_(processor) {}

  std::optional<Error> run();
  void stop() noexcept { stop_requested_.store(true, std::memory_order_relaxed); }
  const RunnerCounters& counters() const noexcept { return counters_; }

 private:
  static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                           void* opaque) {
    static_cast<void>(rk);
    static_cast<Impl*>(opaque)->on_rebalance(err, partitions);
  }
  static void delivery_cb(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque) {
    static_cast<void>(rk);
    static_cast<Impl*>(opaque)->on_delivery(*msg);
  }
  static void error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
    static_cast<Impl*>(opaque)->on_client_error(rk, static_cast<rd_kafka_resp_err_t>(err), reason);
  }
  static int stats_cb(rd_kafka_t* rk, char* json, std::size_t json_len, void* opaque) {
    static_cast<void>(rk);
    static_cast<Impl*>(opaque)->config_.on_statistics(std::string_view(json, json_len));
    return 0;  // librdkafka frees the text
  }

  std::optional<Error> setup();
  void shutdown();
  void handle_message(const rd_kafka_message_t& msg);
  void tick();
  bool ensure_transaction();
  void produce_outputs(const InputRecord* source);
  void produce(OutputRecord& rec, const InputRecord* source);
  bool commit_transaction();
  void abort_transaction(const std::set<std::int32_t>& keep_out_of_rewind);
  void rewind(const std::vector<std::int32_t>& partitions);
  void advance_past_markers();
  bool markers_to_commit();
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  std::optional<Error> restore(const std::vector<std::int32_t>& partitions);
  void on_delivery(const rd_kafka_message_t& msg);
  void on_client_error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason);
  void fail_from(const rd_kafka_error_t* error, std::string_view what);
  void check_fatal();
  void set_fatal(Error error);
  bool cooperative() const;

  KafkaConfig config_;
  pipeline::RecordProcessor& processor_;
  RunnerCounters counters_;
  std::atomic<bool> stop_requested_{false};

  ClientPtr producer_;
  ClientPtr consumer_;
  ClientPtr restore_consumer_;  // Created on the first assignment; reads changelog partitions without a group.
  std::vector<TopicPtr> output_topics_;  // The producer's, held so that it keeps their metadata (setup()).

  std::optional<Error> fatal_;          // Set once; run() then stops without touching the transaction again.
  bool fatal_reported_by_client_ = false;
  bool txn_open_ = false;
  bool txn_doomed_ = false;             // A produce call failed: the open transaction can only be aborted.
  Clock::time_point txn_started_{};
  std::size_t records_in_txn_ = 0;
  Clock::time_point next_tick_{};
  std::map<std::int32_t, std::int64_t> positions_;  // Next offset to read, per input partition, this transaction.
  std::map<std::int32_t, std::int64_t> committed_;  // What this runner last committed, per assigned partition.
  // Partitions whose consumer position follows what was processed: a record of theirs was handled since they
  // were assigned or rewound (before that the position may be unknown, or stale while a seek is under way).
  std::set<std::int32_t> position_known_;
  std::set<std::int32_t> assigned_;
  std::vector<OutputRecord> out_;
  pipeline::Headers input_headers_;
  std::vector<rd_kafka_vu_t> vus_;
  std::uint64_t delivery_failures_logged_ = 0;
};

// ---- Life cycle ----------------------------------------------------------------------------------------------

std::optional<Error> TransactionalRunner::Impl::setup() {
  const std::string txn_id = config_.transactional_id();
  spdlog::info("kafka: bootstrap {}, group {}, transactional.id {}, input {}, commit every {} ms, max {} in flight",
               config_.bootstrap_servers, config_.group_id, txn_id, config_.input_topic,
               config_.commit_interval.count(), config_.max_in_flight);
  if (!config_.properties.empty()) spdlog::info("kafka: properties {}", describe_properties(config_.properties));

  // Defaults first, the user's properties over them, then what exactly-once cannot do without.
  const Properties producer_defaults = {
      {"transaction.timeout.ms", "30000"},
      {"message.timeout.ms", "25000"},  // Must stay below transaction.timeout.ms.
      // Long enough to fill batches between commits (fewer produce requests: less CPU here and in the broker;
      // 4.5k → 6.6k events/s end to end), and no added latency: commit_transaction() flushes, which sends what is
      // queued at once, linger or not, whatever the commit interval.
      {"linger.ms", "50"},
      // A transaction begun right after a commit often meets CONCURRENT_TRANSACTIONS on AddPartitionsToTxn until
      // the broker has written the markers; librdkafka retries after retry.backoff.ms, 100 ms by default, which
      // made every commit cost ~110 ms here. The Java client waits 20 ms for this case (KAFKA-5477).
      {"retry.backoff.ms", "10"},
      {"partitioner", "murmur2_random"},  // Same key -> same partition as Java clients and Kafka Streams.
      // Alerts and a day's partials (~150 KB a window and partition: counterparty names and amounts) shrink 2-3x
      // with lz4, for the broker to copy and keep, for no CPU we could measure here; the day boundary's stall
      // shrinks with them (docs/BENCHMARKS.md, session 9). A [kafka.properties] compression.type wins.
      {"compression.type", "lz4"},
      {"queue.buffering.max.messages", std::to_string(std::max<std::size_t>(100'000, config_.max_in_flight * 4))},
  };
  const Properties producer_required = {
      {"bootstrap.servers", config_.bootstrap_servers},
      {"transactional.id", txn_id},
      {"enable.idempotence", "true"},
      {"client.id", txn_id + "-producer"},
  };
  auto pconf = make_conf({&producer_defaults, &config_.properties, &config_.producer_properties, &producer_required});
  if (!pconf) return pconf.error();
  rd_kafka_conf_set_opaque(pconf->get(), this);
  rd_kafka_conf_set_dr_msg_cb(pconf->get(), delivery_cb);
  rd_kafka_conf_set_error_cb(pconf->get(), error_cb);
  auto producer = make_client(RD_KAFKA_PRODUCER, std::move(pconf.value()));
  if (!producer) return producer.error();
  producer_ = std::move(producer.value());

  const Properties consumer_defaults = {
      {"auto.offset.reset", "earliest"},
      {"queued.max.messages.kbytes", "32768"},  // Bounds prefetched input while processing waits.
  };
  const Properties consumer_required = {
      {"bootstrap.servers", config_.bootstrap_servers},
      {"group.id", config_.group_id},
      {"client.id", txn_id + "-consumer"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"isolation.level", "read_committed"},
      {"enable.partition.eof", "false"},
  };
  const Properties consumer_strategy = {{"partition.assignment.strategy", "cooperative-sticky"}};
  Properties consumer_statistics;
  if (config_.on_statistics) consumer_statistics["statistics.interval.ms"] = std::to_string(config_.statistics_interval.count());
  auto cconf = make_conf({&consumer_defaults, &consumer_strategy, &config_.properties, &config_.consumer_properties,
                          &consumer_statistics, &consumer_required});
  if (!cconf) return cconf.error();
  rd_kafka_conf_set_opaque(cconf->get(), this);
  if (config_.on_statistics) rd_kafka_conf_set_stats_cb(cconf->get(), stats_cb);
  rd_kafka_conf_set_rebalance_cb(cconf->get(), rebalance_cb);
  rd_kafka_conf_set_error_cb(cconf->get(), error_cb);
  auto consumer = make_client(RD_KAFKA_CONSUMER, std::move(cconf.value()));
  if (!consumer) return consumer.error();
  consumer_ = std::move(consumer.value());
  rd_kafka_poll_set_consumer(consumer_.get());

  // State restore reads changelog partition p for input partition p: the changelog needs at least as many.
  auto input_partitions = topic_partition_count(consumer_.get(), config_.input_topic, kMetadataTimeoutMs);
  if (!input_partitions) return input_partitions.error();
  auto changelog_partitions = topic_partition_count(consumer_.get(), config_.topic(OutputKind::kChangelog), kMetadataTimeoutMs);
  if (!changelog_partitions) return changelog_partitions.error();
  if (*changelog_partitions < *input_partitions) {
    return make_error("kafka_topic", "changelog topic " + config_.topic(OutputKind::kChangelog) + " has " +
                                         std::to_string(*changelog_partitions) + " partitions, fewer than the " +
                                         std::to_string(*input_partitions) + " of input topic " +
                                         config_.input_topic);
  }

  // The producer learns its output topics now. Left to the first produce, librdkafka asks for a new topic's
  // metadata only at its next topic scan, once a second, and the first commit of every start waited 0.5-1 s for
  // it (commit_transaction flushes): the first alerts of a fresh daemon came ~1 s late.
  for (const auto& topic : config_.output_topics) {
    if (topic.empty() || std::any_of(output_topics_.begin(), output_topics_.end(),
                                     [&](const TopicPtr& t) { return rd_kafka_topic_name(t.get()) == topic; })) {
      continue;
    }
    output_topics_.emplace_back(rd_kafka_topic_new(producer_.get(), topic.c_str(), nullptr));
    if (auto count = topic_partition_count(producer_.get(), topic, kMetadataTimeoutMs); !count) {
      spdlog::warn("kafka: output topic {}: {}; records for it cannot be delivered until it answers (`sanctions-monitor "
                   "topics create` makes the deployment's topics)", topic, count.error().message);
    }
  }

  // init_transactions fences any earlier producer with our transactional.id and aborts what it left open.
  for (int attempt = 1;; ++attempt) {
    ErrorPtr err(rd_kafka_init_transactions(producer_.get(), kInitTimeoutMs));
    if (!err) break;
    if (rd_kafka_error_is_retriable(err.get()) && attempt < kMaxRetries &&
        !stop_requested_.load(std::memory_order_relaxed)) {
      spdlog::warn("kafka: init_transactions: {} (retrying)", describe(err.get()));
      continue;
    }
    fail_from(err.get(), "init_transactions");
    return fatal_;
  }

  PartitionListPtr topics(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(topics.get(), config_.input_topic.c_str(), RD_KAFKA_PARTITION_UA);
  if (const auto err = rd_kafka_subscribe(consumer_.get(), topics.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_subscribe", "cannot subscribe to " + config_.input_topic + ": " + rd_kafka_err2str(err));
  }
  spdlog::info("kafka: transactions initialised; subscribed to {}", config_.input_topic);
  return std::nullopt;
}

std::optional<Error> TransactionalRunner::Impl::run() {
  if (auto err = setup()) {
    spdlog::error("kafka: {}: {}", err->code, err->message);
    if (consumer_) rd_kafka_consumer_close(consumer_.get());
    return err;
  }
  const auto poll_ms = static_cast<int>(std::clamp<std::int64_t>(config_.commit_interval.count(), 1, 100));
  next_tick_ = Clock::now() + config_.commit_interval;
  while (!stop_requested_.load(std::memory_order_relaxed) && !fatal_) {
    MessagePtr msg(rd_kafka_consumer_poll(consumer_.get(), poll_ms));
    if (msg) handle_message(*msg);
    rd_kafka_poll(producer_.get(), 0);  // Delivery reports and producer errors.
    check_fatal();
    if (fatal_) break;
    const auto now = Clock::now();
    if (now >= next_tick_) {
      tick();
      next_tick_ = now + config_.commit_interval;
    }
    if (txn_open_ && (now - txn_started_ >= config_.commit_interval || records_in_txn_ >= config_.max_in_flight)) {
      commit_transaction();
    }
  }
  shutdown();
  if (fatal_) {
    spdlog::error("kafka: stopped: {}: {}", fatal_->code, fatal_->message);
  } else {
    spdlog::info("kafka: stopped cleanly ({} consumed, {} transactions committed in {:.3f} s of commits, {} aborted)",
                 counters_.consumed.load(), counters_.transactions_committed.load(),
                 static_cast<double>(counters_.commit_nanoseconds.load()) / 1e9, counters_.transactions_aborted.load());
  }
  return fatal_;
}

void TransactionalRunner::Impl::shutdown() {
  if (!fatal_ && txn_open_) commit_transaction();
  // Leaving the group runs the revoke callback (which commits nothing more, but tells the processor).
  if (const auto err = rd_kafka_consumer_close(consumer_.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    spdlog::warn("kafka: closing the consumer: {}", rd_kafka_err2str(err));
  }
  if (!fatal_) {
    rd_kafka_flush(producer_.get(), 10'000);
  } else {
    // A fenced producer cannot deliver; drop what is queued instead of waiting for message.timeout.ms.
    rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(producer_.get(), 0);
  }
  if (restore_consumer_) rd_kafka_consumer_close(restore_consumer_.get());
}

// ---- Records in, records out ---------------------------------------------------------------------------------

void TransactionalRunner::Impl::handle_message(const rd_kafka_message_t& msg) {
  if (msg.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (msg.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return;
    if (msg.err == RD_KAFKA_RESP_ERR__FATAL) {
      check_fatal();
      return;
    }
    spdlog::warn("kafka: consumer: {}", rd_kafka_message_errstr(&msg));
    return;
  }
  // After a revoke or a rewind librdkafka drops stale fetches; this guards against any that slip through.
  if (assigned_.count(msg.partition) == 0) return;
  if (!ensure_transaction()) return;

  input_headers_.clear();
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(&msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs != nullptr) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      input_headers_.emplace_back(name, std::string(view(value, size)));
    }
  }
  rd_kafka_timestamp_type_t ts_type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  InputRecord in;
  in.topic = config_.input_topic;
  in.partition = msg.partition;
  in.offset = msg.offset;
  in.key = view(msg.key, msg.key_len);
  in.value = view(msg.payload, msg.len);
  in.headers = input_headers_.empty() ? nullptr : &input_headers_;
  in.timestamp_ms = rd_kafka_message_timestamp(&msg, &ts_type);

  out_.clear();
  processor_.process(in, out_);
  produce_outputs(&in);
  positions_[msg.partition] = msg.offset + 1;
  position_known_.insert(msg.partition);
  ++records_in_txn_;
  counters_.consumed.fetch_add(1, std::memory_order_relaxed);
}

void TransactionalRunner::Impl::tick() {
  out_.clear();
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch());
  processor_.on_tick(now_ms.count(), out_);
  if (!out_.empty() && ensure_transaction()) produce_outputs(nullptr);
  // Nothing else to commit, but the position passed a commit marker: commit it on its own (see below).
  if (!txn_open_ && markers_to_commit()) ensure_transaction();
}

// A transactional producer ends each transaction with a commit marker: it takes an offset in the partition but
// is never delivered. Committing only "last processed + 1" would leave the group one short of the end of a
// transactional input (the merge stage's partial topic) for good: a lag of 1 that never clears. The consumer's
// own position steps over markers (and over aborted records), so where it is ahead, it is what to commit, as
// Java consumers commit their position().
void TransactionalRunner::Impl::advance_past_markers() {
  if (position_known_.empty()) return;
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(position_known_.size())));
  for (auto p : position_known_) rd_kafka_topic_partition_list_add(list.get(), config_.input_topic.c_str(), p);
  if (rd_kafka_position(consumer_.get(), list.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  for (int i = 0; i < list->cnt; ++i) {
    const auto& e = list->elems[i];
    if (e.err != RD_KAFKA_RESP_ERR_NO_ERROR || e.offset < 0) continue;
    const auto in_txn = positions_.find(e.partition);
    const auto done = committed_.find(e.partition);
    const std::int64_t base = in_txn != positions_.end() ? in_txn->second : done != committed_.end() ? done->second : -1;
    if (base >= 0 && e.offset > base) positions_[e.partition] = e.offset;
  }
}

bool TransactionalRunner::Impl::markers_to_commit() {
  advance_past_markers();
  return !positions_.empty();
}

bool TransactionalRunner::Impl::ensure_transaction() {
  if (txn_open_) return true;
  if (fatal_) return false;
  ErrorPtr err(rd_kafka_begin_transaction(producer_.get()));
  if (err) {
    fail_from(err.get(), "begin_transaction");
    return false;
  }
  txn_open_ = true;
  txn_doomed_ = false;
  txn_started_ = Clock::now();
  records_in_txn_ = 0;
  return true;
}

void TransactionalRunner::Impl::produce_outputs(const InputRecord* source) {
  for (auto& rec : out_) produce(rec, source);
  out_.clear();
}

void TransactionalRunner::Impl::produce(OutputRecord& rec, const InputRecord* source) {
  if (rec.kind == OutputKind::kChangelog && rec.partition < 0) {
    // State in the wrong changelog partition would be restored into the wrong owner: refuse to run.
    set_fatal(make_error("processor_contract", "a changelog output without a partition (key " + rec.key + ")"));
    return;
  }
  if (rec.kind == OutputKind::kDeadLetter && source != nullptr) {
    // Kafka Connect's dead-letter conventions, so existing tooling can re-drive these records.
    if (rec.key.empty() && rec.value.empty()) {
      rec.key = std::string(source->key);
      rec.value = std::string(source->value);
    }
    if (source->headers != nullptr) {
      for (const auto& h : *source->headers) {
        if (!has_header(rec.headers, h.first)) rec.headers.push_back(h);
      }
    }
    if (!has_header(rec.headers, "__connect.errors.topic")) {
      rec.headers.emplace_back("__connect.errors.topic", std::string(source->topic));
    }
    if (!has_header(rec.headers, "__connect.errors.partition")) {
      rec.headers.emplace_back("__connect.errors.partition", std::to_string(source->partition));
    }
    if (!has_header(rec.headers, "__connect.errors.offset")) {
      rec.headers.emplace_back("__connect.errors.offset", std::to_string(source->offset));
    }
    if (!has_header(rec.headers, "__connect.errors.exception.message")) {
      rec.headers.emplace_back("__connect.errors.exception.message", "rejected by the record processor");
    }
  }

  const std::string& topic = config_.topic(rec.kind);
  const std::int32_t partition = rec.partition >= 0 ? rec.partition : RD_KAFKA_PARTITION_UA;
  // rd_kafka_produceva rather than producev: the latter's macros are C casts. Headers go in one entry each,
  // copied by librdkafka, so nothing here changes owner.
  vus_.clear();
  auto add = [&](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    rd_kafka_vu_t& vu = vus_.emplace_back();
    vu.vtype = type;
    return vu;
  };
  add(RD_KAFKA_VTYPE_TOPIC).u.cstr = topic.c_str();
  add(RD_KAFKA_VTYPE_PARTITION).u.i32 = partition;
  // An empty key or value is sent as null: an empty changelog value is a tombstone for compaction.
  auto& key = add(RD_KAFKA_VTYPE_KEY).u.mem;
  key.ptr = rec.key.empty() ? nullptr : rec.key.data();
  key.size = rec.key.size();
  auto& value = add(RD_KAFKA_VTYPE_VALUE).u.mem;
  value.ptr = rec.value.empty() ? nullptr : rec.value.data();
  value.size = rec.value.size();
  for (const auto& [name, hvalue] : rec.headers) {
    auto& h = add(RD_KAFKA_VTYPE_HEADER).u.header;
    h.name = name.c_str();
    h.val = hvalue.data();
    h.size = static_cast<ssize_t>(hvalue.size());
  }
  add(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  // The opaque is the counter its delivery report increments.
  add(RD_KAFKA_VTYPE_OPAQUE).u.ptr = &counters_.produced[kind_index(rec.kind)];

  for (int attempt = 0;; ++attempt) {
    ErrorPtr error(rd_kafka_produceva(producer_.get(), vus_.data(), vus_.size()));
    const rd_kafka_resp_err_t err = error ? rd_kafka_error_code(error.get()) : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      // Back-pressure: stop consuming until the producer drains; memory stays bounded by its queue limits.
      if (attempt == 0) counters_.backpressure_waits.fetch_add(1, std::memory_order_relaxed);
      rd_kafka_poll(producer_.get(), 50);
      check_fatal();
      if (fatal_) return;
      continue;
    }
    if (rd_kafka_error_is_fatal(error.get()) || err == RD_KAFKA_RESP_ERR__FATAL || is_fenced_code(err)) {
      fail_from(error.get(), "produce");
      return;
    }
    // The output cannot be part of this transaction, so the transaction must not commit without it: abort
    // and re-deliver (a record that fails every time stalls the pipeline loudly rather than losing output).
    spdlog::error("kafka: cannot produce ({} record) to {}: {}", kind_name(rec.kind), topic, rd_kafka_err2str(err));
    txn_doomed_ = true;
    return;
  }
}

void TransactionalRunner::Impl::on_delivery(const rd_kafka_message_t& msg) {
  if (msg.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (auto* produced = static_cast<std::atomic<std::uint64_t>*>(msg._private); produced != nullptr) {
      produced->fetch_add(1, std::memory_order_relaxed);
    }
    return;
  }
  counters_.delivery_failures.fetch_add(1, std::memory_order_relaxed);
  // Purged messages of an aborted transaction are expected; anything else makes the commit fail and abort.
  if (msg.err != RD_KAFKA_RESP_ERR__PURGE_QUEUE && msg.err != RD_KAFKA_RESP_ERR__PURGE_INFLIGHT &&
      delivery_failures_logged_++ < 10) {
    spdlog::warn("kafka: delivery to {} [{}] failed: {}", rd_kafka_topic_name(msg.rkt), msg.partition,
                 rd_kafka_err2str(msg.err));
  }
}

// ---- Transactions ----------------------------------------------------------------------------------------------

bool TransactionalRunner::Impl::commit_transaction() {
  if (!txn_open_ || fatal_) return false;
  const auto commit_started = Clock::now();
  out_.clear();
  processor_.before_commit(out_);
  produce_outputs(nullptr);
  if (fatal_) return false;
  if (txn_doomed_) {
    abort_transaction({});
    return false;
  }

  advance_past_markers();
  PartitionListPtr offsets;
  if (!positions_.empty()) {
    offsets.reset(rd_kafka_topic_partition_list_new(static_cast<int>(positions_.size())));
    for (const auto& [partition, next] : positions_) {
      rd_kafka_topic_partition_list_add(offsets.get(), config_.input_topic.c_str(), partition)->offset = next;
    }
    // The group metadata carries the generation: a zombie that lost the partitions is refused by the broker.
    GroupMetadataPtr group(rd_kafka_consumer_group_metadata(consumer_.get()));
    for (int attempt = 1;; ++attempt) {
      ErrorPtr err(rd_kafka_send_offsets_to_transaction(producer_.get(), offsets.get(), group.get(),
                                                        kSendOffsetsTimeoutMs));
      if (!err) break;
      if (rd_kafka_error_is_retriable(err.get()) && attempt < kMaxRetries) {
        spdlog::warn("kafka: send_offsets_to_transaction: {} (retrying)", describe(err.get()));
        continue;
      }
      if (rd_kafka_error_txn_requires_abort(err.get()) || rd_kafka_error_is_retriable(err.get())) {
        spdlog::warn("kafka: send_offsets_to_transaction: {}; aborting the transaction", describe(err.get()));
        abort_transaction({});
        return false;
      }
      fail_from(err.get(), "send_offsets_to_transaction");
      return false;
    }
  }

  for (int attempt = 1;; ++attempt) {
    ErrorPtr err(rd_kafka_commit_transaction(producer_.get(), -1));
    if (!err) break;
    if (rd_kafka_error_is_retriable(err.get()) && attempt < kMaxRetries) {
      spdlog::warn("kafka: commit_transaction: {} (retrying)", describe(err.get()));
      continue;
    }
    if (rd_kafka_error_txn_requires_abort(err.get()) || rd_kafka_error_is_retriable(err.get())) {
      spdlog::warn("kafka: commit_transaction: {}; aborting the transaction", describe(err.get()));
      abort_transaction({});
      return false;
    }
    fail_from(err.get(), "commit_transaction");
    return false;
  }
  // The consumer's stored offsets mirror what the transaction committed, so its statistics report the group's
  // lag (auto-commit is off: they are never committed by the consumer itself).
  if (offsets) rd_kafka_offsets_store(consumer_.get(), offsets.get());
  for (const auto& [partition, next] : positions_) committed_[partition] = next;
  txn_open_ = false;
  positions_.clear();
  records_in_txn_ = 0;
  processor_.on_committed();
  counters_.transactions_committed.fetch_add(1, std::memory_order_relaxed);
  const auto commit_took = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - commit_started);
  counters_.commit_nanoseconds.fetch_add(static_cast<std::uint64_t>(commit_took.count()), std::memory_order_relaxed);
  return true;
}

void TransactionalRunner::Impl::abort_transaction(const std::set<std::int32_t>& keep_out_of_rewind) {
  for (int attempt = 1;; ++attempt) {
    ErrorPtr err(rd_kafka_abort_transaction(producer_.get(), -1));
    if (!err) break;
    if (rd_kafka_error_is_retriable(err.get()) && attempt < kMaxRetries) {
      spdlog::warn("kafka: abort_transaction: {} (retrying)", describe(err.get()));
      continue;
    }
    fail_from(err.get(), "abort_transaction");
    break;
  }
  txn_open_ = false;
  txn_doomed_ = false;
  positions_.clear();
  records_in_txn_ = 0;
  counters_.transactions_aborted.fetch_add(1, std::memory_order_relaxed);
  processor_.on_aborted();
  if (fatal_) return;
  // What this transaction consumed must be read again: back to the group's committed offsets.
  std::vector<std::int32_t> partitions;
  for (auto p : assigned_) {
    if (keep_out_of_rewind.count(p) == 0) partitions.push_back(p);
  }
  rewind(partitions);
}

void TransactionalRunner::Impl::rewind(const std::vector<std::int32_t>& partitions) {
  if (partitions.empty()) return;
  for (auto p : partitions) position_known_.erase(p);
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (auto p : partitions) rd_kafka_topic_partition_list_add(list.get(), config_.input_topic.c_str(), p);
  if (const auto err = rd_kafka_committed(consumer_.get(), list.get(), kCommittedTimeoutMs);
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    set_fatal(make_error("kafka_rewind", std::string("cannot read committed offsets after an abort: ") +
                                             rd_kafka_err2str(err)));
    return;
  }
  for (int i = 0; i < list->cnt; ++i) {
    // No committed offset yet: start of the partition (auto.offset.reset=earliest, as at first assignment).
    if (list->elems[i].offset < 0) list->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  // Asynchronous (timeout 0): the seek bumps each partition's fetch version at once, so no record fetched from the
  // old position is delivered after this call. Waiting for it could time out during a rebalance (the group was
  // fencing this very transaction), which left the partitions' positions unknown and stopped the runner.
  ErrorPtr err(rd_kafka_seek_partitions(consumer_.get(), list.get(), 0));
  if (err) {
    set_fatal(make_error("kafka_rewind", "cannot seek back after an abort: " + describe(err.get())));
    return;
  }
  for (int i = 0; i < list->cnt; ++i) {
    // An asynchronous seek reports _IN_PROGRESS for each partition it has started.
    if (list->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR && list->elems[i].err != RD_KAFKA_RESP_ERR__IN_PROGRESS) {
      set_fatal(make_error("kafka_rewind", "cannot seek partition " + std::to_string(list->elems[i].partition) +
                                               " back after an abort: " + rd_kafka_err2str(list->elems[i].err)));
      return;
    }
  }
  spdlog::info("kafka: rewound partitions {} to their committed offsets", join(partitions));
}

// ---- Rebalances ------------------------------------------------------------------------------------------------

bool TransactionalRunner::Impl::cooperative() const {
  return std::string_view(rd_kafka_rebalance_protocol(consumer_.get())) == "COOPERATIVE";
}

void TransactionalRunner::Impl::on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions) {
  counters_.rebalances.fetch_add(1, std::memory_order_relaxed);
  const bool coop = cooperative();
  const auto parts = partitions_of(partitions, config_.input_topic);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    // Cooperative rebalances often hand out nothing new; only real changes are worth a line at info.
    spdlog::log(parts.empty() ? spdlog::level::debug : spdlog::level::info, "kafka: assigned partitions {} of {}",
                join(parts), config_.input_topic);
    if (!fatal_) {
      if (auto restore_err = restore(parts)) set_fatal(*restore_err);
    }
    if (!fatal_) {
      processor_.on_assigned(parts);
      assigned_.insert(parts.begin(), parts.end());
    }
    // Even when stopping, librdkafka's view must follow the group's, so assign regardless.
    if (coop) {
      ErrorPtr aerr(rd_kafka_incremental_assign(consumer_.get(), partitions));
      if (aerr) set_fatal(make_error("kafka_assign", "incremental_assign: " + describe(aerr.get())));
    } else {
      rd_kafka_assign(consumer_.get(), partitions);
    }
  } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    const bool lost = rd_kafka_assignment_lost(consumer_.get()) != 0;
    spdlog::log(parts.empty() ? spdlog::level::debug : spdlog::level::info, "kafka: {} partitions {} of {}",
                lost ? "lost" : "revoked", join(parts), config_.input_topic);
    if (txn_open_ && !fatal_) {
      if (lost) {
        // Another member may already own them: our offsets would be refused; start over from the commit.
        const std::set<std::int32_t> gone(parts.begin(), parts.end());
        abort_transaction(gone);
      } else {
        commit_transaction();
      }
    }
    processor_.on_revoked(parts);
    for (auto p : parts) {
      assigned_.erase(p);
      positions_.erase(p);
      committed_.erase(p);
      position_known_.erase(p);
    }
    if (coop) {
      ErrorPtr uerr(rd_kafka_incremental_unassign(consumer_.get(), partitions));
      if (uerr) spdlog::warn("kafka: incremental_unassign: {}", describe(uerr.get()));
    } else {
      rd_kafka_assign(consumer_.get(), nullptr);
    }
  } else {
    spdlog::error("kafka: rebalance error: {}", rd_kafka_err2str(err));
    processor_.on_revoked(std::vector<std::int32_t>(assigned_.begin(), assigned_.end()));
    assigned_.clear();
    positions_.clear();
    committed_.clear();
    position_known_.clear();
    if (coop) {
      ErrorPtr uerr(rd_kafka_incremental_unassign(consumer_.get(), partitions));
    } else {
      rd_kafka_assign(consumer_.get(), nullptr);
    }
  }
  counters_.assigned_partitions.store(assigned_.size(), std::memory_order_relaxed);
}

std::optional<Error> TransactionalRunner::Impl::restore(const std::vector<std::int32_t>& partitions) {
  if (partitions.empty()) return std::nullopt;
  const std::string& changelog = config_.topic(OutputKind::kChangelog);
  if (!restore_consumer_) {
    Properties required = assign_only_reader_properties(config_.bootstrap_servers, config_.group_id + ".restore",
                                                        config_.transactional_id() + "-restore");
    // The end of a changelog partition is usually a transaction marker, never delivered: the end shows as an
    // empty fetch (partition EOF), which should not wait the default 500 ms.
    required["fetch.wait.max.ms"] = "20";
    required["fetch.error.backoff.ms"] = "50";
    auto conf = make_conf({&config_.properties, &required});
    if (!conf) return conf.error();
    auto client = make_client(RD_KAFKA_CONSUMER, std::move(conf.value()));
    if (!client) return client.error();
    restore_consumer_ = std::move(client.value());
  }
  rd_kafka_t* rc = restore_consumer_.get();

  // Partitions with data, and where their data ends; read_committed reading stops at the last stable offset.
  const auto started = Clock::now();
  std::map<std::int32_t, std::int64_t> remaining;
  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (auto p : partitions) {
    std::int64_t low = 0;
    std::int64_t high = 0;
    for (;;) {
      // Leadership moves (and a just-created topic) answer "not leader" for a moment: retry until the deadline.
      const auto err = rd_kafka_query_watermark_offsets(rc, changelog.c_str(), p, &low, &high, kMetadataTimeoutMs);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (Clock::now() - started > config_.restore_timeout || rd_kafka_fatal_error(rc, nullptr, 0) != 0) {
        return make_error("kafka_restore", "cannot read the end of " + changelog + " [" + std::to_string(p) +
                                               "]: " + rd_kafka_err2str(err));
      }
      spdlog::warn("kafka: restore: end of {} [{}]: {} (retrying)", changelog, p, rd_kafka_err2str(err));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (high > low) {
      remaining[p] = high;
      rd_kafka_topic_partition_list_add(list.get(), changelog.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
  }
  if (remaining.empty()) return std::nullopt;
  if (const auto err = rd_kafka_assign(rc, list.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_restore", std::string("cannot assign changelog partitions: ") + rd_kafka_err2str(err));
  }
  std::uint64_t records = 0;
  std::optional<Error> result;
  while (!remaining.empty()) {
    if (Clock::now() - started > config_.restore_timeout) {
      result = make_error("kafka_restore", "replaying " + changelog + " took longer than " +
                                               std::to_string(config_.restore_timeout.count()) + " ms");
      break;
    }
    MessagePtr msg(rd_kafka_consumer_poll(rc, 200));
    if (!msg) continue;
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      remaining.erase(msg->partition);
      continue;
    }
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (msg->err == RD_KAFKA_RESP_ERR__FATAL || msg->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        result = make_error("kafka_restore", std::string("reading the changelog: ") + rd_kafka_message_errstr(msg.get()));
        break;
      }
      spdlog::warn("kafka: restore: {}", rd_kafka_message_errstr(msg.get()));
      continue;
    }
    processor_.restore(msg->partition, view(msg->key, msg->key_len), view(msg->payload, msg->len));
    ++records;
    auto it = remaining.find(msg->partition);
    if (it != remaining.end() && msg->offset + 1 >= it->second) remaining.erase(it);
  }
  rd_kafka_assign(rc, nullptr);
  counters_.restored.fetch_add(records, std::memory_order_relaxed);
  if (!result) {
    spdlog::info("kafka: restored {} changelog records for partitions {} in {} ms", records, join(partitions),
                 std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count());
  }
  return result;
}

// ---- Errors ------------------------------------------------------------------------------------------------------

void TransactionalRunner::Impl::on_client_error(rd_kafka_t* rk, rd_kafka_resp_err_t err, const char* reason) {
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    fatal_reported_by_client_ = true;  // Details come from rd_kafka_fatal_error() in check_fatal().
    return;
  }
  spdlog::warn("kafka: {}: {}: {}", rd_kafka_name(rk), rd_kafka_err2name(err), reason);
}

void TransactionalRunner::Impl::check_fatal() {
  if (fatal_ || !fatal_reported_by_client_) return;
  std::array<char, 512> reason{};
  for (rd_kafka_t* rk : {producer_.get(), consumer_.get()}) {
    if (rk == nullptr) continue;
    const auto code = rd_kafka_fatal_error(rk, reason.data(), reason.size());
    if (code == RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    if (is_fenced_code(code)) {
      set_fatal(make_error("fenced", "transactional.id " + config_.transactional_id() +
                                         " was fenced by a newer instance with the same id: " + reason.data()));
    } else {
      set_fatal(make_error("kafka_fatal", std::string(rd_kafka_name(rk)) + ": " + rd_kafka_err2name(code) + ": " +
                                              reason.data()));
    }
    return;
  }
}

void TransactionalRunner::Impl::fail_from(const rd_kafka_error_t* error, std::string_view what) {
  if (rd_kafka_error_is_fatal(error)) {
    fatal_reported_by_client_ = true;
    check_fatal();
  }
  if (fatal_) return;
  if (is_fenced_code(rd_kafka_error_code(error))) {
    set_fatal(make_error("fenced", "transactional.id " + config_.transactional_id() +
                                       " was fenced by a newer instance with the same id: " + describe(error)));
    return;
  }
  set_fatal(make_error("kafka_transaction", std::string(what) + ": " + describe(error)));
}

void TransactionalRunner::Impl::set_fatal(Error error) {
  if (fatal_) return;
  spdlog::error("kafka: {}: {}", error.code, error.message);
  fatal_ = std::move(error);
}

// ---- Public face -----------------------------------------------------------------------------------------------

TransactionalRunner::TransactionalRunner(KafkaConfig config, pipeline::RecordProcessor& processor)
    : impl_(std::make_unique<Impl>(std::move(config), processor)) {}

TransactionalRunner::~TransactionalRunner() = default;

std::optional<Error> TransactionalRunner::run() { return impl_->run(); }

void TransactionalRunner::stop() noexcept { impl_->stop(); }

const RunnerCounters& TransactionalRunner::counters() const noexcept { return impl_->counters(); }

}  // namespace sm::kafka
