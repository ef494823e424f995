#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "kafka/kafka_config.h"
#include "kafka/plain_clients.h"
#include "model/result.h"

namespace sm::kafka {

// Reads every partition of one (compacted) topic from its beginning, outside any consumer group and without
// committing, then keeps following it: reference data that every instance needs whole, such as exchange rates.
// Partitions added after the start are not read (a restart picks them up).
//
// Threading: run() makes every callback on the calling thread; stop() is safe from any thread.
class TopicFollower {
 public:
  struct Callbacks {
    std::function<void(const ConsumedRecord&)> on_record;  // Each record, in offset order per partition.
    std::function<void()> on_caught_up;  // Once: every partition read up to the end it had when run() started.
    std::function<void()> on_idle;       // A poll found nothing new (a good moment to publish what was read).
  };

  // `config` gives the bootstrap servers and the librdkafka properties shared by every client (security); the
  // client id is config.transactional_id() + "-" + `client_suffix`.
  TopicFollower(const KafkaConfig& config, std::string topic, const std::string& client_suffix,
                Callbacks callbacks);

  // Runs until stop(); an error when the topic cannot be read (unknown topic, no broker within the metadata
  // timeout, a fatal client error). Call at most once.
  std::optional<Error> run();
  void stop() noexcept { stop_.store(true, std::memory_order_relaxed); }

 private:
  KafkaConfig config_;
  std::string topic_;
  std::string client_id_;
  Callbacks callbacks_;
  std::atomic<bool> stop_{false};
};

}  // namespace sm::kafka
