#include "pipeline/emit_turns.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace sm::pipeline {
namespace {

// The milliseconds in [from, to) at which `partition` is due, asked every millisecond.
std::vector<std::int64_t> turns(EmitTurns& t, std::int32_t partition, std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> due;
  for (std::int64_t now = from; now < to; ++now) {
    if (t.due(partition, now)) due.push_back(now);
  }
  return due;
}

TEST(EmitTurns, PartitionPOfNFirstPublishesPOverNOfAnIntervalInThenOnceAnInterval) {
  EmitTurns t(std::chrono::milliseconds(1000), 4);
  EXPECT_EQ(turns(t, 0, 5000, 8000), (std::vector<std::int64_t>{5000, 6000, 7000}));
  EXPECT_EQ(turns(t, 1, 5000, 8000), (std::vector<std::int64_t>{5250, 6250, 7250}));
  EXPECT_EQ(turns(t, 3, 5000, 8000), (std::vector<std::int64_t>{5750, 6750, 7750}));
  // Partition 5 of 4 shares partition 1's phase.
  EXPECT_EQ(turns(t, 5, 5000, 6000), (std::vector<std::int64_t>{5250}));
}

TEST(EmitTurns, ATickThatComesLateStartsTheNextIntervalFromItself) {
  EmitTurns t(std::chrono::milliseconds(100), 1);
  EXPECT_TRUE(t.due(0, 1000));
  EXPECT_FALSE(t.due(0, 1099));
  EXPECT_TRUE(t.due(0, 1250));  // Late, then an interval from 1250.
  EXPECT_FALSE(t.due(0, 1349));
  EXPECT_TRUE(t.due(0, 1350));
}

TEST(EmitTurns, AForgottenPartitionStartsItsTurnsAfresh) {
  EmitTurns t(std::chrono::milliseconds(1000), 2);
  EXPECT_FALSE(t.due(1, 0));  // First asked at 0: due at 500.
  EXPECT_TRUE(t.due(1, 500));
  t.forget(1);
  EXPECT_FALSE(t.due(1, 700));  // Asked afresh at 700: due half an interval later.
  EXPECT_TRUE(t.due(1, 1200));
}

TEST(EmitTurns, NoPartitionCountMeansOneSlot) {
  EmitTurns t(std::chrono::milliseconds(1000), 0);
  EXPECT_TRUE(t.due(3, 0));
  EXPECT_TRUE(t.due(4, 0));
}

}  // namespace
}  // namespace sm::pipeline
