// End-to-end tests of `sanctions-monitor replay` on the hand-checked day in tests/golden/ (see its README).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "testing/test_paths.h"

namespace sm {
namespace {

using nlohmann::json;
namespace t = sm::testing;

std::vector<json> read_lines(const std::string& path) {
  std::vector<json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

std::string golden(const std::string& name) { return t::repo_dir() + "/tests/golden/" + name; }

struct ReplayRun {
  int exit_code = -1;
  std::string dir;
  std::vector<json> alerts, aggregates, rejects, late;
  std::string stderr_text;
};

ReplayRun replay(const std::string& name, const std::string& input, const std::string& extra = "") {
  ReplayRun r;
  r.dir = t::temp_dir(name);
  const std::string config = t::test_config(r.dir);
  r.exit_code = t::run(t::binary() + " replay --config " + config + " --input " + input + " --alerts-out " + r.dir +
                       "/alerts.jsonl --aggregates-out " + r.dir + "/aggregates.jsonl --rejects-out " + r.dir +
                       "/rejects.jsonl --late-out " + r.dir + "/late.jsonl " + extra + " 2> " + r.dir + "/stderr.txt");
  r.alerts = read_lines(r.dir + "/alerts.jsonl");
  r.aggregates = read_lines(r.dir + "/aggregates.jsonl");
  r.rejects = read_lines(r.dir + "/rejects.jsonl");
  r.late = read_lines(r.dir + "/late.jsonl");
  r.stderr_text = t::read_file(r.dir + "/stderr.txt");
  return r;
}

std::map<std::string, json> by_event(const std::vector<json>& alerts) {
  std::map<std::string, json> m;
  for (const auto& a : alerts) m[a.at("eventId").get<std::string>()] = a;
  return m;
}

std::string key(const json& a) {
  return a.at("windowSize").get<std::string>() + "|" + a.at("windowStart").get<std::string>() + "|" +
         a.at("corridor").get<std::string>();
}

TEST(ReplayGolden, AlertsAreExactlyTheHandCheckedOnes) {
  const ReplayRun r = replay("golden_alerts", golden("events.jsonl"), "--min-tier low");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto actual = by_event(r.alerts);
  const auto expected = read_lines(golden("expected_alerts.jsonl"));
  ASSERT_EQ(actual.size(), expected.size()) << "one alert per valid event with --min-tier low";
  for (const json& want : expected) {
    const std::string id = want["eventId"];
    ASSERT_TRUE(actual.contains(id)) << id;
    const json& got = actual.at(id);
    SCOPED_TRACE(id + ": " + got.dump());
    EXPECT_EQ(got.value("riskTier", ""), want["riskTier"]);
    EXPECT_EQ(got.value("riskScore", 0), want["riskScore"]);
    EXPECT_EQ(got.value("currencyClass", ""), want["currencyClass"]);
    EXPECT_EQ(got.value("corridor", ""), want["corridor"]);
    EXPECT_EQ(got.value("productGroups", json::array()), want["productGroups"]);
    json reasons = json::array();
    const json got_reasons = got.value("reasons", json::array());
    const json got_matches = got.value("matches", json::array());
    for (const auto& reason : got_reasons) {
      reasons.push_back({reason["ruleId"], reason.value("points", 0)});
      EXPECT_FALSE(reason.value("detail", "").empty()) << "every reason explains itself";
      EXPECT_FALSE(reason.value("evidenceFields", json::array()).empty()) << "every reason names its evidence";
    }
    EXPECT_EQ(reasons, want["reasons"]);
    for (const auto& m : want.value("mustMatch", json::array())) {
      bool found = false;
      for (const auto& match : got_matches) {
        found |= match.value("partyRole", "") == m[0] && match.value("listId", "") == m[1] && match.value("entryId", "") == m[2];
      }
      EXPECT_TRUE(found) << "expected a match " << m.dump();
    }
    if (want.contains("unknownHsCodes")) {
      EXPECT_EQ(got["unknownHsCodes"], want["unknownHsCodes"]);
    }
    EXPECT_EQ(got.value("listVersion", "").size(), 16U);
    EXPECT_EQ(got.value("rulesVersion", "").size(), 16U);
    EXPECT_EQ(got.value("alertId", "").size(), 16U);
  }
}

TEST(ReplayGolden, AggregatesAreExactlyTheHandCheckedOnes) {
  const ReplayRun r = replay("golden_aggregates", golden("events.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::map<std::string, json> actual;
  for (const auto& a : r.aggregates) {
    EXPECT_TRUE(a.value("final", false)) << "replay writes final windows only: " << a.dump();
    // The hand-checked windows are the hourly and daily ones; the default 30d/1d hopping windows are covered by
    // the WindowStore tests.
    if (a.value("windowSize", "") != "1h" && a.value("windowSize", "") != "1d") continue;
    EXPECT_TRUE(actual.emplace(key(a), a).second) << "each window once: " << key(a);
  }
  const auto expected = read_lines(golden("expected_aggregates.jsonl"));
  ASSERT_EQ(actual.size(), expected.size());
  for (const json& want : expected) {
    ASSERT_TRUE(actual.contains(key(want))) << key(want);
    const json& got = actual.at(key(want));
    SCOPED_TRACE(key(want) + ": " + got.dump());
    EXPECT_EQ(got["windowEnd"], want["windowEnd"]);
    EXPECT_EQ(std::stoll(got.value("eventCount", std::string("0"))), want["eventCount"].get<long long>());
    EXPECT_EQ(got["totalValue"]["amount"], want["totalValue"]);
    EXPECT_EQ(got["totalValue"]["currency"], "USD");
    json classes = json::object(), groups = json::object(), tiers = json::object();
    const json got_classes = got.value("valueByCurrencyClass", json::object());
    const json got_groups = got.value("valueByProductGroup", json::object());
    const json got_tiers = got.value("alertsByTier", json::object());
    for (const auto& [k, v] : got_classes.items()) classes[k] = v["amount"];
    for (const auto& [k, v] : got_groups.items()) groups[k] = v["amount"];
    for (const auto& [k, v] : got_tiers.items()) tiers[k] = std::stoll(v.get<std::string>());
    EXPECT_EQ(classes, want["valueByCurrencyClass"]);
    EXPECT_EQ(groups, want["valueByProductGroup"]);
    EXPECT_EQ(tiers, want["alertsByTier"]);
    for (const char* share : {"nationalCurrencyShare", "nationalCurrencyShareExEnergy", "usdShare"}) {
      EXPECT_NEAR(got.value(share, 0.0), want[share].get<double>(), 1e-12) << share;
    }
  }
}

TEST(ReplayGolden, MalformedRecordsAreRejectedWithLineAndReasonAndNothingElseIsLost) {
  const ReplayRun r = replay("golden_rejects", golden("events.jsonl"), "--min-tier low");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  const auto expected = read_lines(golden("expected_rejects.jsonl"));
  ASSERT_EQ(r.rejects.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.rejects[i]["line"], expected[i]["line"]);
    EXPECT_EQ(r.rejects[i]["code"], expected[i]["code"]);
    if (expected[i].contains("field")) {
      EXPECT_EQ(r.rejects[i]["field"], expected[i]["field"]);
    }
    EXPECT_FALSE(r.rejects[i].value("message", "").empty());
    EXPECT_FALSE(r.rejects[i].value("record", "").empty()) << "the original record is kept";
    const std::string where = "events.jsonl line " + std::to_string(expected[i]["line"].get<int>()) + ": rejected (" +
                              expected[i]["code"].get<std::string>() + ")";
    EXPECT_NE(r.stderr_text.find(where), std::string::npos) << r.stderr_text;
  }
  // 17 records = 13 assessed + 4 rejected; the late one is assessed (and alerted) too.
  EXPECT_NE(r.stderr_text.find("17 records, 13 assessed, 4 rejected, 1 late"), std::string::npos) << r.stderr_text;
  ASSERT_EQ(r.late.size(), 1U);
  EXPECT_EQ(r.late[0]["line"], 17);
  EXPECT_EQ(r.late[0]["windows"], "1h@2026-03-01T10:00:00Z");
}

TEST(ReplayGolden, DefaultMinimumTierPublishesMediumAndAbove) {
  const ReplayRun r = replay("golden_default_tier", golden("events.jsonl"));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  std::vector<std::string> ids;
  for (const auto& a : r.alerts) ids.push_back(a["eventId"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"evt-02", "evt-03", "evt-05", "evt-06", "evt-07", "evt-08", "evt-09"}));
}

TEST(ReplayGolden, OutputIsDeterministic) {
  const ReplayRun a = replay("golden_det_a", golden("events.jsonl"), "--min-tier low");
  const ReplayRun b = replay("golden_det_b", golden("events.jsonl"), "--min-tier low");
  ASSERT_EQ(a.exit_code, 0);
  EXPECT_EQ(t::read_file(a.dir + "/alerts.jsonl"), t::read_file(b.dir + "/alerts.jsonl"));
  EXPECT_EQ(t::read_file(a.dir + "/aggregates.jsonl"), t::read_file(b.dir + "/aggregates.jsonl"));
}

TEST(ReplayGolden, ProtobufInputGivesTheSameResultsAsJson) {
  // The generator writes the same events in both encodings.
  const std::string dir = t::temp_dir("golden_protobuf");
  const std::string config = t::test_config(dir);
  ASSERT_EQ(t::run(t::binary() + " generate --count 300 --seed 7 --config " + config + " > " + dir + "/events.jsonl"), 0);
  ASSERT_EQ(t::run(t::binary() + " generate --count 300 --seed 7 --format protobuf --config " + config + " > " + dir + "/events.pb"), 0);
  const ReplayRun json_run = replay("golden_protobuf_json", dir + "/events.jsonl", "--min-tier low");
  const ReplayRun pb_run = replay("golden_protobuf_pb", dir + "/events.pb", "--min-tier low");
  ASSERT_EQ(json_run.exit_code, 0) << json_run.stderr_text;
  ASSERT_EQ(pb_run.exit_code, 0) << pb_run.stderr_text;
  EXPECT_EQ(json_run.alerts.size(), 300U);
  EXPECT_EQ(t::read_file(json_run.dir + "/alerts.jsonl"), t::read_file(pb_run.dir + "/alerts.jsonl"));
  EXPECT_EQ(t::read_file(json_run.dir + "/aggregates.jsonl"), t::read_file(pb_run.dir + "/aggregates.jsonl"));
}

TEST(ReplayCli, MissingInputAndBadOptionsFailClearly) {
  const std::string dir = t::temp_dir("replay_cli");
  const std::string config = t::test_config(dir);
  EXPECT_EQ(t::run(t::binary() + " replay --config " + config + " --input /nonexistent.jsonl 2> " + dir + "/e1"), 1);
  EXPECT_NE(t::read_file(dir + "/e1").find("cannot open /nonexistent.jsonl"), std::string::npos);
  EXPECT_EQ(t::run(t::binary() + " replay --config " + config + " --input x --min-tier severe 2> " + dir + "/e2"), 2);
  EXPECT_EQ(t::run(t::binary() + " replay --config /nonexistent.toml --input x 2> " + dir + "/e3"), 2);
  EXPECT_NE(t::read_file(dir + "/e3").find("configuration error"), std::string::npos);
}

}  // namespace
}  // namespace sm
