#include "app/stage_readiness.h"

#include <fmt/format.h>

namespace sm::app {

bool reflect_stage_assignment(ops::Readiness& readiness, std::string_view condition,
                              const kafka::RunnerCounters& counters) {
  const auto partitions = counters.assigned_partitions.load(std::memory_order_relaxed);
  readiness.set(condition, partitions > 0,
                partitions > 0 ? fmt::format("{} partitions", partitions) : "waiting for an assignment");
  return partitions > 0;
}

}  // namespace sm::app
