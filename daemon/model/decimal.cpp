#include "model/decimal.h"

#include <array>
#include <limits>

namespace sm {
namespace {

__extension__ using Int128 = __int128;

constexpr std::array<std::int64_t, 19> kPow10 = {
    1LL, 10LL, 100LL, 1'000LL, 10'000LL, 100'000LL, 1'000'000LL, 10'000'000LL, 100'000'000LL,
    1'000'000'000LL, 10'000'000'000LL, 100'000'000'000LL, 1'000'000'000'000LL, 10'000'000'000'000LL,
    100'000'000'000'000LL, 1'000'000'000'000'000LL, 10'000'000'000'000'000LL, 100'000'000'000'000'000LL,
    1'000'000'000'000'000'000LL};

// Divides n by d (d > 0) rounding half to even.
Int128 div_half_even(Int128 n, Int128 d) {
  Int128 q = n / d;
  Int128 r = n % d;
  if (r < 0) {  // Normalise to floor division so that the remainder is non-negative.
    q -= 1;
    r += d;
  }
  const Int128 twice = r * 2;
  if (twice > d || (twice == d && (q % 2 != 0))) {
    q += 1;
  }
  return q;
}

bool fits(Int128 v) {
  return v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max();
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  Int128 whole = 0;
  int whole_digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    whole = whole * 10 + (c - '0');
    if (++whole_digits > 18) return std::nullopt;
  }
  Int128 frac = 0;
  int frac_digits = 0;
  if (i < text.size()) {  // text[i] == '.'
    ++i;
    if (i == text.size()) return std::nullopt;  // "12." is not a number we accept.
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c < '0' || c > '9') return std::nullopt;
      if (++frac_digits > kScale) return std::nullopt;
      frac = frac * 10 + (c - '0');
    }
  }
  if (whole_digits == 0 && frac_digits == 0) return std::nullopt;
  Int128 micros = whole * kOne + frac * kPow10[static_cast<std::size_t>(kScale - frac_digits)];
  if (negative) micros = -micros;
  if (!fits(micros)) return std::nullopt;
  return Decimal(static_cast<std::int64_t>(micros));
}

Decimal Decimal::rounded(int digits) const {
  if (digits >= kScale) return *this;
  if (digits < 0) digits = 0;
  const Int128 step = kPow10[static_cast<std::size_t>(kScale - digits)];
  const Int128 q = div_half_even(micros_, step);
  return Decimal(static_cast<std::int64_t>(q * step));
}

std::string Decimal::to_string(int digits) const {
  if (digits < 0) digits = 0;
  if (digits > kScale) digits = kScale;
  const Decimal r = rounded(digits);
  Int128 v = r.micros_;
  const bool negative = v < 0;
  if (negative) v = -v;
  const auto whole = static_cast<unsigned long long>(v / kOne);
  auto frac = static_cast<unsigned long long>(v % kOne);
  std::string out = negative ? "-" : "";
  out += std::to_string(whole);
  if (digits > 0) {
    frac /= static_cast<unsigned long long>(kPow10[static_cast<std::size_t>(kScale - digits)]);
    std::string f = std::to_string(frac);
    out += '.';
    out.append(static_cast<std::size_t>(digits) - f.size(), '0');
    out += f;
  }
  return out;
}

std::optional<Decimal> Decimal::times_rate(std::int64_t rate_mantissa, int rate_scale, int digits) const {
  if (rate_scale < 0 || rate_scale > 18) return std::nullopt;
  // micros * rate has scale 6 + rate_scale; bring it back to scale 6, then round to `digits`.
  const Int128 product = static_cast<Int128>(micros_) * rate_mantissa;
  const Int128 step = static_cast<Int128>(kPow10[static_cast<std::size_t>(rate_scale)]) *
                      kPow10[static_cast<std::size_t>(kScale - (digits < kScale ? digits : kScale))];
  const Int128 q = div_half_even(product, step);
  const Int128 micros = q * kPow10[static_cast<std::size_t>(kScale - (digits < kScale ? digits : kScale))];
  if (!fits(micros)) return std::nullopt;
  return Decimal(static_cast<std::int64_t>(micros));
}

std::optional<Decimal> Decimal::checked_add(Decimal other) const {
  std::int64_t out = 0;
  if (__builtin_add_overflow(micros_, other.micros_, &out)) return std::nullopt;
  return Decimal(out);
}

double Decimal::ratio(Decimal value, Decimal total) {
  if (total.micros_ == 0) return 0.0;
  // Both are exact integers of micros; the quotient is a share, not money, so a double is the right type.
  return static_cast<double>(value.micros_) / static_cast<double>(total.micros_);
}

}  // namespace sm
