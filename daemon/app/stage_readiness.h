#pragma once

#include <string_view>

#include "kafka/transactional_runner.h"
#include "ops/readiness.h"

namespace sm::app {

// Sets the readiness `condition` of one transactional stage from its runner's counters: met while the runner
// owns at least one partition. The runner counts a partition as assigned only after it replayed that
// partition's changelog, so "met" also means "state restored". Returns whether the condition is met.
bool reflect_stage_assignment(ops::Readiness& readiness, std::string_view condition,
                              const kafka::RunnerCounters& counters);

}  // namespace sm::app
