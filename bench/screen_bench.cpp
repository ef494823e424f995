// Screening benchmarks on the real lists (../shared/data, or SM_SHARED_DATA): load and index time of OFAC SDN +
// OFAC consolidated + US CSL, and screen() latency of one name against all of them (BM_ScreenOneName: words
// of names seen before remembered; BM_ScreenOneNameFirstSight: every word converted afresh), and the same
// against a synthetic list set ten times as large (BM_Synthetic10x: build time, memory, latency). Latency percentiles are
// measured per query over a fixed mix of listed names with document-like damage (reordered words, a typo,
// an added legal form) and unlisted people's names in several scripts (yente's negatives).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

#include "model/csv_reader.h"
#include "screen/indexed_screener.h"
#include "screen/list_loader.h"
#include "screen/name_normaliser.h"
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
  sm::CsvReader reader(content);
  std::vector<std::string> f;
  std::string problem;
  reader.next(f, problem);  // Header.
  while (reader.next(f, problem) != sm::CsvReader::Status::kEnd) {
    if (!f.empty() && !f[0].empty()) out.push_back(f[0]);
  }
  return out;
}

// CPU time of the calling thread, in microseconds: unlike wall time, not inflated when the machine is shared.
double thread_cpu_micros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

void BM_LoadAllLists(benchmark::State& state) {
  for (auto _ : state) {
    auto r = sm::screen::Screener::load(real_config());
    benchmark::DoNotOptimize(r);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
}
BENCHMARK(BM_LoadAllLists)->Unit(benchmark::kMillisecond)->Iterations(3);

// Screens the query mix one name per iteration and reports wall and thread-CPU percentiles. With
// `first_sight`, the thread's remembered words are forgotten before each query (outside the timed part), so
// every non-ASCII word of it goes through the transliterator, as for a name never seen before.
void screen_latency(benchmark::State& state, const sm::screen::Screener& s, bool first_sight) {
  const std::vector<std::string> names = query_names(*shared_screener());
  std::vector<double> micros;
  std::vector<double> cpu;
  micros.reserve(names.size() * 8);
  cpu.reserve(names.size() * 8);
  std::size_t next = 0;
  std::size_t alerts = 0;
  for (auto _ : state) {
    sm::screen::Query q;
    q.name = names[next++ % names.size()];
    if (first_sight) sm::screen::forget_converted_words();
    const double c0 = thread_cpu_micros();
    const auto t0 = std::chrono::steady_clock::now();
    auto m = s.screen(q, 0.85, 10);
    const auto t1 = std::chrono::steady_clock::now();
    cpu.push_back(thread_cpu_micros() - c0);
    benchmark::DoNotOptimize(m);
    alerts += m.empty() ? 0 : 1;
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  auto mean = [](const std::vector<double>& v) {
    double sum = 0.0;
    for (const double x : v) sum += x;
    return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
  };
  state.counters["mean_us"] = mean(micros);
  state.counters["cpu_mean_us"] = mean(cpu);
  // One core's throughput: queries a second of CPU time (the wall-time rate counts other processes' turns).
  state.counters["queries_per_cpu_s"] = 1e6 / mean(cpu);
  // SM_SCREEN_BENCH_SLOWEST=N prints the N queries with the highest median CPU time over their runs, to stderr
  // (once every query has run at least three times: Google Benchmark's shorter trial runs print nothing).
  if (const char* v = std::getenv("SM_SCREEN_BENCH_SLOWEST"); v != nullptr && std::atoi(v) > 0 && cpu.size() >= names.size() * 3) {
    std::vector<std::vector<double>> runs(names.size());
    for (std::size_t i = 0; i < cpu.size(); ++i) runs[i % names.size()].push_back(cpu[i]);
    std::vector<std::pair<double, std::size_t>> worst;
    for (std::size_t q = 0; q < runs.size(); ++q) {
      auto& r = runs[q];
      std::nth_element(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(r.size() / 2), r.end());
      worst.emplace_back(r[r.size() / 2], q);
    }
    std::sort(worst.begin(), worst.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < worst.size() && i < static_cast<std::size_t>(std::atoi(v)); ++i) {
      std::fprintf(stderr, "%9.1f us  %s\n", worst[i].first, names[worst[i].second].c_str());
    }
  }
  auto pct = [](const std::vector<double>& v, double p) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
  };
  // Each query's median CPU time over its runs, then percentiles over queries: what a query costs, with the
  // runs that a busy machine slowed (cache refills after another process ran) left out.
  if (cpu.size() >= names.size() * 3) {
    std::vector<std::vector<double>> runs(names.size());
    for (std::size_t i = 0; i < cpu.size(); ++i) runs[i % names.size()].push_back(cpu[i]);
    std::vector<double> medians;
    for (auto& r : runs) {
      std::nth_element(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(r.size() / 2), r.end());
      medians.push_back(r[r.size() / 2]);
    }
    std::sort(medians.begin(), medians.end());
    state.counters["query_median_cpu_p50_us"] = pct(medians, 0.50);
    state.counters["query_median_cpu_p99_us"] = pct(medians, 0.99);
  }
  std::sort(micros.begin(), micros.end());
  std::sort(cpu.begin(), cpu.end());
  state.counters["p50_us"] = pct(micros, 0.50);
  state.counters["p99_us"] = pct(micros, 0.99);
  state.counters["max_us"] = micros.back();
  // The same percentiles in thread CPU time (scheduling delays on a shared machine left out).
  state.counters["cpu_p50_us"] = pct(cpu, 0.50);
  state.counters["cpu_p99_us"] = pct(cpu, 0.99);
  state.counters["queries"] = static_cast<double>(names.size());
  state.counters["alert_share"] = static_cast<double>(alerts) / static_cast<double>(micros.size());
}

void BM_ScreenOneName(benchmark::State& state) { screen_latency(state, *shared_screener(), false); }
void BM_ScreenOneNameFirstSight(benchmark::State& state) { screen_latency(state, *shared_screener(), true); }

// ---- Growth: a synthetic list ten times the real one ----------------------------------------------------------
//
// Every real entry is kept, and nine copies of it are added in which every letter of every name is shifted
// along the alphabet by the copy's number (copy 3: "PASIT" -> "SDVLW"), letters outside A-Z and a-z and the
// entry's type, programs and list as they are; copies carry no identifiers. The copies have the real names'
// lengths, token counts and share of common words per copy, and a vocabulary ten times as large: a list
// set of millions of names without the help of repeated spellings. The query mix is the same, so the real
// entries still match as before and the copies add candidates and neighbours.

std::string shift_letters(const std::string& text, int by) {
  std::string out = text;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>('A' + (c - 'A' + by) % 26);
    else if (c >= 'a' && c <= 'z') c = static_cast<char>('a' + (c - 'a' + by) % 26);
  }
  return out;
}

