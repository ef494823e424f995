#include "dashboard/dashboard_feed.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/engine_processor.h"
#include "sanctions/v1/aggregate.pb.h"
#include "sanctions/v1/alert.pb.h"

namespace sm::dashboard {
namespace {

using nlohmann::json;
using pipeline::OutputKind;
using pipeline::OutputRecord;
using sanctions::v1::Aggregate;
using sanctions::v1::Alert;

// An HttpStream that keeps what it is sent, until the test closes it.
class RecordingStream final : public ops::HttpStream {
 public:
  bool send(std::string data) override {
    if (!open_) return false;
    received += data;
    return true;
  }
  bool is_open() const override { return open_; }
  void close() override { open_ = false; }

  std::string received;

 private:
  bool open_ = true;
};

Alert make_alert(const std::string& id, sanctions::v1::RiskTier tier, const std::string& corridor,
                 const std::vector<std::string>& rules) {
  Alert a;
  a.set_alert_id(id);
  a.set_shipment_id("shp-" + id);
  a.set_risk_tier(tier);
  a.set_risk_score(tier * 20);
  a.set_corridor(corridor);
  for (const auto& rule : rules) {
    auto* r = a.add_reasons();
    r->set_rule_id(rule);
    r->set_points(10);
    r->add_evidence_fields("settlement.currency");
  }
  return a;
}

Aggregate make_aggregate(const std::string& size, const std::string& start, const std::string& corridor,
                         std::int64_t events) {
  Aggregate a;
  a.set_window_size(size);
  a.set_window_start(start);
  a.set_corridor(corridor);
  a.set_event_count(events);
  return a;
}

std::string key_of(const Aggregate& a) { return a.window_size() + "|" + a.window_start() + "|" + a.corridor(); }

// Records as the engine hands them to the transport, in either output format.
class DashboardFeedTest : public ::testing::TestWithParam<config::OutputFormat> {
 protected:
  std::string encode(const google::protobuf::Message& m) const {
    if (GetParam() == config::OutputFormat::kJson) return pipeline::to_json_line(m);
    return m.SerializeAsString();
  }
  OutputRecord alert_record(const Alert& a) const { return {OutputKind::kAlert, a.shipment_id(), encode(a), {}, -1}; }
  OutputRecord aggregate_record(const Aggregate& a) const {
    return {OutputKind::kAggregate, key_of(a), encode(a), {}, -1};
  }
  DashboardFeed make_feed(std::size_t max_alerts = 500, std::size_t max_aggregates = 5000) const {
    FeedOptions o;
    o.format = GetParam();
    o.max_alerts = max_alerts;
    o.max_aggregates = max_aggregates;
    return DashboardFeed(o);
  }
  static std::vector<std::string> alert_ids(const std::string& text) {
    std::vector<std::string> ids;
    const json parsed = json::parse(text);
    for (const auto& a : parsed["alerts"]) ids.push_back(a["alertId"]);
    return ids;
  }
};

TEST_P(DashboardFeedTest, KeepsTheMostRecentAlertsNewestFirstAsPublished) {
  auto feed = make_feed(/*max_alerts=*/3);
  CommittedOutputs first;
  for (const char* id : {"a1", "a2"}) first.alerts.push_back(alert_record(make_alert(id, sanctions::v1::HIGH, "DE-RU", {"R"})));
  feed.publish(first);
  CommittedOutputs second;
  for (const char* id : {"a3", "a4", "a5"}) second.alerts.push_back(alert_record(make_alert(id, sanctions::v1::HIGH, "DE-RU", {"R"})));
  feed.publish(second);

  EXPECT_EQ(feed.alert_count(), 3U);
  const auto all = feed.alerts_json({}, 100);
  EXPECT_EQ(alert_ids(all), (std::vector<std::string>{"a5", "a4", "a3"}));
  EXPECT_EQ(json::parse(all)["seq"], 5);
  EXPECT_EQ(alert_ids(feed.alerts_json({}, 2)), (std::vector<std::string>{"a5", "a4"}));
  // The JSON is the topics' own form of the message: what to_json_line prints.
  const auto a5 = make_alert("a5", sanctions::v1::HIGH, "DE-RU", {"R"});
  EXPECT_NE(all.find(pipeline::to_json_line(a5)), std::string::npos);
}

TEST_P(DashboardFeedTest, FiltersAlertsByTierCorridorAndRule) {
  auto feed = make_feed();
  CommittedOutputs batch;
  batch.alerts.push_back(alert_record(make_alert("c1", sanctions::v1::CRITICAL, "CN-RU", {"SANCTIONED_PARTY"})));
  batch.alerts.push_back(alert_record(make_alert("h1", sanctions::v1::HIGH, "DE-RU", {"CHPL_TO_RUSSIA", "EUR_ON_RUSSIA_CORRIDOR"})));
  batch.alerts.push_back(alert_record(make_alert("m1", sanctions::v1::MEDIUM, "CN-RU", {"USD_ON_RUSSIA_CORRIDOR"})));
  feed.publish(batch);

  AlertFilter tiers;
  tiers.tiers = {"CRITICAL", "HIGH"};
  EXPECT_EQ(alert_ids(feed.alerts_json(tiers, 100)), (std::vector<std::string>{"h1", "c1"}));
  AlertFilter corridor;
  corridor.corridor = "CN-RU";
  EXPECT_EQ(alert_ids(feed.alerts_json(corridor, 100)), (std::vector<std::string>{"m1", "c1"}));
  AlertFilter rule;
  rule.rule = "EUR_ON_RUSSIA_CORRIDOR";
  EXPECT_EQ(alert_ids(feed.alerts_json(rule, 100)), std::vector<std::string>{"h1"});
  AlertFilter none;
  none.tiers = {"LOW"};
  EXPECT_TRUE(alert_ids(feed.alerts_json(none, 100)).empty());
}

TEST_P(DashboardFeedTest, KeepsTheLatestAggregatePerKeyAndEvictsTheOldestWindows) {
  auto feed = make_feed(500, /*max_aggregates=*/3);
  CommittedOutputs batch;
  batch.aggregates.push_back(aggregate_record(make_aggregate("1h", "2026-03-01T01:00:00Z", "CN-RU", 1)));
  batch.aggregates.push_back(aggregate_record(make_aggregate("1h", "2026-03-01T01:00:00Z", "CN-RU", 4)));  // newer
  batch.aggregates.push_back(aggregate_record(make_aggregate("1h", "2026-03-01T00:00:00Z", "DE-RU", 2)));
  batch.aggregates.push_back(aggregate_record(make_aggregate("1d", "2026-03-01T00:00:00Z", "CN-RU", 9)));
  feed.publish(batch);
  EXPECT_EQ(feed.aggregate_count(), 3U);

  auto hourly = json::parse(feed.aggregates_json("1h"));
  ASSERT_EQ(hourly["aggregates"].size(), 2U);
  EXPECT_EQ(hourly["aggregates"][0]["corridor"], "DE-RU");  // by window start
  EXPECT_EQ(hourly["aggregates"][1]["eventCount"], "4");    // the last update of the key
  EXPECT_EQ(hourly["windowSizes"], (json{"1d", "1h"}));
  EXPECT_EQ(json::parse(feed.aggregates_json(""))["aggregates"].size(), 3U);

  CommittedOutputs later;
  later.aggregates.push_back(aggregate_record(make_aggregate("1h", "2026-03-01T02:00:00Z", "CN-RU", 1)));
  feed.publish(later);
  EXPECT_EQ(feed.aggregate_count(), 3U);
  // One of the two windows starting at midnight went (the oldest start); the 01:00 and 02:00 windows stay.
  const auto all = json::parse(feed.aggregates_json(""))["aggregates"];
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[1]["windowStart"], "2026-03-01T01:00:00Z");
  EXPECT_EQ(all[2]["windowStart"], "2026-03-01T02:00:00Z");
}

TEST_P(DashboardFeedTest, SendsEveryPublishedRecordToSubscribersAfterAHello) {
  auto feed = make_feed();
  CommittedOutputs before;
  before.alerts.push_back(alert_record(make_alert("a1", sanctions::v1::MEDIUM, "CN-RU", {"R"})));
  feed.publish(before);

  auto stream = std::make_shared<RecordingStream>();
  auto gone = std::make_shared<RecordingStream>();
  feed.subscribe(stream);
  feed.subscribe(gone);
  EXPECT_EQ(feed.subscriber_count(), 2U);
  EXPECT_NE(stream->received.find("event: hello\ndata: {\"seq\":1}\n\n"), std::string::npos);
  gone->close();

  CommittedOutputs batch;
  const auto alert = make_alert("a2", sanctions::v1::CRITICAL, "CN-RU", {"SANCTIONED_PARTY"});
  const auto aggregate = make_aggregate("1h", "2026-03-01T00:00:00Z", "CN-RU", 3);
  batch.alerts.push_back(alert_record(alert));
  batch.aggregates.push_back(aggregate_record(aggregate));
  feed.publish(batch);
  EXPECT_NE(stream->received.find("id: 2\nevent: alert\ndata: " + pipeline::to_json_line(alert) + "\n\n"),
            std::string::npos);
  EXPECT_NE(stream->received.find("id: 3\nevent: aggregate\ndata: " + pipeline::to_json_line(aggregate) + "\n\n"),
            std::string::npos);
  EXPECT_EQ(stream->received.find("a1"), std::string::npos);  // the snapshot endpoints hold what came before
  EXPECT_EQ(feed.subscriber_count(), 1U);                     // the closed one is forgotten

  feed.heartbeat();
  EXPECT_EQ(stream->received.substr(stream->received.size() - 14), ": keep-alive\n\n");
}

TEST_P(DashboardFeedTest, CountsAndSkipsRecordsThatDoNotDecode) {
  auto feed = make_feed();
  CommittedOutputs batch;
  batch.alerts.push_back({OutputKind::kAlert, "k", GetParam() == config::OutputFormat::kJson ? "{not json" : "\xff\xff\xff", {}, -1});
  batch.alerts.push_back(alert_record(make_alert("ok", sanctions::v1::LOW, "CN-RU", {})));
  feed.publish(batch);
  EXPECT_EQ(feed.unreadable(), 1U);
  EXPECT_EQ(alert_ids(feed.alerts_json({}, 10)), std::vector<std::string>{"ok"});
}

INSTANTIATE_TEST_SUITE_P(Formats, DashboardFeedTest,
                         ::testing::Values(config::OutputFormat::kJson, config::OutputFormat::kProtobuf),
                         [](const auto& p) { return p.param == config::OutputFormat::kJson ? "Json" : "Protobuf"; });

}  // namespace
}  // namespace sm::dashboard
