#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

namespace sm::pipeline {

// What EngineProcessor reports as it works, for metrics: the processor calls on_x(), the implementation
// (app/service_metrics.h for the daemon) owns metric names and registration; replay passes none. Called on the
// processing thread only; implementations must be quick and must not throw.
class ProcessorProbe {
 public:
  virtual ~ProcessorProbe() = default;

  // A record that could not be decoded or validated, with its rejection code (decode::Rejection::code).
  virtual void on_rejected(std::string_view code) = 0;
  // One record handled, from the start of decoding to its outputs being ready (steady clock).
  virtual void on_processed(std::chrono::nanoseconds elapsed) = 0;
  // A transaction committed: the Kafka timestamps (ms since epoch) of the input records it covered, and the
  // wall-clock time of the commit.
  virtual void on_committed(std::span<const std::int64_t> record_timestamps_ms, std::int64_t now_ms) = 0;
};

}  // namespace sm::pipeline
