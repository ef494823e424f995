#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sm::pipeline {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One consumed record, as the transport hands it over. Views are valid only during the call.
struct InputRecord {
  std::string_view topic;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string_view key;
  std::string_view value;
  const Headers* headers = nullptr;  // May be null when the record has none.
  std::int64_t timestamp_ms = 0;     // The record's Kafka timestamp.
};

// Where an output record goes; the transport maps each kind to a configured topic.
enum class OutputKind { kAlert, kAggregate, kDeadLetter, kLateEvent, kChangelog };

struct OutputRecord {
  OutputKind kind = OutputKind::kAlert;
  std::string key;
  std::string value;  // An empty value on kChangelog is a tombstone (state deleted).
  Headers headers;
  std::int32_t partition = -1;  // -1: the transport partitions by key. kChangelog sets the input partition
                                // whose state the record holds, and the transport writes it there.
};

// What a transport (Kafka, or a file for replay) drives: records in, records out. The transport owns
// delivery and offsets; the processor owns decoding, judging and counting. Not thread-safe: one
// transport thread calls it.
class RecordProcessor {
 public:
  virtual ~RecordProcessor() = default;

  // Handles one record, appending whatever it produces (alerts, aggregate updates, a dead letter) to `out`.
  // Never throws for bad input: a record that cannot be decoded or validated becomes a kDeadLetter output.
  virtual void process(const InputRecord& record, std::vector<OutputRecord>& out) = 0;

  // Called periodically by the transport (wall clock, ms since epoch): emits due aggregate updates.
  virtual void on_tick(std::int64_t now_ms, std::vector<OutputRecord>& out) = 0;

  // Transactions. Before committing, the transport calls before_commit() and writes what it appends
  // (kChangelog state for the partitions changed since the last commit) in the same transaction; then
  // on_committed(). After an abort it calls on_aborted(): the processor returns to its state as of the last
  // commit, and the transport re-delivers from the committed offsets.
  virtual void before_commit(std::vector<OutputRecord>& out) = 0;
  virtual void on_committed() = 0;
  virtual void on_aborted() = 0;

  // Partition ownership of the input topic. On assignment the transport first replays the changelog
  // partition of the same number to its end through restore(), then calls on_assigned(); only then does it
  // deliver input records of that partition. On revocation the processor drops the partition's state.
  virtual void restore(std::int32_t partition, std::string_view key, std::string_view value) = 0;
  virtual void on_assigned(const std::vector<std::int32_t>& partitions) = 0;
  virtual void on_revoked(const std::vector<std::int32_t>& partitions) = 0;
};

}  // namespace sm::pipeline
