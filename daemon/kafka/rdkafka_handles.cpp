#include "kafka/rdkafka_handles.h"

#include <spdlog/spdlog.h>

#include <array>

namespace sm::kafka {
namespace {

// librdkafka logs from its own threads with syslog levels; spdlog's default logger is thread-safe.
void log_to_spdlog(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  const char* name = rk != nullptr ? rd_kafka_name(rk) : "rdkafka";
  spdlog::level::level_enum lvl = spdlog::level::debug;
  if (level <= 3) {
    lvl = spdlog::level::err;
  } else if (level == 4) {
    lvl = spdlog::level::warn;
  } else if (level <= 6) {
    lvl = spdlog::level::info;
  }
  spdlog::log(lvl, "librdkafka {} {}: {}", name, facility, message);
}

}  // namespace

Result<ConfPtr> make_conf(std::initializer_list<const Properties*> layers) {
  Properties merged;
  for (const Properties* layer : layers) {
    for (const auto& [key, value] : *layer) merged[key] = value;
  }
  auto resolved = resolve_properties(merged);
  if (!resolved) return resolved.error();
  ConfPtr conf(rd_kafka_conf_new());
  std::array<char, 512> err{};
  for (const auto& [key, value] : *resolved) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), err.data(), err.size()) != RD_KAFKA_CONF_OK) {
      return make_error("bad_kafka_property", "kafka property " + key + ": " + err.data());
    }
  }
  rd_kafka_conf_set_log_cb(conf.get(), log_to_spdlog);
  return conf;
}

Properties assign_only_reader_properties(const std::string& bootstrap_servers, const std::string& group_id,
                                         const std::string& client_id) {
  return {
      {"bootstrap.servers", bootstrap_servers},
      {"group.id", group_id},
      {"client.id", client_id},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"isolation.level", "read_committed"},
      {"enable.partition.eof", "true"},
      {"auto.offset.reset", "earliest"},
  };
}

Result<ClientPtr> make_client(rd_kafka_type_t type, ConfPtr conf) {
  std::array<char, 512> err{};
  // rd_kafka_new takes the configuration only when it succeeds.
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), err.data(), err.size());
  if (rk == nullptr) {
    return make_error("kafka_client", std::string("cannot create kafka ") +
                                          (type == RD_KAFKA_PRODUCER ? "producer" : "consumer") + ": " +
                                          err.data());
  }
  static_cast<void>(conf.release());
  return ClientPtr(rk);
}

Result<int> topic_partition_count(rd_kafka_t* rk, const std::string& topic, int timeout_ms) {
  std::unique_ptr<rd_kafka_topic_t, decltype(&rd_kafka_topic_destroy)> handle(
      rd_kafka_topic_new(rk, topic.c_str(), nullptr), &rd_kafka_topic_destroy);
  const rd_kafka_metadata_t* raw = nullptr;
  const auto err = rd_kafka_metadata(rk, 0, handle.get(), &raw, timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_metadata", "cannot read metadata of topic " + topic + ": " + rd_kafka_err2str(err));
  }
  MetadataPtr md(raw);
  if (md->topic_cnt != 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const auto terr = md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART;
    return make_error("kafka_topic", "topic " + topic + ": " + rd_kafka_err2str(terr));
  }
  for (int i = 0; i < md->topics[0].partition_cnt; ++i) {
    if (md->topics[0].partitions[i].leader < 0) {
      return make_error("kafka_topic", "topic " + topic + " has a partition without a leader");
    }
  }
  return md->topics[0].partition_cnt;
}

std::string describe(const rd_kafka_error_t* error) {
  return std::string(rd_kafka_error_name(error)) + ": " + rd_kafka_error_string(error);
}

}  // namespace sm::kafka
