#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/decimal.h"
#include "model/result.h"

namespace sm::aggregate {

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
  struct Rate {
    std::int64_t mantissa = 0;
    int scale = 0;
  };
  std::string reporting_;
  std::map<std::string, Rate, std::less<>> rates_;
};

}  // namespace sm::aggregate
