// The cost of valuing one line in the reporting currency: with the configured table only, and as of the event's
// time from an fx rates history (a snapshot taken per event, then a lookup per line), as the engine does.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "aggregate/fx_history.h"

namespace sm::aggregate {
namespace {

const std::vector<std::string> kCurrencies = {"RUB", "CNY", "EUR", "INR", "AED", "TRY", "KZT", "HKD", "BYN", "GBP"};

FxTable configured() {
  std::map<std::string, std::string> rates;
  for (const auto& c : kCurrencies) rates[c] = "0.1234";
  return *FxTable::make("USD", rates);
}

// `days` daily rates for each of the ten currencies.
std::shared_ptr<FxRateBook> history(int days) {
  auto book = std::make_shared<FxRateBook>("USD");
  const EventTime start = *parse_rfc3339("2026-01-01T00:00:00Z");
  for (int d = 0; d < days; ++d) {
    const std::string from = format_rfc3339(start + std::chrono::days(d));
    for (const auto& c : kCurrencies) {
      const std::string value = R"({"currency":")" + c + R"(","rate":"0.12)" + std::to_string(10 + d % 90) +
                                R"(","effectiveFrom":")" + from + "\"}";
      if (book->apply("", value)) std::abort();
    }
  }
  book->publish();
  return book;
}

void BM_ConfiguredRate(benchmark::State& state) {
  const FxTable fx = configured();
  const Decimal amount = *Decimal::parse("125000.50");
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(fx.to_reporting(amount, kCurrencies[i++ % kCurrencies.size()]));
}
BENCHMARK(BM_ConfiguredRate);

void BM_RateAsOfEventTime(benchmark::State& state) {
  const FxTable fx = configured();
  const auto book = history(static_cast<int>(state.range(0)));
  const Decimal amount = *Decimal::parse("125000.50");
  const EventTime start = *parse_rfc3339("2026-01-01T00:00:00Z");
  std::size_t i = 0;
  for (auto _ : state) {
    const auto snapshot = book->snapshot();  // once per event in the engine; here once per line: the worst case
    const EventTime at = start + std::chrono::hours(static_cast<int>(i * 7 % (24 * state.range(0))));
    benchmark::DoNotOptimize(to_reporting_at(fx, snapshot.get(), amount, kCurrencies[i++ % kCurrencies.size()], at));
  }
}
BENCHMARK(BM_RateAsOfEventTime)->Arg(30)->Arg(365)->Arg(3650);

}  // namespace
}  // namespace sm::aggregate

BENCHMARK_MAIN();
