#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace sm::kafka {

// One assigned partition's lag: records between the group's committed position and the end of the partition
// (the last stable offset under read_committed), as librdkafka's statistics report it.
struct PartitionLag {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t lag = 0;
};

// The per-partition lags in a librdkafka statistics document (`topics.<t>.partitions.<p>`): consumer_lag_stored
// where known (the runner stores each committed position), else consumer_lag. Left out: partitions this client
// does not consume (neither desired nor being fetched, and the internal partition -1) and lags librdkafka does
// not know yet (-1). Sorted by topic, then partition. An error when the text is not a statistics document.
Result<std::vector<PartitionLag>> parse_consumer_lag(std::string_view statistics_json);

// Carries the latest statistics document from the transport's thread to whoever reads the lag. post() is the
// statistics hook: it copies the text and returns (no parsing on the transport's thread); lags() parses the
// latest document once, on the reading thread, and keeps the result until a newer one arrives. Thread-safe.
class ConsumerLagTracker {
 public:
  void post(std::string_view statistics_json);
  std::vector<PartitionLag> lags();

 private:
  std::mutex mutex_;
  std::string pending_;   // guarded by mutex_; the newest document not parsed yet (empty: none)
  std::mutex parse_mutex_;
  std::vector<PartitionLag> last_;  // guarded by parse_mutex_
};

}  // namespace sm::kafka
