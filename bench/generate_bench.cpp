// Benchmark of the generate stage: events built, and events written as JSON lines (the demo and replay feed).
#include <benchmark/benchmark.h>

#include "generate/event_generator.h"

namespace {

sm::generate::GeneratorOptions options() {
  sm::generate::GeneratorOptions o;
  o.seed = 1;
  o.listed_party_rate = 0.02;
  o.late_rate = 0.01;
  o.listed_names = {"LIMITED LIABILITY COMPANY SEVERNAYA TORGOVAYA", "JOINT STOCK COMPANY PRIBOR"};
  return o;
}

void BM_GenerateEvent(benchmark::State& state) {
  sm::generate::EventGenerator g(options());
  for (auto _ : state) benchmark::DoNotOptimize(g.next());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GenerateEvent);

void BM_GenerateJsonLine(benchmark::State& state) {
  auto o = options();
  o.malformed_rate = static_cast<double>(state.range(0)) / 100;
  sm::generate::EventGenerator g(o);
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string line = g.next_json_line();
    bytes += line.size() + 1;
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_GenerateJsonLine)->Arg(0)->Arg(5);

}  // namespace

BENCHMARK_MAIN();
