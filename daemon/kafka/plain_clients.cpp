#include "kafka/plain_clients.h"

#include <atomic>

#include "kafka/rdkafka_handles.h"

namespace sm::kafka {

struct PlainProducer::State {
  ClientPtr rk;
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> failed{0};
  std::string first_failure;
};

namespace {

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto* state = static_cast<PlainProducer::State*>(opaque);
  if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (state->failed++ == 0) state->first_failure = rd_kafka_err2str(msg->err);
  } else {
    ++state->delivered;
  }
}

}  // namespace

Result<PlainProducer> PlainProducer::create(const std::string& bootstrap, const Properties& properties) {
  auto state = std::make_unique<State>();
  const Properties defaults = {{"bootstrap.servers", bootstrap}, {"enable.idempotence", "true"},
                               {"compression.type", "lz4"}, {"linger.ms", "5"}};
  auto conf = make_conf({&defaults, &properties});
  if (!conf) return conf.error();
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &on_delivery);
  rd_kafka_conf_set_opaque(conf->get(), state.get());
  auto rk = make_client(RD_KAFKA_PRODUCER, std::move(*conf));
  if (!rk) return rk.error();
  state->rk = std::move(*rk);
  return PlainProducer(std::move(state));
}

PlainProducer::PlainProducer(std::unique_ptr<State> state) : state_(std::move(state)) {}
PlainProducer::PlainProducer(PlainProducer&&) noexcept = default;
PlainProducer& PlainProducer::operator=(PlainProducer&&) noexcept = default;
PlainProducer::~PlainProducer() {
  if (state_ && state_->rk) rd_kafka_flush(state_->rk.get(), 5000);
}

std::optional<Error> PlainProducer::produce(const std::string& topic, std::string_view key, std::string_view value) {
  // rd_kafka_produceva: producev's macros are C casts. librdkafka copies key and value (MSG_F_COPY).
  rd_kafka_vu_t vus[4] = {};
  vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
  vus[0].u.cstr = topic.c_str();
  vus[1].vtype = RD_KAFKA_VTYPE_KEY;
  vus[1].u.mem.ptr = key.empty() ? nullptr : const_cast<char*>(key.data());  // NOLINT: read only
  vus[1].u.mem.size = key.size();
  vus[2].vtype = RD_KAFKA_VTYPE_VALUE;
  vus[2].u.mem.ptr = value.empty() ? nullptr : const_cast<char*>(value.data());  // NOLINT: read only
  vus[2].u.mem.size = value.size();
  vus[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  vus[3].u.i = RD_KAFKA_MSG_F_COPY;
  for (;;) {
    ErrorPtr error(rd_kafka_produceva(state_->rk.get(), vus, 4));
    const rd_kafka_resp_err_t err = error ? rd_kafka_error_code(error.get()) : RD_KAFKA_RESP_ERR_NO_ERROR;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return make_error("kafka_produce", rd_kafka_err2str(err));
    rd_kafka_poll(state_->rk.get(), 50);  // Back-pressure: wait for deliveries to free the queue.
  }
  rd_kafka_poll(state_->rk.get(), 0);
  if (state_->failed.load() > 0) return make_error("kafka_delivery", state_->first_failure);
  return std::nullopt;
}

std::optional<Error> PlainProducer::flush(std::chrono::milliseconds timeout) {
  const rd_kafka_resp_err_t err = rd_kafka_flush(state_->rk.get(), static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return make_error("kafka_flush", rd_kafka_err2str(err));
  if (state_->failed.load() > 0) return make_error("kafka_delivery", state_->first_failure);
  return std::nullopt;
}

std::uint64_t PlainProducer::delivered() const { return state_->delivered.load(); }

struct TailConsumer::State {
  ClientPtr rk;
};

Result<TailConsumer> TailConsumer::create(const std::string& bootstrap, const std::vector<std::string>& topics,
                                          const Properties& properties) {
  const Properties defaults = {{"bootstrap.servers", bootstrap}, {"group.id", "sanctions-monitor-tail"},
                               {"isolation.level", "read_committed"}, {"enable.auto.commit", "false"},
                               {"enable.partition.eof", "false"}, {"allow.auto.create.topics", "false"}};
  auto conf = make_conf({&defaults, &properties});
  if (!conf) return conf.error();
  auto rk = make_client(RD_KAFKA_CONSUMER, std::move(*conf));
  if (!rk) return rk.error();
  rd_kafka_poll_set_consumer(rk->get());
  PartitionListPtr list(rd_kafka_topic_partition_list_new(8));
  for (const auto& topic : topics) {
    auto partitions = topic_partition_count(rk->get(), topic, 10'000);
    if (!partitions) return partitions.error();
    for (int p = 0; p < *partitions; ++p) {
      rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
  }
  if (const rd_kafka_resp_err_t err = rd_kafka_assign(rk->get(), list.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_assign", rd_kafka_err2str(err));
  }
  auto state = std::make_unique<State>();
  state->rk = std::move(*rk);
  return TailConsumer(std::move(state));
}

TailConsumer::TailConsumer(std::unique_ptr<State> state) : state_(std::move(state)) {}
TailConsumer::TailConsumer(TailConsumer&&) noexcept = default;
TailConsumer& TailConsumer::operator=(TailConsumer&&) noexcept = default;
TailConsumer::~TailConsumer() {
  if (state_ && state_->rk) rd_kafka_consumer_close(state_->rk.get());
}

std::optional<ConsumedRecord> TailConsumer::poll(std::chrono::milliseconds timeout) {
  MessagePtr msg(rd_kafka_consumer_poll(state_->rk.get(), static_cast<int>(timeout.count())));
  if (!msg || msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) return std::nullopt;
  ConsumedRecord r;
  r.topic = rd_kafka_topic_name(msg->rkt);
  r.partition = msg->partition;
  r.offset = msg->offset;
  if (msg->key != nullptr) r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
  if (msg->payload != nullptr) r.value.assign(static_cast<const char*>(msg->payload), msg->len);
  r.timestamp_ms = rd_kafka_message_timestamp(msg.get(), nullptr);
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(msg.get(), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
      r.headers.emplace_back(name, value != nullptr ? std::string(static_cast<const char*>(value), size) : std::string());
    }
  }
  return r;
}

}  // namespace sm::kafka
