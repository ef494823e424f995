#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "kafka/kafka_config.h"
#include "model/result.h"
#include "pipeline/record_processor.h"

namespace sm::kafka {

// Counters for a metrics endpoint: written by the runner's thread, readable from any thread at any time.
struct RunnerCounters {
  std::atomic<std::uint64_t> consumed{0};                         // Input records handed to process().
  std::atomic<std::uint64_t> produced[kOutputKindCount]{};        // Records acknowledged by Kafka, per kind
                                                                  // (those of aborted transactions included).
  std::atomic<std::uint64_t> delivery_failures{0};                // Each one aborts its transaction.
  std::atomic<std::uint64_t> transactions_committed{0};
  std::atomic<std::uint64_t> transactions_aborted{0};
  // Time the runner's thread spent in the commits of committed transactions (before_commit's outputs,
  // send_offsets_to_transaction, commit_transaction), when no input is processed.
  std::atomic<std::uint64_t> commit_nanoseconds{0};
  std::atomic<std::uint64_t> rebalances{0};                       // Assignment changes (assign or revoke).
  std::atomic<std::uint64_t> restored{0};                         // Changelog records replayed.
  std::atomic<std::uint64_t> backpressure_waits{0};               // Times the producer queue was full.
  std::atomic<std::uint64_t> assigned_partitions{0};              // Input partitions owned right now.
};

// Consume-process-produce, exactly once: reads the input topic as a member of the consumer group, hands each
// record to the RecordProcessor, and writes its outputs together with the consumed offsets in one Kafka
// transaction per commit interval (read_committed readers see each input's outputs once, whatever crashes).
// On assignment it replays the changelog partitions of the same numbers into the processor before any input of
// those partitions; on revocation it commits (or, if the assignment was lost, aborts) first.
//
// Threading: run() drives everything on the calling thread, including every call into the processor (which it
// borrows and must outlive the runner). stop() and counters() are safe from any thread; stop() is also safe
// from a signal handler (it only sets an atomic flag).
class TransactionalRunner {
 public:
  TransactionalRunner(KafkaConfig config, pipeline::RecordProcessor& processor);
  ~TransactionalRunner();
  TransactionalRunner(const TransactionalRunner&) = delete;
  TransactionalRunner& operator=(const TransactionalRunner&) = delete;

  // Runs until stop() (then commits the open transaction, leaves the group, flushes: returns nullopt) or until
  // an error it cannot recover from: a fenced or otherwise fatal producer (code "fenced" / "kafka_fatal"), a
  // bad configuration, an unreadable changelog. Call at most once.
  std::optional<Error> run();

  // Asks run() to finish; returns at once.
  void stop() noexcept;

  const RunnerCounters& counters() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sm::kafka
