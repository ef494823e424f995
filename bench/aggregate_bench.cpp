// Aggregation stage 1 alone: events per second into WindowStore with the default windows (1h and 1d tumbling plus
// 30d/1d hopping), a commit's changelog (records and bytes per event) and the memory its state takes.
// 5% of the events are HIGH, with an exporter and an importer out of 2,000 names (counterparty exposure).
// And the close at a day boundary (BM_WindowStoreDayClose): what one partition's stage 1 does when its stream time
// passes midnight plus the grace, with generated events (daemon/generate) as the end-to-end benchmark feeds them.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <new>
#include <string>
#include <unordered_set>
#include <vector>

#include "aggregate/window_store.h"
#include "generate/event_generator.h"
#include "pipeline/worker_pool.h"

// Counts the heap allocations made through operator new while counting is on (the close's allocations).
namespace {
std::atomic<bool> g_count_allocations{false};
std::atomic<std::int64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  if (g_count_allocations.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;  // NOLINT(cppcoreguidelines-no-malloc)
  throw std::bad_alloc();
}
// GCC sees free() of what the inlined operator new returned and warns, though the pair above is matched.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc)
void operator delete(void* p, std::size_t /*n*/) noexcept { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc)
#pragma GCC diagnostic pop

namespace {

using sm::aggregate::EncodedPartial;
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

// Generated trade (the end-to-end benchmark's stream: `generate --mean-gap 1s` over 6 partitions, so one partition
// sees an event every 6 s of event time, 14,400 a day) as stage-1 contributions. Screening is not run: a fixed
// share of the events is taken as HIGH or CRITICAL (`high_percent`), and those carry their exporter and importer
// as counterparties, as EngineProcessor passes them. Line values are the generated amounts, taken as already in
// the reporting currency.
class DayStream {
 public:
  DayStream(std::int64_t gap_ms, int high_percent)
      : generator_(options(gap_ms)), high_percent_(static_cast<std::uint64_t>(high_percent)) {
    contribution_.lines.reserve(8);
  }

  // The next event as a contribution; valid until the next call.
  const EventContribution& next() {
    event_ = generator_.next();
    ++n_;
    EventContribution& c = contribution_;
    c.time = *sm::parse_rfc3339(event_.event_time());
    corridor_ = event_.origin_country() + "-" + event_.destination_country();
    c.corridor = corridor_;
    const std::string& currency = event_.settlement().currency();
    c.currency_class = currency.empty()   ? sanctions::v1::BARTER
                       : currency == "USD" ? sanctions::v1::USD
                       : currency == "EUR" ? sanctions::v1::EUR
                                           : sanctions::v1::NATIONAL;
    c.lines.clear();
    for (const auto& g : event_.goods()) {
      c.lines.push_back(LineContribution{sm::Decimal::parse(g.value().amount()), g.hs_code().starts_with("27"),
                                         g.hs_code().starts_with("85") ? &kGroups : nullptr});
    }
    // A multiplicative hash of the event number: the same events are HIGH in every run.
    const bool high = (n_ * 0x9E3779B97F4A7C15ULL >> 33) % 100 < high_percent_;
    c.tier = high ? (n_ % 3 == 0 ? sanctions::v1::CRITICAL : sanctions::v1::HIGH) : sanctions::v1::LOW;
    c.counterparties.clear();
    if (high) {
      c.counterparties.push_back(event_.exporter().name());
      c.counterparties.push_back(event_.importer().name());
    }
    return c;
  }

