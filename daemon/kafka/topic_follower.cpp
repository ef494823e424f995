#include "kafka/topic_follower.h"

#include <spdlog/spdlog.h>

#include <map>
#include <thread>

#include "kafka/rdkafka_handles.h"

namespace sm::kafka {
namespace {

constexpr int kMetadataTimeoutMs = 10'000;
using Clock = std::chrono::steady_clock;

}  // namespace

TopicFollower::TopicFollower(const KafkaConfig& config, std::string topic, const std::string& client_suffix,
                             Callbacks callbacks)
    : config_(config),
      topic_(std::move(topic)),
      client_id_(config.transactional_id() + "-" + client_suffix),
      callbacks_(std::move(callbacks)) {}

std::optional<Error> TopicFollower::run() {
  Properties required =
      assign_only_reader_properties(config_.bootstrap_servers, config_.group_id + "." + client_id_, client_id_);
  required["allow.auto.create.topics"] = "false";
  auto conf = make_conf({&config_.properties, &required});
  if (!conf) return conf.error();
  auto client = make_client(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!client) return client.error();
  rd_kafka_t* rk = client->get();
  rd_kafka_poll_set_consumer(rk);

  auto partitions = topic_partition_count(rk, topic_, kMetadataTimeoutMs);
  if (!partitions) return partitions.error();
  // Where each partition ends now: the initial read is complete once every one of them is reached.
  std::map<std::int32_t, std::int64_t> remaining;
  PartitionListPtr list(rd_kafka_topic_partition_list_new(*partitions));
  const auto started = Clock::now();
  for (std::int32_t p = 0; p < *partitions; ++p) {
    std::int64_t low = 0;
    std::int64_t high = 0;
    for (;;) {
      const auto err = rd_kafka_query_watermark_offsets(rk, topic_.c_str(), p, &low, &high, kMetadataTimeoutMs);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (stop_.load(std::memory_order_relaxed)) return std::nullopt;
      if (Clock::now() - started > std::chrono::milliseconds(kMetadataTimeoutMs) * 3) {
        return make_error("kafka_follow", "cannot read the end of " + topic_ + " [" + std::to_string(p) +
                                              "]: " + rd_kafka_err2str(err));
      }
      spdlog::warn("kafka: {} [{}]: {} (retrying)", topic_, p, rd_kafka_err2str(err));
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (high > low) remaining[p] = high;
    rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  if (const auto err = rd_kafka_assign(rk, list.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_follow", "cannot assign " + topic_ + ": " + rd_kafka_err2str(err));
  }
  spdlog::info("kafka: following {} ({} partitions) from the beginning", topic_, *partitions);

  bool caught_up = false;
  std::uint64_t records = 0;
  const auto check_caught_up = [&] {
    if (caught_up || !remaining.empty()) return;
    caught_up = true;
    spdlog::info("kafka: read {} up to its end ({} records in {} ms); following it", topic_, records,
                 std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count());
    if (callbacks_.on_caught_up) callbacks_.on_caught_up();
  };
  check_caught_up();
  std::optional<Error> result;
  ConsumedRecord rec;
  while (!stop_.load(std::memory_order_relaxed)) {
    MessagePtr msg(rd_kafka_consumer_poll(rk, 200));
    if (!msg) {
      if (callbacks_.on_idle) callbacks_.on_idle();
      continue;
    }
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      remaining.erase(msg->partition);
      if (callbacks_.on_idle) callbacks_.on_idle();
      check_caught_up();
      continue;
    }
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (msg->err == RD_KAFKA_RESP_ERR__FATAL || msg->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
        result = make_error("kafka_follow", "reading " + topic_ + ": " + rd_kafka_message_errstr(msg.get()));
        break;
      }
      spdlog::warn("kafka: {}: {}", topic_, rd_kafka_message_errstr(msg.get()));
      continue;
    }
    rec.topic = topic_;
    rec.partition = msg->partition;
    rec.offset = msg->offset;
    rec.key.assign(msg->key != nullptr ? static_cast<const char*>(msg->key) : "", msg->key_len);
    rec.value.assign(msg->payload != nullptr ? static_cast<const char*>(msg->payload) : "", msg->len);
    rec.timestamp_ms = rd_kafka_message_timestamp(msg.get(), nullptr);
    ++records;
    if (callbacks_.on_record) callbacks_.on_record(rec);
    const auto it = remaining.find(msg->partition);
    if (it != remaining.end() && msg->offset + 1 >= it->second) remaining.erase(it);
    check_caught_up();
  }
  rd_kafka_consumer_close(rk);
  return result;
}

}  // namespace sm::kafka
