#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>

namespace sm::pipeline {

// When each partition's turn to publish its changed windows comes round. Partition p of N first publishes p/N
// of an interval after the first time it is asked about, then once an interval: publishing every partition's
// windows in one tick stalls the thread that does it (190 ms every 10 s at 8,000 events/s over 6 partitions in
// stage 1), and every record behind that tick waits for it.
class EmitTurns {
 public:
  EmitTurns(std::chrono::milliseconds interval, std::int32_t partitions)
      : interval_ms_(interval.count()), slots_(std::max<std::int32_t>(1, partitions)) {}

  // Whether `partition` publishes at `now_ms`; if it does, its next turn is an interval later.
  bool due(std::int32_t partition, std::int64_t now_ms) {
    const std::int64_t phase = interval_ms_ * (partition % slots_) / slots_;
    auto& last = last_ms_.try_emplace(partition, now_ms - interval_ms_ + phase).first->second;
    if (now_ms - last < interval_ms_) return false;
    last = now_ms;
    return true;
  }

  // A partition no longer owned starts afresh if it comes back.
  void forget(std::int32_t partition) { last_ms_.erase(partition); }

 private:
  std::int64_t interval_ms_;
  std::int64_t slots_;
  std::map<std::int32_t, std::int64_t> last_ms_;
};

}  // namespace sm::pipeline
