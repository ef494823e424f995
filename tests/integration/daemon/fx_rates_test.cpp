// Exchange rates from a compacted Kafka topic, end to end (docs/AGGREGATES.md, "Exchange rates"): rates written
// with kcat to the topic named by `[aggregates] fx_rates_topic` (a correction, a tombstone and a record that is not
// a rate among them) are read before the daemon's first event, one more is followed while it runs, and the daemon
// values each line at the rate in force at its event's time. Its aggregates, read with read_committed and reduced
// to the last record per key, equal `replay --fx-rates` over the same rates and events. Needs SM_KAFKA_BOOTSTRAP.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "integration/daemon/daemon_harness.h"
#include "model/event_time.h"
#include "testing/test_paths.h"

namespace sm::e2e {
namespace {

constexpr int kPartitions = 2;

std::string http_get(int port, const std::string& path) {
  return run_checked("curl -sS --max-time 20 http://127.0.0.1:" + std::to_string(port) + path);
}

// The value of one sample ("name{labels}") in a metrics text; -1 when absent.
double metric(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

std::string rate(const std::string& currency, const std::string& value, EventTime from) {
  return json{{"currency", currency}, {"rate", value}, {"effectiveFrom", format_rfc3339(from)}}.dump();
}

// Writes "key<TAB>value" lines to `topic` with kcat; an empty value is sent as null (a tombstone).
void produce_rates(const Scenario& s, const std::string& topic, const std::vector<std::pair<std::string, std::string>>& records,
                   const std::string& name) {
  const std::string path = s.dir() + "/" + name + ".tsv";
  {
    std::ofstream out(path, std::ios::binary);
    for (const auto& [key, value] : records) out << key << '\t' << value << '\n';
  }
  run_checked("kcat -P -q -Z -b " + bootstrap() + " -t " + topic + " -K '\\t' < " + path);
}

TEST(FxRatesTopic, TheDaemonValuesLinesAtTheRateInForceAtTheirEventTimeAsReplayDoes) {
  Scenario s("fx");
  const std::string fx_topic = "e2e.fx-rates." + s.group;
  s.generate(600, 23, 0.0, 0.02);

  // The two most common goods currencies other than the reporting one, and the events' time span.
  std::map<std::string, int> by_currency;
  EventTime first = EventTime::max();
  EventTime last = EventTime::min();
  for (const auto& line : s.events()) {
    const json e = json::parse(line);
    const auto t = *parse_rfc3339(e.at("eventTime").get<std::string>());
    first = std::min(first, t);
    last = std::max(last, t);
    for (const auto& g : e.at("goods")) ++by_currency[g.at("value").at("currency").get<std::string>()];
  }
  by_currency.erase("USD");
  by_currency.erase("CNH");  // read as CNY
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [c, n] : by_currency) ranked.emplace_back(-n, c);
  std::sort(ranked.begin(), ranked.end());
  ASSERT_GE(ranked.size(), 3U);
  const std::string x = ranked[0].second;  // topic rates override the configured one from the first event on
  const std::string y = ranked[1].second;  // not configured: unvalued until its topic rate takes effect
  const std::string z = ranked[2].second;  // a topic rate withdrawn by a tombstone: configured rate throughout
  const EventTime mid = first + (last - first) / 2;
  const EventTime late = first + (last - first) * 3 / 4;

  // The configuration: the rates topic on, and no configured rate for y.
  const std::string config = s.write_config("a");
  std::string text = testing::read_file(config);
  text = set_toml(text, "aggregates", "fx_rates_topic", "\"" + fx_topic + "\"");
  text = std::regex_replace(text, std::regex("\n" + y + " = \"[0-9.]+\""), "");
  std::ofstream(config, std::ios::trunc) << text;
  run_checked(testing::binary() + " config check " + config);
  s.create_topics(kPartitions);  // creates the rates topic too (compacted, one partition)

  const auto key = [](const std::string& c, EventTime t) { return c + "|" + format_rfc3339(t); };
  const std::vector<std::pair<std::string, std::string>> initial = {
      {key(x, first), rate(x, "0.0100", first)},                        // corrected below
      {key(x, first), rate(x, "0.0105", first)},                        // in force from the first event (inclusive)
      {key(x, mid), rate(x, "0.012500000001", mid)},                    // twelve fractional digits, exact
      {key(y, mid), rate(y, "0.1400", mid)},
      {key(z, first), rate(z, "99", first)},
      {key(z, first), ""},                                              // tombstone: withdrawn
      {"junk", "this is not a rate"},                                   // logged and counted, never fatal
  };
  produce_rates(s, fx_topic, initial, "rates-initial");
  const std::string followed = rate(x, "0.0131", late);

  // replay's rates: the same values in the same order, the withdrawn one left out, the followed one included.
  const std::string rates_file = s.dir() + "/fx-rates.jsonl";
  {
    std::ofstream out(rates_file);
    for (const auto& [k, v] : initial) {
      if (!v.empty() && k != key(z, first)) out << v << '\n';
    }
    out << "this is not a rate\n" << followed << '\n';
  }
  const Replay ref = replay(s, "medium", kPartitions, "--fx-rates " + rates_file, "replay-fx");
  const Replay without = replay(s, "medium", kPartitions, "", "replay-configured");
  ASSERT_NE(diff(without.aggregates, ref.aggregates, {"final"}), "") << "the topic's rates must change the totals";
  std::size_t unvalued = 0;
  for (const auto& [k, a] : ref.aggregates) {
    if (!a.contains("unvaluedLineItems")) continue;
    const json& n = a.at("unvaluedLineItems");  // proto3 JSON writes int64 as a string
    unvalued += n.is_string() ? std::stoull(n.get<std::string>()) : n.get<std::size_t>();
  }
  ASSERT_GT(unvalued, 0U) << y << " lines before " << format_rfc3339(mid) << " have no rate";

  Daemon d(config, s.dir() + "/daemon.log");
  const int port = d.http_port();
  ASSERT_NE(port, 0) << d.log_tail();
  std::string readyz;
  ASSERT_TRUE(wait_for([&] {
    readyz = http_get(port, "/readyz");
    return readyz.starts_with("ready\n") || !d.running();
  })) << readyz << d.log_tail();
  EXPECT_NE(readyz.find("[+] fx rates read: 3 rates"), std::string::npos) << readyz;
  std::string m = http_get(port, "/metrics");
  EXPECT_EQ(metric(m, "sanctions_monitor_fx_rates_rejected_total"), 1.0);
  EXPECT_EQ(metric(m, "sanctions_monitor_fx_rates_applied_total"), 6.0);

  // A rate written while the daemon runs is followed; the events come once it is held.
  produce_rates(s, fx_topic, {{key(x, late), followed}}, "rates-followed");
  ASSERT_TRUE(wait_for([&] { return metric(http_get(port, "/metrics"), "sanctions_monitor_fx_rates") == 4.0; }))
      << d.log_tail();

  s.produce_by_shipment(0, s.events().size());
  ASSERT_TRUE(wait_for([&] { return s.committed() == static_cast<std::int64_t>(s.events().size()) || !d.running(); }))
      << d.log_tail();
  ASSERT_TRUE(d.running()) << d.log_tail();
  std::string difference;
  wait_for([&] {
    difference = diff(ref.aggregates, last_aggregates(read_committed(s.aggregates)), {"final"});
    return difference.empty();
  });
  EXPECT_EQ(difference, "") << "last aggregate per window vs replay --fx-rates --partitions " << kPartitions;
  const int status = d.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << d.log_tail();
}

}  // namespace
}  // namespace sm::e2e
