#include "kafka/consumer_lag.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace sm::kafka {
namespace {

using nlohmann::json;

// A partition object shaped like librdkafka's statistics (only the fields the parser looks at, plus noise).
json partition(bool desired, long long lag, long long lag_stored) {
  return {{"partition", 0},       {"desired", desired}, {"fetch_state", desired ? "active" : "none"}, {"hi_offset", 100},
          {"ls_offset", 100},     {"committed_offset", 40}, {"consumer_lag", lag},  {"consumer_lag_stored", lag_stored}};
}

std::string statistics(const json& topics) {
  return json{{"name", "rdkafka#consumer-1"}, {"type", "consumer"}, {"brokers", json::object()}, {"topics", topics}}
      .dump();
}

TEST(ConsumerLag, PrefersTheStoredLagAndFallsBackToTheCommittedOne) {
  const auto lags = parse_consumer_lag(statistics(
      {{"trade.events",
        {{"partitions", {{"1", partition(true, 60, 3)}, {"0", partition(true, 60, -1)}, {"-1", partition(false, -1, -1)}}}}}}));
  ASSERT_TRUE(lags) << lags.error().message;
  ASSERT_EQ(lags->size(), 2U);
  EXPECT_EQ((*lags)[0].topic, "trade.events");
  EXPECT_EQ((*lags)[0].partition, 0);
  EXPECT_EQ((*lags)[0].lag, 60);  // nothing stored yet (just assigned): the committed offset's lag
  EXPECT_EQ((*lags)[1].partition, 1);
  EXPECT_EQ((*lags)[1].lag, 3);
}

TEST(ConsumerLag, LeavesOutUnassignedAndUnknownPartitionsSortedNumerically) {
  const auto lags = parse_consumer_lag(statistics(
      {{"b", {{"partitions", {{"10", partition(true, 5, 5)}, {"2", partition(true, 7, 7)}, {"3", partition(false, 9, 9)},
                              {"4", partition(true, -1, -1)}}}}},
       {"a", {{"partitions", {{"0", partition(true, 0, 0)}}}}}}));
  ASSERT_TRUE(lags);
  ASSERT_EQ(lags->size(), 3U);
  EXPECT_EQ((*lags)[0].topic, "a");
  EXPECT_EQ((*lags)[0].lag, 0);
  EXPECT_EQ((*lags)[1].partition, 2);
  EXPECT_EQ((*lags)[2].partition, 10);
}

TEST(ConsumerLag, APartitionBeingFetchedCountsAsOwnedEvenIfNotMarkedDesired) {
  json p = partition(false, 8, 8);
  p["fetch_state"] = "active";
  const auto lags = parse_consumer_lag(statistics({{"t", {{"partitions", {{"0", p}}}}}}));
  ASSERT_TRUE(lags);
  ASSERT_EQ(lags->size(), 1U);
  EXPECT_EQ((*lags)[0].lag, 8);
}

TEST(ConsumerLag, NoTopicsYetIsEmptyAndGarbageIsAnError) {
  const auto empty = parse_consumer_lag(R"({"name":"c","type":"consumer"})");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(parse_consumer_lag("{\"topics\":"));
  EXPECT_FALSE(parse_consumer_lag("[1,2]"));
  EXPECT_FALSE(parse_consumer_lag(R"({"topics":[]})"));
}

TEST(ConsumerLagTracker, KeepsTheLastGoodReadingUntilANewerDocumentArrives) {
  ConsumerLagTracker tracker;
  EXPECT_TRUE(tracker.lags().empty());
  tracker.post(statistics({{"t", {{"partitions", {{"0", partition(true, 12, 12)}}}}}}));
  ASSERT_EQ(tracker.lags().size(), 1U);
  EXPECT_EQ(tracker.lags()[0].lag, 12);  // read twice: the parsed reading is kept
  tracker.post("not json");
  ASSERT_EQ(tracker.lags().size(), 1U);  // a bad document is reported and ignored
  tracker.post(statistics({{"t", {{"partitions", {{"0", partition(true, 2, 2)}}}}}}));
  EXPECT_EQ(tracker.lags()[0].lag, 2);
}

}  // namespace
}  // namespace sm::kafka
