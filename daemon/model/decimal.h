#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sm {

// An exact decimal amount with six fractional digits, held as a signed 64-bit count of millionths
// (so up to about 9.2 trillion units). Money in sanctions-monitor is always a Decimal, never a double.
class Decimal {
 public:
  static constexpr int kScale = 6;
  static constexpr std::int64_t kOne = 1'000'000;

  constexpr Decimal() = default;
  static constexpr Decimal from_micros(std::int64_t micros) { return Decimal(micros); }
  static constexpr Decimal from_units(std::int64_t units) { return Decimal(units * kOne); }

  // Parses "1250000", "1250000.5", "-3.25". Rejects exponents, more than six fractional digits, empty
  // strings, stray characters and values that do not fit. Returns nullopt on any of those.
  static std::optional<Decimal> parse(std::string_view text);

  // Formats with exactly `digits` fractional digits (0..6), rounding half to even: "1250000.00".
  std::string to_string(int digits = 2) const;

  // Rounds half to even to `digits` fractional digits (0..6).
  Decimal rounded(int digits) const;

  // Multiplies by a rate given as an integer mantissa over 10^rate_scale (rate_scale 0..18), rounding half
  // to even to `digits` fractional digits. Returns nullopt on overflow.
  std::optional<Decimal> times_rate(std::int64_t rate_mantissa, int rate_scale, int digits) const;

  // Exact addition; nullopt on overflow.
  std::optional<Decimal> checked_add(Decimal other) const;

  constexpr std::int64_t micros() const { return micros_; }
  constexpr bool is_negative() const { return micros_ < 0; }
  constexpr bool is_zero() const { return micros_ == 0; }

  // value / total as a ratio (for shares, which are not money); 0 when total is zero.
  static double ratio(Decimal value, Decimal total);

  friend constexpr auto operator<=>(Decimal, Decimal) = default;

 private:
  constexpr explicit Decimal(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_ = 0;
};

}  // namespace sm
