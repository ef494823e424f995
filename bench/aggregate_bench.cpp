// Aggregation stage 1 alone: events per second into WindowStore with the default windows (1h and 1d tumbling plus
// 30d/1d hopping), a commit's changelog (records and bytes per event) and the memory its state takes.
// 5% of the events are HIGH, with an exporter and an importer out of 2,000 names (counterparty exposure).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <string>
#include <vector>

#include "aggregate/window_store.h"

namespace {

using sm::aggregate::EventContribution;
using sm::aggregate::LineContribution;
using sm::aggregate::WindowStore;

const std::vector<std::string> kGroups = {"CHPL", "CHPL_TIER_1", "ELECTRONICS"};
const char* const kCorridors[] = {"CN-RU", "RU-CN", "IN-RU", "TR-RU", "KZ-RU", "AE-RU", "RU-IN", "CN-KZ"};
const sm::Millis kGrace{15 * 60'000};

std::vector<sm::aggregate::WindowSpec> specs(bool hopping) {
  std::vector<sm::aggregate::WindowSpec> out = {*sm::aggregate::parse_window_spec("1h"),
                                                *sm::aggregate::parse_window_spec("1d")};
  if (hopping) out.push_back(*sm::aggregate::parse_window_spec("30d/1d"));
  return out;
}

const std::vector<std::string>& names() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v;
    for (int i = 0; i < 2000; ++i) v.push_back("Counterparty " + std::to_string(i) + " LLC");
    return v;
  }();
  return all;
}

// The i-th event of a stream with `step_ms` of event time between events.
void make_event(EventContribution& e, std::int64_t t0, std::int64_t step_ms, std::size_t i) {
  e.time = sm::EventTime{sm::Millis{t0 + static_cast<std::int64_t>(i) * step_ms}};
  e.corridor = kCorridors[i % 8];
  e.counterparties.clear();
  e.tier = sanctions::v1::LOW;
  if (i % 20 == 7) {
    e.tier = sanctions::v1::HIGH;
    e.counterparties.push_back(names()[(i * 7919) % names().size()]);
    e.counterparties.push_back(names()[(i * 104729) % names().size()]);
  }
}

EventContribution base_event() {
  EventContribution e;
  e.currency_class = sanctions::v1::NATIONAL;
  e.lines = {LineContribution{sm::Decimal::parse("1234.56"), false, &kGroups}};
  return e;
}

const std::int64_t kT0 = sm::parse_rfc3339("2026-03-01T00:00:00Z")->time_since_epoch().count();

void BM_WindowStoreAdd(benchmark::State& state) {
  WindowStore store(specs(state.range(0) != 0), kGrace, "USD");
  EventContribution e = base_event();
  std::size_t i = 0;
  std::vector<sanctions::v1::Aggregate> closed;
  for (auto _ : state) {
    make_event(e, kT0, 1000, i++);  // One event a second of event time.
    store.add(e);
    if (i % 1024 == 0) {
      store.take_closed(closed);
      closed.clear();
      store.commit();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["open_panes"] = static_cast<double>(store.open_panes());
}
BENCHMARK(BM_WindowStoreAdd)->Arg(0)->Arg(1)->ArgName("hopping30d");

// A 100 ms commit interval at 100k events/s: 10,000 events, then the changelog and a commit. Event time moves on
// by 10 s per batch (so exposure maps keep growing, and windows close as in a live stream).
void BM_WindowStoreCommit(benchmark::State& state) {
  WindowStore store(specs(true), kGrace, "USD");
  EventContribution e = base_event();
  std::vector<std::pair<std::string, std::string>> log;
  std::vector<sanctions::v1::Aggregate> closed;
  std::size_t i = 0;
  double records = 0, bytes = 0;
  for (auto _ : state) {
    for (int n = 0; n < 10'000; ++n) {
      make_event(e, kT0, 1, i++);
      store.add(e);
    }
    store.take_closed(closed);
    closed.clear();
    log.clear();
    store.changelog(log);
    store.commit();
    records += static_cast<double>(log.size());
    for (const auto& [k, v] : log) bytes += static_cast<double>(k.size() + v.size());
    benchmark::DoNotOptimize(log.data());
  }
  const double events = static_cast<double>(state.iterations()) * 10'000;
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["changelog_records_per_commit"] = records / static_cast<double>(state.iterations());
  state.counters["changelog_bytes_per_event"] = bytes / events;
}
BENCHMARK(BM_WindowStoreCommit)->Iterations(50)->Unit(benchmark::kMillisecond);  // 500,000 events.

// The heap a store holds after 30 days of events (one a minute, 43,200 events, 8 corridors), per open pane.
void BM_WindowStoreMemory(benchmark::State& state) {
  for (auto _ : state) {
    const auto before = mallinfo2().uordblks;
    auto store = std::make_unique<WindowStore>(specs(true), kGrace, "USD");
    EventContribution e = base_event();
    std::vector<sanctions::v1::Aggregate> closed;
    for (std::size_t i = 0; i < 43'200; ++i) {
      make_event(e, kT0, 60'000, i);
      store->add(e);
      if (i % 1000 == 999) {
        store->take_closed(closed);
        closed.clear();
        store->commit();
      }
    }
    store->commit();
    const auto held = static_cast<double>(mallinfo2().uordblks - before);
    state.counters["state_bytes"] = held;
    state.counters["open_panes"] = static_cast<double>(store->open_panes());
    state.counters["bytes_per_open_pane"] = held / static_cast<double>(store->open_panes());
  }
}
BENCHMARK(BM_WindowStoreMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
