#pragma once

#include <cstdint>
#include <span>

namespace sm::generate {

// A small deterministic PRNG (SplitMix64) with the few draws the generator needs, written out here because
// std::*_distribution outputs differ between standard libraries. Same state, same sequence, on every platform.
// It references its state so that the owner keeps the state in a plain integer.
class Rng {
 public:
  explicit Rng(std::uint64_t& state) : state_(state) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n) for n >= 1 (multiply-high; the bias below 2^-64 * n is irrelevant here).
  std::uint64_t below(std::uint64_t n) {
    __extension__ using U128 = unsigned __int128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet.
    return static_cast<std::uint64_t>((static_cast<U128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi], lo <= hi.
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }

  // An index drawn with the given integer weights (at least one positive).
  std::size_t weighted(std::span<const std::uint32_t> weights) {
    std::uint64_t total = 0;
    for (const auto w : weights) total += w;
    std::uint64_t r = below(total);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

  // -ln(U) for U uniform in (0, 1]: an exponential draw with mean 1. The logarithm is computed here from
  // +, *, / only (IEEE 754 exact operations), so the result does not depend on the platform's libm.
  double exponential() {
    const double u = static_cast<double>((next() >> 11) + 1) * 0x1.0p-53;  // (0, 1]
    return -ln(u);
  }

  // Natural logarithm of x in (0, 1]: x = m * 2^-k with m in [1, 2), ln m by the atanh series.
  static double ln(double x) {
    int k = 0;
    while (x < 1.0) {
      x *= 2.0;
      ++k;
    }
    const double s = (x - 1.0) / (x + 1.0);  // s in [0, 1/3)
    const double s2 = s * s;
    double term = s, sum = 0.0;
    for (int i = 1; i < 40; i += 2) {
      sum += term / i;
      term *= s2;
    }
    return 2.0 * sum - k * 0.6931471805599453;
  }

 private:
  std::uint64_t& state_;
};

}  // namespace sm::generate