std::vector<sm::screen::IndexedScreener::ListedEntry> synthetic_entries(int copies) {
  std::vector<sm::screen::IndexedScreener::ListedEntry> out;
  const auto config = real_config();
  for (std::size_t l = 0; l < config.lists.size(); ++l) {
    auto loaded = sm::screen::load_list(config.lists[l]);
    if (!loaded) {
      std::fprintf(stderr, "screen_bench: %s\n", loaded.error().message.c_str());
      std::exit(1);
    }
    for (auto& e : loaded->entries) {
      for (int k = 1; k < copies; ++k) {
        sm::screen::ListEntry copy;
        copy.id = e.id + "-S" + std::to_string(k);
        copy.type = e.type;
        copy.programs = e.programs;
        for (const auto& n : e.names) copy.names.push_back({shift_letters(n.text, k), n.kind});
        out.push_back({std::move(copy), static_cast<std::uint16_t>(l)});
      }
      out.push_back({std::move(e), static_cast<std::uint16_t>(l)});
    }
  }
  return out;
}

// Resident and peak resident memory of this process, in MiB (from /proc/self/status).
std::pair<double, double> rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  double rss = 0.0;
  double peak = 0.0;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::atof(line.c_str() + 6) / 1024.0;
    if (line.rfind("VmHWM:", 0) == 0) peak = std::atof(line.c_str() + 6) / 1024.0;
  }
  return {rss, peak};
}

void BM_Synthetic10x(benchmark::State& state) {
  const double before = rss_mib().first;
  const auto t0 = std::chrono::steady_clock::now();
  auto entries = synthetic_entries(10);
  const std::size_t n_entries = entries.size();
  const auto t1 = std::chrono::steady_clock::now();
  const sm::screen::IndexedScreener s(real_config(), std::move(entries), {}, "synthetic");
  const auto t2 = std::chrono::steady_clock::now();
  const auto [after, peak] = rss_mib();
  screen_latency(state, s, false);
  state.counters["entries"] = static_cast<double>(n_entries);
  state.counters["names_indexed"] = static_cast<double>(s.indexed_name_count());
  state.counters["read_s"] = std::chrono::duration<double>(t1 - t0).count();
  state.counters["index_s"] = std::chrono::duration<double>(t2 - t1).count();
  state.counters["rss_added_mib"] = after - before;
  state.counters["rss_mib"] = after;
  state.counters["peak_rss_mib"] = peak;
}
}  // namespace

// SM_SCREEN_BENCH_PASSES=N screens every query exactly N times instead of for 3 s (for a profiler, where time
// runs slower and a time limit would cover only the first queries of the mix).
int main(int argc, char** argv) {
  auto* synthetic = benchmark::RegisterBenchmark("BM_Synthetic10x", BM_Synthetic10x);
  for (auto* b : {benchmark::RegisterBenchmark("BM_ScreenOneName", BM_ScreenOneName),
                  benchmark::RegisterBenchmark("BM_ScreenOneNameFirstSight", BM_ScreenOneNameFirstSight), synthetic}) {
    b->Unit(benchmark::kMicrosecond);
    if (b == synthetic) {
      // One run: building the big index again for every run would measure nothing new.
      b->Iterations(3 * static_cast<benchmark::IterationCount>(query_names(*shared_screener()).size()));
    } else if (const char* v = std::getenv("SM_SCREEN_BENCH_PASSES"); v != nullptr && std::atoi(v) > 0) {
      b->Iterations(static_cast<benchmark::IterationCount>(std::atoi(v)) *
                    static_cast<benchmark::IterationCount>(query_names(*shared_screener()).size()));  // After a warm-up.
    } else {
      b->MinTime(3.0);
    }
  }
  // Warm-up: every query once, untimed, so that one-time set-up of the calling thread (ICU creates the
  // transliterator of each script on its first use) is not counted as query latency.
  for (const std::string& name : query_names(*shared_screener())) {
    sm::screen::Query q;
    q.name = name;
    benchmark::DoNotOptimize(shared_screener()->screen(q, 0.85, 10));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
