#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"

namespace sm::kafka {

// librdkafka's built-in mock Kafka cluster, in this process, for the zero-setup demo and client-state tests.
// Clients anywhere on the machine (kcat included) reach it at bootstrap() while this object lives.
// It is NOT a broker for exactly-once proofs: in librdkafka 2.0.2 it shows aborted records to read_committed
// readers, stores no transactional offsets, never fences, and keeps only ~5 MiB per partition.
// Not thread-safe to configure; the cluster itself serves clients from its own threads.
class MockCluster {
 public:
  static Result<MockCluster> start(int brokers = 1);

  MockCluster(MockCluster&&) noexcept;
  MockCluster& operator=(MockCluster&&) noexcept;
  ~MockCluster();  // Stops the cluster; clients still connected see their brokers go down.

  // Creates a topic (the mock has no CreateTopics API; this is its own back door).
  std::optional<Error> create_topic(const std::string& name, int partitions);

  // Makes the next requests of Kafka protocol type `api_key` (0 = Produce, 26 = EndTxn...) fail, one per code in
  // `error_codes` (broker error codes, e.g. 10 = MESSAGE_TOO_LARGE): for tests of the error paths.
  void fail_requests(std::int16_t api_key, const std::vector<int>& error_codes);

  // "host:port[,host:port...]" of the mock brokers.
  const std::string& bootstrap() const;

 private:
  struct State;
  explicit MockCluster(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace sm::kafka
