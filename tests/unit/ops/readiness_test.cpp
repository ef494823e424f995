#include "ops/readiness.h"

#include <gtest/gtest.h>

#include "ops/metrics.h"

namespace sm::ops {
namespace {

TEST(Readiness, ReadyOnlyWhenEveryDeclaredConditionIsMet) {
  Readiness r;
  r.declare(Readiness::kListsLoaded);
  r.declare(Readiness::kBrokerReachable);
  EXPECT_FALSE(r.ready());
  EXPECT_TRUE(r.set(Readiness::kListsLoaded, true));
  EXPECT_FALSE(r.ready());
  EXPECT_TRUE(r.set(Readiness::kBrokerReachable, true));
  EXPECT_TRUE(r.ready());
  EXPECT_TRUE(r.set(Readiness::kBrokerReachable, false, "all brokers down"));
  EXPECT_FALSE(r.ready());
}

TEST(Readiness, UndeclaredNamesAreRefused) {
  Readiness r;
  r.declare("a");
  EXPECT_FALSE(r.set("typo", true));
  EXPECT_FALSE(r.ready());
  EXPECT_EQ(r.conditions().size(), 1u);
}

TEST(Readiness, DeclaringAgainKeepsTheCurrentState) {
  Readiness r;
  r.declare("a");
  r.set("a", true);
  r.declare("a");
  EXPECT_TRUE(r.ready());
}

TEST(Readiness, ReportListsEachConditionWithItsReasonOnOneLine) {
  Readiness r;
  r.declare(Readiness::kListsLoaded);
  r.declare(Readiness::kBrokerReachable, "no broker answered");
  r.set(Readiness::kListsLoaded, true);
  r.set(Readiness::kBrokerReachable, false, "kafka-1:9092 refused\nkafka-2:9092 timed out");
  const auto report = r.report();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.text,
            "not ready\n"
            "[-] broker reachable: kafka-1:9092 refused kafka-2:9092 timed out\n"
            "[+] lists loaded\n");
}

TEST(Readiness, ExportsReadyAndPerConditionGauges) {
  MetricsRegistry registry;
  Readiness r;
  r.declare(Readiness::kListsLoaded);
  r.declare(Readiness::kPartitionsAssigned);
  r.export_metrics(registry);
  r.set(Readiness::kListsLoaded, true);
  const std::string text = registry.render();
  EXPECT_NE(text.find("sanctions_monitor_ready 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sanctions_monitor_readiness_condition{condition=\"lists loaded\"} 1\n"), std::string::npos);
  EXPECT_NE(
      text.find("sanctions_monitor_readiness_condition{condition=\"partitions assigned and state restored\"} 0\n"),
      std::string::npos);
}

}  // namespace
}  // namespace sm::ops
