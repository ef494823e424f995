#include "kafka/topic_admin.h"

#include <spdlog/spdlog.h>

#include <array>
#include <thread>

#include "kafka/rdkafka_handles.h"

namespace sm::kafka {

struct TopicAdmin::State {
  ClientPtr client;
};

std::vector<TopicSpec> standard_topics(const KafkaConfig& config, int partitions, int replication_factor) {
  using pipeline::OutputKind;
  std::vector<TopicSpec> specs;
  specs.push_back({config.input_topic, partitions, replication_factor, {}});
  for (auto kind : {OutputKind::kAlert, OutputKind::kAggregate, OutputKind::kDeadLetter, OutputKind::kLateEvent,
                    OutputKind::kChangelog}) {
    TopicSpec spec{config.topic(kind), partitions, replication_factor, {}};
    if (kind == OutputKind::kChangelog || kind == OutputKind::kAggregate) spec.configs["cleanup.policy"] = "compact";
    specs.push_back(std::move(spec));
  }
  return specs;
}

Result<TopicAdmin> TopicAdmin::create(const KafkaConfig& config) {
  const Properties required = {{"bootstrap.servers", config.bootstrap_servers},
                               {"client.id", config.transactional_id() + "-admin"},
                               {"allow.auto.create.topics", "false"}};
  auto conf = make_conf({&config.properties, &required});
  if (!conf) return conf.error();
  // The admin API runs on any client type; a producer never joins a group or fetches.
  auto client = make_client(RD_KAFKA_PRODUCER, std::move(conf.value()));
  if (!client) return client.error();
  auto state = std::make_unique<State>();
  state->client = std::move(client.value());
  return TopicAdmin(std::move(state));
}

TopicAdmin::TopicAdmin(std::unique_ptr<State> state) : state_(std::move(state)) {}
TopicAdmin::TopicAdmin(TopicAdmin&&) noexcept = default;
TopicAdmin& TopicAdmin::operator=(TopicAdmin&&) noexcept = default;
TopicAdmin::~TopicAdmin() = default;

std::optional<Error> TopicAdmin::ensure_topics(const std::vector<TopicSpec>& topics,
                                               std::chrono::milliseconds timeout) {
  if (topics.empty()) return std::nullopt;
  rd_kafka_t* rk = state_->client.get();
  std::array<char, 512> err{};

  std::vector<NewTopicPtr> owned;
  std::vector<rd_kafka_NewTopic_t*> raw;
  for (const auto& spec : topics) {
    NewTopicPtr nt(rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions, spec.replication_factor, err.data(),
                                         err.size()));
    if (!nt) return make_error("kafka_admin", "topic " + spec.name + ": " + err.data());
    for (const auto& [key, value] : spec.configs) {
      if (const auto e = rd_kafka_NewTopic_set_config(nt.get(), key.c_str(), value.c_str()); e) {
        return make_error("kafka_admin", "topic " + spec.name + " config " + key + ": " + rd_kafka_err2str(e));
      }
    }
    raw.push_back(nt.get());
    owned.push_back(std::move(nt));
  }

  AdminOptionsPtr options(rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), static_cast<int>(timeout.count()), err.data(), err.size());
  rd_kafka_AdminOptions_set_request_timeout(options.get(), static_cast<int>(timeout.count()), err.data(), err.size());
  QueuePtr queue(rd_kafka_queue_new(rk));
  rd_kafka_CreateTopics(rk, raw.data(), raw.size(), options.get(), queue.get());
  EventPtr event(rd_kafka_queue_poll(queue.get(), static_cast<int>(timeout.count()) + 5'000));
  if (!event) return make_error("kafka_admin", "no answer to CreateTopics");
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_admin", std::string("CreateTopics: ") + rd_kafka_event_error_string(event.get()));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto code = rd_kafka_topic_result_error(results[i]);
    const std::string name = rd_kafka_topic_result_name(results[i]);
    if (code == RD_KAFKA_RESP_ERR_NO_ERROR) {
      spdlog::info("kafka: created topic {}", name);
    } else if (code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      const char* msg = rd_kafka_topic_result_error_string(results[i]);
      return make_error("kafka_admin", "cannot create topic " + name + ": " + (msg != nullptr ? msg : rd_kafka_err2str(code)));
    }
  }

  // Creation is asynchronous on the broker: wait until every topic has its partitions with leaders, so that the
  // clients that follow do not meet an unknown topic.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& spec : topics) {
    for (;;) {
      auto n = partition_count(spec.name, std::chrono::seconds(5));
      if (n && *n > 0) {
        if (*n < spec.partitions) {
          spdlog::warn("kafka: topic {} exists with {} partitions, fewer than the {} asked for", spec.name, *n,
                       spec.partitions);
        }
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return make_error("kafka_admin", "topic " + spec.name + " did not appear in metadata: " +
                                             (n ? std::string("no partitions") : n.error().message));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return std::nullopt;
}

Result<int> TopicAdmin::partition_count(const std::string& topic, std::chrono::milliseconds timeout) {
  return topic_partition_count(state_->client.get(), topic, static_cast<int>(timeout.count()));
}

}  // namespace sm::kafka
