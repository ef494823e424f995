// Aggregation stage alone: events per second into WindowStore (1h and 1d tumbling plus 30d/1d hopping), and the
// cost of a commit's changelog.
#include <benchmark/benchmark.h>

#include "aggregate/window_store.h"

namespace {

using sm::aggregate::EventContribution;
using sm::aggregate::LineContribution;
using sm::aggregate::WindowStore;

const std::vector<std::string> kGroups = {"CHPL", "CHPL_TIER_1", "ELECTRONICS"};
const char* const kCorridors[] = {"CN-RU", "RU-CN", "IN-RU", "TR-RU", "KZ-RU", "AE-RU", "RU-IN", "CN-KZ"};

std::vector<sm::aggregate::WindowSpec> specs(bool hopping) {
  std::vector<sm::aggregate::WindowSpec> out = {*sm::aggregate::parse_window_spec("1h"),
                                                *sm::aggregate::parse_window_spec("1d")};
  if (hopping) out.push_back(*sm::aggregate::parse_window_spec("30d/1d"));
  return out;
}

void BM_WindowStoreAdd(benchmark::State& state) {
  WindowStore store(specs(state.range(0) != 0), sm::Millis{15 * 60'000}, "USD");
  EventContribution e;
  e.currency_class = sanctions::v1::NATIONAL;
  e.tier = sanctions::v1::LOW;
  e.lines = {LineContribution{sm::Decimal::parse("1234.56"), false, &kGroups}};
  std::int64_t t = sm::parse_rfc3339("2026-03-01T00:00:00Z")->time_since_epoch().count();
  std::size_t i = 0;
  std::vector<sanctions::v1::Aggregate> closed;
  for (auto _ : state) {
    e.time = sm::EventTime{sm::Millis{t += 1000}};  // One event a second of event time.
    e.corridor = kCorridors[i++ % 8];
    store.add(e);
    if (i % 1024 == 0) {
      store.take_closed(closed);
      closed.clear();
      store.commit();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["open_windows"] = static_cast<double>(store.open_windows());
}
BENCHMARK(BM_WindowStoreAdd)->Arg(0)->Arg(1)->ArgName("hopping30d");

void BM_WindowStoreChangelog(benchmark::State& state) {
  WindowStore store(specs(true), sm::Millis{15 * 60'000}, "USD");
  EventContribution e;
  e.currency_class = sanctions::v1::NATIONAL;
  e.lines = {LineContribution{sm::Decimal::parse("1234.56"), false, &kGroups}};
  const std::int64_t t0 = sm::parse_rfc3339("2026-03-01T00:00:00Z")->time_since_epoch().count();
  std::vector<std::pair<std::string, std::string>> log;
  for (auto _ : state) {
    // A 100 ms commit interval at 100k events/s: 10,000 events, then the changelog and a commit.
    for (int i = 0; i < 10'000; ++i) {
      e.time = sm::EventTime{sm::Millis{t0 + i * 10}};
      e.corridor = kCorridors[i % 8];
      store.add(e);
    }
    log.clear();
    store.changelog(log);
    store.commit();
    benchmark::DoNotOptimize(log.data());
  }
  state.counters["changelog_records"] = static_cast<double>(log.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 10'000);
}
BENCHMARK(BM_WindowStoreChangelog);

}  // namespace

BENCHMARK_MAIN();