 private:
  static sm::generate::GeneratorOptions options(std::int64_t gap_ms) {
    sm::generate::GeneratorOptions o;
    o.seed = 2026;
    o.mean_gap_ms = gap_ms;
    return o;
  }
  sm::generate::EventGenerator generator_;
  std::uint64_t high_percent_;
  std::uint64_t n_ = 0;
  sanctions::v1::TradeEvent event_;
  std::string corridor_;
  EventContribution contribution_;
};

constexpr std::int64_t kDayMs = 86'400'000;

// One partition's stage 1 at a day boundary: the default windows (1h, 1d, 30d/1d), `history` days of events
// (range 0), then per iteration one more day untimed, and timed: add() of the first event at or after midnight
// plus the 15 min grace (the event that closes the 1d window, the 30d/1d window ending at midnight and the hour
// 23:00) and take_closed(). range 1: percent of events HIGH or CRITICAL; range 2: threads summing the closing
// windows' exposure (WindowStore::set_parallel_for on a pipeline::WorkerPool, as the daemon's assess threads do
// with [processing] assess_threads = 2; 1: no pool). The daemon's commits (every ~130 events
// a partition at 8,000/s) and pane updates are made in between, untimed. Counters: closed partials, their
// exposure entries, heap allocations a close, and emit_ms: take_closed(), serialising every partial as the
// daemon does (EncodedPartial::serialise) and freeing them (what the daemon's stage-1 thread spends on them).
void BM_WindowStoreDayClose(benchmark::State& state) {
  const std::int64_t history = state.range(0);
  WindowStore store(specs(true), kGrace, "USD");
  sm::pipeline::WorkerPool pool(static_cast<std::size_t>(state.range(2)));
  if (pool.threads() > 1) store.set_parallel_for(std::bind_front(&sm::pipeline::WorkerPool::for_each, &pool));
  DayStream stream(6'000, static_cast<int>(state.range(1)));
  std::vector<EncodedPartial> out;
  std::size_t added = 0;
  const EventContribution* pending = &stream.next();
  // Adds events until the next one is at or after `until_ms`, committing as the daemon does.
  const auto fill = [&](std::int64_t until_ms) {
    while (pending->time.time_since_epoch().count() < until_ms) {
      store.add(*pending);
      if (++added % 128 == 0) {
        store.take_closed(out);
        out.clear();
        store.commit();
      }
      if (added % 8192 == 0) {
        store.take_updates(out);
        out.clear();
      }
      pending = &stream.next();
    }
    store.take_closed(out);
    store.take_updates(out);
    out.clear();
    store.commit();
  };
  const std::int64_t day0 = pending->time.time_since_epoch().count() / kDayMs * kDayMs;
  std::int64_t day = day0 + history * kDayMs;
  fill(day + kGrace.count());
  double partials = 0, entries = 0, allocations = 0, add_ms = 0, take_ms = 0, emit_ms = 0;
  std::string bytes;
  std::unordered_set<std::string> names;
  for (auto _ : state) {
    state.PauseTiming();
    day += kDayMs;
    fill(day + kGrace.count());
    g_allocations = 0;
    g_count_allocations = true;
    state.ResumeTiming();
    const auto t0 = std::chrono::steady_clock::now();
    store.add(*pending);
    const auto t1 = std::chrono::steady_clock::now();
    store.take_closed(out);
    const auto t2 = std::chrono::steady_clock::now();
    for (const EncodedPartial& p : out) p.serialise(bytes);
    const auto t3 = std::chrono::steady_clock::now();
    state.PauseTiming();
    g_count_allocations = false;
    partials += static_cast<double>(out.size());
    names.clear();
    for (const EncodedPartial& p : out) {
      const sanctions::v1::Aggregate whole = p.message();
      entries += static_cast<double>(whole.counterparty_exposure_size());
      if (whole.window_size() == "30d/1d") {
        for (const auto& [name, money] : whole.counterparty_exposure()) names.insert(name);
      }
    }
    g_count_allocations = true;
    state.ResumeTiming();
    const auto t4 = std::chrono::steady_clock::now();
    out.clear();
    const auto t5 = std::chrono::steady_clock::now();
    state.PauseTiming();
    g_count_allocations = false;
    allocations += static_cast<double>(g_allocations.load());
    add_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    take_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
    emit_ms += std::chrono::duration<double, std::milli>((t3 - t1) + (t5 - t4)).count();
    store.commit();
    ++added;
    pending = &stream.next();
    state.ResumeTiming();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["partials"] = partials / n;
  state.counters["exposure_entries"] = entries / n;
  state.counters["allocs"] = allocations / n;
  state.counters["add_ms"] = add_ms / n;  // Wall time: the add() that sums the closing windows, and take_closed().
  state.counters["take_ms"] = take_ms / n;
  state.counters["emit_ms"] = emit_ms / n;
  state.counters["last_30d_distinct_names"] = static_cast<double>(names.size());
  state.counters["open_panes"] = static_cast<double>(store.open_panes());
}
// 2 days of history: the end-to-end benchmark's 20 s at 8,000/s (44 h of event time); 29: a store in steady state,
// whose closing 30-day window holds 30 days of panes. 21% HIGH or CRITICAL: what `replay --partitions 6` assesses
// in the generated stream (2% listed parties).
BENCHMARK(BM_WindowStoreDayClose)
    ->Args({2, 21, 1})
    ->Args({2, 21, 2})
    ->Args({29, 21, 1})
    ->Args({29, 21, 2})
    ->Args({2, 67, 1})
    ->Args({2, 67, 2})
    ->ArgNames({"history_days", "high_percent", "threads"})
    ->Iterations(8)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
