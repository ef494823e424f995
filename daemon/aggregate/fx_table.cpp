#include "aggregate/fx_table.h"

namespace sm::aggregate {

std::optional<ExactRate> parse_exact_rate(std::string_view text) {
  std::int64_t mantissa = 0;
  int scale = 0;
  int digits = 0;
  bool dot = false;
  for (const char c : text) {
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (++digits > 18) return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
    if (dot && ++scale > 12) return std::nullopt;
  }
  if (digits == 0 || mantissa <= 0) return std::nullopt;
  return ExactRate{mantissa, scale};
}

Result<FxTable> FxTable::make(std::string reporting_currency, const std::map<std::string, std::string>& rates) {
  FxTable table;
  table.reporting_ = std::move(reporting_currency);
  if (table.reporting_.size() != 3) {
    return make_error("bad_fx", "reporting currency \"" + table.reporting_ + "\" is not an ISO 4217 code");
  }
  table.rates_[table.reporting_] = ExactRate{1, 0};
  for (const auto& [currency, text] : rates) {
    const auto rate = parse_exact_rate(text);
    if (!rate) {
      return make_error("bad_fx", "rate for " + currency + " is \"" + text +
                                      "\": expected a positive decimal string with at most 12 fractional digits");
    }
    if (currency == table.reporting_ && !(*rate == ExactRate{1, 0})) {
      return make_error("bad_fx", "the reporting currency " + currency + " must have rate 1 (or none)");
    }
    table.rates_[currency] = *rate;
  }
  return table;
}

bool FxTable::has_rate(std::string_view currency) const { return rates_.find(currency) != rates_.end(); }

std::optional<Decimal> FxTable::to_reporting(Decimal amount, std::string_view currency) const {
  const auto it = rates_.find(currency);
  if (it == rates_.end()) return std::nullopt;
  return amount.times_rate(it->second.mantissa, it->second.scale, kReportingDigits);
}

}  // namespace sm::aggregate
