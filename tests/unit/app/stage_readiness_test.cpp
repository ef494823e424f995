#include "app/stage_readiness.h"

#include <gtest/gtest.h>

namespace sm::app {
namespace {

using ops::Readiness;

TEST(StageReadiness, TheMergeStageIsAConditionOfItsOwnMetOnlyWhileItOwnsRestoredPartitions) {
  Readiness readiness;
  readiness.declare(Readiness::kPartitionsAssigned);
  readiness.declare(Readiness::kMergeAssigned);
  kafka::RunnerCounters stage1;
  kafka::RunnerCounters merge;

  stage1.assigned_partitions = 3;
  EXPECT_TRUE(reflect_stage_assignment(readiness, Readiness::kPartitionsAssigned, stage1));
  EXPECT_FALSE(reflect_stage_assignment(readiness, Readiness::kMergeAssigned, merge));
  EXPECT_FALSE(readiness.ready()) << "stage 1 restored is not enough";
  const auto report = readiness.report().text;
  EXPECT_NE(report.find("[-] merge stage partitions assigned and state restored: waiting for an assignment"),
            std::string::npos)
      << report;

  merge.assigned_partitions = 2;  // The runner counts a partition only once its changelog is replayed.
  EXPECT_TRUE(reflect_stage_assignment(readiness, Readiness::kMergeAssigned, merge));
  EXPECT_TRUE(readiness.ready());
  EXPECT_NE(readiness.report().text.find("[+] merge stage partitions assigned and state restored: 2 partitions"),
            std::string::npos);

  merge.assigned_partitions = 0;  // Revoked in a rebalance: not ready until a new assignment is restored.
  EXPECT_FALSE(reflect_stage_assignment(readiness, Readiness::kMergeAssigned, merge));
  EXPECT_FALSE(readiness.ready());
}

}  // namespace
}  // namespace sm::app
