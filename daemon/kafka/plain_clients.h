#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/kafka_config.h"
#include "model/result.h"

namespace sm::kafka {

// A non-transactional producer for feeding input (the demo, benchmarks, tests). Not thread-safe.
class PlainProducer {
 public:
  // Idempotent, acks=all, lz4; `properties` (e.g. linger.ms) override those defaults.
  static Result<PlainProducer> create(const std::string& bootstrap, const Properties& properties = {});
  PlainProducer(PlainProducer&&) noexcept;
  PlainProducer& operator=(PlainProducer&&) noexcept;
  ~PlainProducer();

  // Queues one record (partitioned by key); waits while the local queue is full. Error if it cannot be queued.
  std::optional<Error> produce(const std::string& topic, std::string_view key, std::string_view value);
  // Waits until everything queued is acknowledged; error when some record failed or the timeout passed.
  std::optional<Error> flush(std::chrono::milliseconds timeout);
  std::uint64_t delivered() const;

  struct State;  // Internal (librdkafka's delivery callback reaches it).

 private:
  explicit PlainProducer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// One consumed record.
struct ConsumedRecord {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
  std::int64_t timestamp_ms = 0;
};

// Reads topics from the beginning, outside any group, with read_committed: sees each committed output once.
// Not thread-safe.
class TailConsumer {
 public:
  static Result<TailConsumer> create(const std::string& bootstrap, const std::vector<std::string>& topics,
                                     const Properties& properties = {});
  TailConsumer(TailConsumer&&) noexcept;
  TailConsumer& operator=(TailConsumer&&) noexcept;
  ~TailConsumer();

  // The next record, or nullopt when none arrived within `timeout`.
  std::optional<ConsumedRecord> poll(std::chrono::milliseconds timeout);

 private:
  struct State;
  explicit TailConsumer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace sm::kafka
