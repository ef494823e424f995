#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/kafka_config.h"
#include "model/result.h"

namespace sm::kafka {

struct TopicSpec {
  std::string name;
  int partitions = 1;
  int replication_factor = -1;  // -1: the broker's default.replication.factor.
  std::map<std::string, std::string> configs;  // Topic-level configs, e.g. cleanup.policy=compact.
};

// The topics a sanctions-monitor deployment uses, named by `config`: the input and every output topic with
// `partitions` partitions each (the changelog must match the input, partition for partition), and the
// changelog and aggregates topics compacted (only the latest value per key matters).
std::vector<TopicSpec> standard_topics(const KafkaConfig& config, int partitions, int replication_factor = -1);

// Creates topics through Kafka's admin API. Idempotent: a topic that exists already is fine (its partition count
// is not changed; a smaller one than asked is logged). Not thread-safe; one admin client per instance.
class TopicAdmin {
 public:
  // Connects lazily: this only builds the client from `config` (bootstrap servers and pass-through properties).
  static Result<TopicAdmin> create(const KafkaConfig& config);

  TopicAdmin(TopicAdmin&&) noexcept;
  TopicAdmin& operator=(TopicAdmin&&) noexcept;
  ~TopicAdmin();

  // Creates the missing topics and waits until the cluster's metadata shows all of them with leaders.
  std::optional<Error> ensure_topics(const std::vector<TopicSpec>& topics,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // The partition count of an existing topic.
  Result<int> partition_count(const std::string& topic, std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  struct State;
  explicit TopicAdmin(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace sm::kafka
