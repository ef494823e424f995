#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/decimal.h"
#include "model/result.h"

namespace sm::aggregate {

// A positive exchange rate, exactly: mantissa / 10^scale ("0.0108" is {108, 4}).
struct ExactRate {
  std::int64_t mantissa = 0;
  int scale = 0;
  friend bool operator==(const ExactRate&, const ExactRate&) = default;
};

// Parses a rate as configured or published: a positive decimal string, at most 12 fractional and 18 significant
// digits, no sign or exponent. nullopt otherwise.
std::optional<ExactRate> parse_exact_rate(std::string_view text);

// Exchange rates into one reporting currency, as configured: "1 unit of RUB = 0.0108 USD". Rates are exact
// decimals (up to 12 fractional digits); conversion rounds half to even to the reporting currency's cents.
// Immutable after construction; thread-safe.
class FxTable {
 public:
  static constexpr int kReportingDigits = 2;

  // `rates` maps ISO 4217 codes to decimal strings. The reporting currency itself converts at 1.
  static Result<FxTable> make(std::string reporting_currency, const std::map<std::string, std::string>& rates);

  const std::string& reporting_currency() const { return reporting_; }
  bool has_rate(std::string_view currency) const;
  // nullopt when the currency has no rate (the caller counts the line apart; it is never valued at zero).
  std::optional<Decimal> to_reporting(Decimal amount, std::string_view currency) const;

 private:
  std::string reporting_;
  std::map<std::string, ExactRate, std::less<>> rates_;
};

}  // namespace sm::aggregate
