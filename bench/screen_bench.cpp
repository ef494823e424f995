// Screening benchmarks on the real lists (../shared/data, or SM_SHARED_DATA): load and index time of OFAC SDN +
// OFAC consolidated + US CSL, and screen() latency of one name against all of them. Latency percentiles are
// measured per query over a fixed mix of listed names with document-like damage (reordered words, a typo,
// an added legal form) and unlisted people's names in several scripts (yente's negatives).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "screen/csv_reader.h"
#include "screen/screener.h"

namespace {

std::string data_dir() {
  if (const char* v = std::getenv("SM_SHARED_DATA"); v != nullptr && *v != '\0') return v;
  return std::string(SM_SCREEN_BENCH_REPO_DIR) + "/../shared/data";
}

sm::screen::ScreenConfig real_config() {
  const std::string d = data_dir() + "/sanctions/";
  sm::screen::ScreenConfig c;
  c.lists = {{"OFAC-SDN", "ofac-csv", d + "ofac-sdn"},
             {"OFAC-CONS", "ofac-csv", d + "ofac-cons"},
             {"US-CSL", "csl-csv", d + "us-csl/consolidated.csv"}};
  return c;
}

const std::shared_ptr<const sm::screen::Screener>& shared_screener() {
  static const std::shared_ptr<const sm::screen::Screener> s = [] {
    auto r = sm::screen::Screener::load(real_config());
    if (!r) {
      std::fprintf(stderr, "screen_bench: %s\n", r.error().message.c_str());
      std::exit(1);
    }
    return *r;
  }();
  return s;
}

// Listed names as a document might carry them, and unlisted names: a deterministic mix.
std::vector<std::string> query_names(const sm::screen::Screener& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  for (std::string name : s.entry_names({}, 25000)) {
    if (i++ % 25 != 0) continue;
    switch (i % 4) {
      case 0: {  // Swap the first word to the end.
        const auto sp = name.find(' ');
        if (sp != std::string::npos) name = name.substr(sp + 1) + " " + name.substr(0, sp);
        break;
      }
      case 1:  // A typo.
        if (name.size() > 5) std::swap(name[3], name[4]);
        break;
      case 2:
        name += " LLC";
        break;
      default:
        break;
    }
    out.push_back(name);
  }
  std::ifstream in(data_dir() + "/name-match/yente-negatives_global.csv", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  sm::screen::CsvReader reader(content);
  std::vector<std::string> f;
  std::string problem;
  reader.next(f, problem);  // Header.
  while (reader.next(f, problem) != sm::screen::CsvReader::Status::kEnd) {
    if (!f.empty() && !f[0].empty()) out.push_back(f[0]);
  }
  return out;
}

void BM_LoadAllLists(benchmark::State& state) {
  for (auto _ : state) {
    auto r = sm::screen::Screener::load(real_config());
    benchmark::DoNotOptimize(r);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
}
BENCHMARK(BM_LoadAllLists)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ScreenOneName(benchmark::State& state) {
  const auto& s = *shared_screener();
  const std::vector<std::string> names = query_names(s);
  std::vector<double> micros;
  micros.reserve(names.size() * 8);
  std::size_t next = 0;
  std::size_t alerts = 0;
  for (auto _ : state) {
    sm::screen::Query q;
    q.name = names[next++ % names.size()];
    const auto t0 = std::chrono::steady_clock::now();
    auto m = s.screen(q, 0.85, 10);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(m);
    alerts += m.empty() ? 0 : 1;
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::sort(micros.begin(), micros.end());
  auto pct = [&](double p) { return micros[std::min(micros.size() - 1, static_cast<std::size_t>(p * static_cast<double>(micros.size())))]; };
  state.counters["p50_us"] = pct(0.50);
  state.counters["p99_us"] = pct(0.99);
  state.counters["max_us"] = micros.back();
  state.counters["queries"] = static_cast<double>(names.size());
  state.counters["alert_share"] = static_cast<double>(alerts) / static_cast<double>(micros.size());
}
BENCHMARK(BM_ScreenOneName)->Unit(benchmark::kMicrosecond)->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
