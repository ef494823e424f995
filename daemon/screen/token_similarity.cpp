#include "screen/token_similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace sm::screen {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_vowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y'; }

constexpr double kSoundAlike = 0.88;

}  // namespace

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a == b) return 1.0;
  const std::size_t la = a.size();
  const std::size_t lb = b.size();
  const std::size_t window = std::max<std::size_t>(std::max(la, lb) / 2, 1) - 1;
  // Names are short; fixed buffers keep the hot path free of allocation.
  std::array<bool, 64> ma{};
  std::array<bool, 64> mb{};
  if (la > ma.size() || lb > mb.size()) {
    a = a.substr(0, ma.size());
    b = b.substr(0, mb.size());
  }
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(i + window + 1, b.size());
    for (std::size_t j = lo; j < hi; ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

std::size_t levenshtein(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (b.empty()) return a.size();
  std::array<std::uint32_t, 65> row_buf{};
  std::vector<std::uint32_t> row_heap;
  std::uint32_t* row = row_buf.data();
  if (b.size() + 1 > row_buf.size()) {
    row_heap.resize(b.size() + 1);
    row = row_heap.data();
  }
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<std::uint32_t>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::uint32_t diag = row[0];
    row[0] = static_cast<std::uint32_t>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::uint32_t up = row[j];
      const std::uint32_t cost = a[i - 1] == b[j - 1] ? 0U : 1U;
      row[j] = std::min({up + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string phonetic_key(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  char last = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    if (is_digit(c)) {
      out.push_back(c);
      last = c;
      continue;
    }
    // Digraphs that romanisations spell differently from one another: KH/H/CH (Arabic, Russian X), SH/S,
    // ZH/Z, TH/T, DH/D, GH/G, PH/F, TS/C/Z (Russian Ts), CK/K.
    if (next == 'H') {
      switch (c) {
        case 'K': c = 'H'; ++i; break;
        case 'S': case 'Z': case 'T': case 'D': case 'G': ++i; break;
        case 'C': c = 'K'; ++i; break;
        case 'P': c = 'F'; ++i; break;
        default: break;
      }
    } else if (c == 'T' && next == 'S') {
      c = 'S';
      ++i;
    } else if (c == 'C' && next == 'K') {
      c = 'K';
      ++i;
    }
    if (is_vowel(c) || c == 'H' || c == 'W') {
      last = 0;  // A vowel between equal consonants keeps both ("MOHAMMED" -> "MMT").
      continue;
    }
    switch (c) {
      case 'Q': case 'C': c = 'K'; break;
      case 'Z': c = 'S'; break;
      case 'V': c = 'F'; break;
      case 'D': c = 'T'; break;
      default: break;
    }
    if (c != last) out.push_back(c);
    last = c;
  }
  return out;
}

double token_similarity(std::string_view a, std::string_view b, std::string_view key_a, std::string_view key_b) {
  if (a == b) return 1.0;
  if (a.size() < 2 || b.size() < 2) return 0.0;
  if (is_digit(a[0]) || is_digit(b[0]) || is_digit(a.back()) || is_digit(b.back())) return 0.0;
  // Levenshtein similarity is at most shorter/longer and Jaro-Winkler at most 1: when even their best mean is
  // low, skip both (most pairs the scorer sees are unrelated words).
  const double ratio = static_cast<double>(std::min(a.size(), b.size())) / static_cast<double>(std::max(a.size(), b.size()));
  if (ratio < 0.5) return (1.0 + ratio) / 2.0 * 0.5;
  // Levenshtein distance is at least half the letter-count difference; when that alone puts the mean below
  // what could ever align (Jaro-Winkler counted as 1), the words are unrelated.
  std::array<std::int8_t, 36> counts{};
  for (const char c : a) ++counts[is_digit(c) ? 26 + (c - '0') : (c >= 'A' && c <= 'Z' ? c - 'A' : 35)];
  for (const char c : b) --counts[is_digit(c) ? 26 + (c - '0') : (c >= 'A' && c <= 'Z' ? c - 'A' : 35)];
  int diff = 0;
  for (const auto n : counts) diff += n < 0 ? -n : n;
  const double longest = static_cast<double>(std::max(a.size(), b.size()));
  const double lev_bound = 1.0 - static_cast<double>((diff + 1) / 2) / longest;
  if ((1.0 + lev_bound) / 2.0 < 0.7) return (1.0 + lev_bound) / 2.0 * 0.5;
  const double lev = 1.0 - static_cast<double>(levenshtein(a, b)) / static_cast<double>(std::max(a.size(), b.size()));
  double s = (jaro_winkler(a, b) + lev) / 2.0;
  // Equal sound keys catch romanisation variants ("USAMA"/"OSAMA", "MOHAMMED"/"MUHAMMAD"); the first letters
  // must still agree (or both be vowels) so that unrelated names sharing a consonant skeleton stay apart.
  const bool same_start = a[0] == b[0] || (is_vowel(a[0]) && is_vowel(b[0]));
  if (same_start && key_a.size() >= 2 && key_a == key_b && std::min(a.size(), b.size()) >= 3) s = std::max(s, kSoundAlike);
  return s;
}

double token_similarity(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  return token_similarity(a, b, phonetic_key(a), phonetic_key(b));
}

}  // namespace sm::screen
