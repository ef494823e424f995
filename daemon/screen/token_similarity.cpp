#include "screen/token_similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sm::screen {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_vowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y'; }

constexpr double kSoundAlike = 0.88;

// Letter classes for the letter-count bound: A-Z are 0-25, digits two to a class (26-30), anything else 31.
// Merged classes only lower a count difference, so the bounds below stay bounds.
constexpr std::array<std::uint8_t, 256> kLetterSlot = [] {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t c = 0; c < t.size(); ++c) {
    t[c] = c >= '0' && c <= '9' ? static_cast<std::uint8_t>(26 + (c - '0') / 2)
           : c >= 'A' && c <= 'Z' ? static_cast<std::uint8_t>(c - 'A')
                                  : 31;
  }
  return t;
}();

// Sum over classes of |x| for per-class differences kept as 8-bit two's complement (as int8_t): exact while
// no difference reaches 128.
int sum_abs_bytes(const std::array<std::uint8_t, 32>& d) {
#if defined(__SSE2__)
  // |x| of a signed byte is min(x, -x) read unsigned; psadbw against zero adds the bytes up.
  const __m128i zero = _mm_setzero_si128();
  __m128i sum = zero;
  for (std::size_t k = 0; k < d.size(); k += 16) {
    const __m128i x = _mm_load_si128(reinterpret_cast<const __m128i*>(d.data() + k));
    sum = _mm_add_epi64(sum, _mm_sad_epu8(_mm_min_epu8(x, _mm_sub_epi8(zero, x)), zero));
  }
  return _mm_cvtsi128_si32(sum) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum));
#else
  int diff = 0;
  for (const std::uint8_t u : d) {
    const int n = static_cast<std::int8_t>(u);
    diff += n < 0 ? -n : n;
  }
  return diff;
#endif
}

// Sum over letter classes of |count in a - count in b|. A per-class difference of 128 or more would wrap, so
// strings that long count in full-width integers.
int letter_count_difference(std::string_view a, std::string_view b) {
  if (a.size() > 127 || b.size() > 127) {
    std::array<int, 32> wide{};
    for (const char c : a) ++wide[kLetterSlot[static_cast<unsigned char>(c)]];
    for (const char c : b) --wide[kLetterSlot[static_cast<unsigned char>(c)]];
    int diff = 0;
    for (const int n : wide) diff += n < 0 ? -n : n;
    return diff;
  }
  alignas(16) std::array<std::uint8_t, 32> counts{};
  for (const char c : a) ++counts[kLetterSlot[static_cast<unsigned char>(c)]];
  for (const char c : b) --counts[kLetterSlot[static_cast<unsigned char>(c)]];
  return sum_abs_bytes(counts);
}

// The same from counts made beforehand (tokens of at most 127 characters, so no class reaches 128).
int letter_count_difference(const LetterCounts& a, const LetterCounts& b) {
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  __m128i sum = zero;
  for (std::size_t k = 0; k < a.n.size(); k += 16) {
    const __m128i x = _mm_sub_epi8(_mm_load_si128(reinterpret_cast<const __m128i*>(a.n.data() + k)),
                                   _mm_load_si128(reinterpret_cast<const __m128i*>(b.n.data() + k)));
    sum = _mm_add_epi64(sum, _mm_sad_epu8(_mm_min_epu8(x, _mm_sub_epi8(zero, x)), zero));
  }
  return _mm_cvtsi128_si32(sum) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(sum, sum));
#else
  alignas(16) std::array<std::uint8_t, 32> d{};
  for (std::size_t k = 0; k < d.size(); ++k) d[k] = static_cast<std::uint8_t>(a.n[k] - b.n[k]);
  return sum_abs_bytes(d);
#endif
}
constexpr double kPruneMargin = 1e-6;
constexpr std::size_t kJaroMaxLength = 64;  // jaro_winkler() compares no more of each string than this.

}  // namespace

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a == b) return 1.0;
  const std::size_t la = a.size();
  const std::size_t lb = b.size();
  const std::size_t window = std::max<std::size_t>(std::max(la, lb) / 2, 1) - 1;
  if (la > kJaroMaxLength || lb > kJaroMaxLength) {
    a = a.substr(0, kJaroMaxLength);
    b = b.substr(0, kJaroMaxLength);
  }
  // The textbook greedy matching (each character of a takes the first unmatched equal character of b within
  // the window), with b's positions of each character as bits: the first candidate is the lowest set bit of
  // (positions of a[i]) & (window) & ~(matched), one step instead of a scan of the window. b is at most 64
  // characters, so one word holds it. The table is per thread and left all zero after each call.
  thread_local std::array<std::uint64_t, 256> positions{};
  for (std::size_t j = 0; j < b.size(); ++j) positions[static_cast<unsigned char>(b[j])] |= std::uint64_t{1} << j;
  const auto below = [](std::size_t n) { return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1; };
  std::uint64_t matched_a = 0;
  std::uint64_t matched_b = 0;
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(i + window + 1, b.size());
    if (lo >= hi) break;  // Windows only move right: no later character of a has one either.
    const std::uint64_t avail = positions[static_cast<unsigned char>(a[i])] & ~matched_b & below(hi) & ~below(lo);
    if (avail != 0) {
      matched_b |= avail & (~avail + 1);
      matched_a |= std::uint64_t{1} << i;
      ++matches;
    }
  }
  for (const char c : b) positions[static_cast<unsigned char>(c)] = 0;
  if (matches == 0) return 0.0;
  // Matched characters of a and of b, each in order, compared pairwise.
  std::size_t transpositions = 0;
  for (std::uint64_t ma = matched_a, mb = matched_b; ma != 0; ma &= ma - 1, mb &= mb - 1) {
    if (a[static_cast<std::size_t>(__builtin_ctzll(ma))] != b[static_cast<std::size_t>(__builtin_ctzll(mb))]) ++transpositions;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

namespace {

// Levenshtein distance by dynamic programming over one row: any lengths.
std::size_t levenshtein_rows(std::string_view a, std::string_view b) {
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

// Levenshtein distance, bit-parallel (Myers 1999, in Hyyro's formulation for the distance between whole
// strings): one 64-bit word holds a column of the DP matrix, so the cost is a few operations per character of
// the longer string. `p` (the pattern) is 1..64 characters of 7-bit ASCII.
std::size_t levenshtein_bits(std::string_view p, std::string_view t) {
  // Match masks per character: per thread, all zero between calls (only p's characters are set and reset),
  // rather than 1 KiB cleared per call.
  thread_local std::array<std::uint64_t, 128> peq{};
  for (std::size_t i = 0; i < p.size(); ++i) peq[static_cast<unsigned char>(p[i])] |= std::uint64_t{1} << i;
  const std::uint64_t last = std::uint64_t{1} << (p.size() - 1);
  std::uint64_t pv = ~std::uint64_t{0};
  std::uint64_t mv = 0;
  std::size_t dist = p.size();
  for (const char c : t) {
    const std::uint64_t eq = peq[static_cast<unsigned char>(c) & 0x7FU];
    const std::uint64_t xv = eq | mv;
    const std::uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    std::uint64_t ph = mv | ~(xh | pv);
    std::uint64_t mh = pv & xh;
    if ((ph & last) != 0U) ++dist;
    if ((mh & last) != 0U) --dist;
    ph = (ph << 1) | 1U;  // Row 0 grows by one per text character.
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  for (const char c : p) peq[static_cast<unsigned char>(c)] = 0;
  return dist;
}

// The same for patterns of any length (Myers 1999, the block-based form of his Fig. 8): the column is split
// into 64-row words processed top to bottom, each passing the horizontal difference at its last row to the
// next as the difference entering at its top. `p` is 7-bit ASCII; the cost is ceil(|p|/64) word steps per
// character of `t` instead of |p| cells.
std::size_t levenshtein_blocks(std::string_view p, std::string_view t) {
  const std::size_t words = (p.size() + 63) / 64;
  // One row of match masks per distinct character of p (row 0: characters p lacks), so that only what p
  // uses is cleared. Per thread, reused.
  thread_local std::vector<std::uint64_t> peq;
  thread_local std::vector<std::uint64_t> vp;
  thread_local std::vector<std::uint64_t> vm;
  std::array<std::uint8_t, 128> row_of{};
  std::size_t rows = 1;
  for (const char c : p) {
    std::uint8_t& r = row_of[static_cast<unsigned char>(c) & 0x7FU];
    if (r == 0) r = static_cast<std::uint8_t>(rows++);
  }
  peq.assign(rows * words, 0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    peq[row_of[static_cast<unsigned char>(p[i]) & 0x7FU] * words + i / 64] |= std::uint64_t{1} << (i % 64);
  }
  vp.assign(words, ~std::uint64_t{0});
  vm.assign(words, 0);
  const std::uint64_t last = std::uint64_t{1} << ((p.size() - 1) % 64);
  const std::uint64_t high = std::uint64_t{1} << 63;
  std::size_t dist = p.size();
  for (const char c : t) {
    const std::uint64_t* eqs = peq.data() + row_of[static_cast<unsigned char>(c) & 0x7FU] * words;
    int carry = 1;  // Row 0 grows by one per text character.
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t eq = eqs[w];
      const std::uint64_t pv = vp[w];
      const std::uint64_t mv = vm[w];
      const std::uint64_t carry_down = carry < 0 ? 1U : 0U;
      const std::uint64_t xv = eq | mv;
      eq |= carry_down;
      const std::uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
      std::uint64_t ph = mv | ~(xh | pv);
      std::uint64_t mh = pv & xh;
      const std::uint64_t out_bit = w + 1 == words ? last : high;
      const int out = (ph & out_bit) != 0U ? 1 : (mh & out_bit) != 0U ? -1 : 0;
      ph = (ph << 1) | (carry > 0 ? 1U : 0U);
      mh = (mh << 1) | carry_down;
      vp[w] = mh | ~(xv | ph);
      vm[w] = ph & xv;
      carry = out;
    }
    dist = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(dist) + carry);
  }
  return dist;
}

bool ascii7(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::size_t levenshtein(std::string_view a, std::string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  if (b.empty()) return a.size();
  if (!ascii7(a) || !ascii7(b)) return levenshtein_rows(a, b);
  return b.size() <= 64 ? levenshtein_bits(b, a) : levenshtein_blocks(b, a);
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

void add_letter_counts(LetterCounts& sum, const LetterCounts& part) {
#if defined(__SSE2__)
  for (std::size_t k = 0; k < sum.n.size(); k += 16) {
    auto* s = reinterpret_cast<__m128i*>(sum.n.data() + k);
    _mm_store_si128(s, _mm_add_epi8(_mm_load_si128(s), _mm_load_si128(reinterpret_cast<const __m128i*>(part.n.data() + k))));
  }
#else
  for (std::size_t k = 0; k < sum.n.size(); ++k) sum.n[k] = static_cast<std::uint8_t>(sum.n[k] + part.n[k]);
#endif
}

bool letter_counts(std::string_view token, LetterCounts& out) {
  out = LetterCounts{};
  if (token.size() > 127) return false;
  for (const char c : token) ++out.n[kLetterSlot[static_cast<unsigned char>(c)]];
  return true;
}

double token_similarity_at_least(std::string_view a, std::string_view b, std::string_view key_a, std::string_view key_b,
                                 double min, const LetterCounts* counts_a, const LetterCounts* counts_b) {
  if (a == b) return 1.0;
  if (a.size() < 2 || b.size() < 2) return 0.0;
  if (is_digit(a[0]) || is_digit(b[0]) || is_digit(a.back()) || is_digit(b.back())) return 0.0;
  // Levenshtein similarity is at most shorter/longer and Jaro-Winkler at most 1: when even their best mean is
  // low, skip both (most pairs the scorer sees are unrelated words).
  const double ratio = static_cast<double>(std::min(a.size(), b.size())) / static_cast<double>(std::max(a.size(), b.size()));
  if (ratio < 0.5) return (1.0 + ratio) / 2.0 * 0.5;
  // Levenshtein distance is at least half the letter-count difference; when that alone puts the mean below
  // what could ever align (Jaro-Winkler counted as 1), the words are unrelated.
  const int diff = counts_a != nullptr && counts_b != nullptr ? letter_count_difference(*counts_a, *counts_b)
                                                              : letter_count_difference(a, b);
  const double longest = static_cast<double>(std::max(a.size(), b.size()));
  const int half_diff = (diff + 1) / 2;  // Rounded up, in whole edits.
  const double lev_bound = 1.0 - static_cast<double>(half_diff) / longest;
  if ((1.0 + lev_bound) / 2.0 < 0.7) return (1.0 + lev_bound) / 2.0 * 0.5;
  // Equal sound keys catch romanisation variants ("USAMA"/"OSAMA", "MOHAMMED"/"MUHAMMAD"); the first letters
  // must still agree (or both be vowels) so that unrelated names sharing a consonant skeleton stay apart.
  const bool same_start = a[0] == b[0] || (is_vowel(a[0]) && is_vowel(b[0]));
  const bool sound_alike = same_start && key_a.size() >= 2 && key_a == key_b && std::min(a.size(), b.size()) >= 3;
  if (!sound_alike) {
    // Jaro-Winkler at its best: every letter the two share matched, none transposed, with their real common
    // prefix. When even that cannot reach `min`, neither Jaro-Winkler nor the distance is computed.
    // jaro_winkler() compares only the first kJaroMaxLength characters of longer strings (names written
    // together, "FEDERALSTATEUNITARY..."), so the bound is taken over those same characters.
    const bool cut = a.size() > kJaroMaxLength || b.size() > kJaroMaxLength;
    const std::string_view ja = cut ? a.substr(0, kJaroMaxLength) : a;
    const std::string_view jb = cut ? b.substr(0, kJaroMaxLength) : b;
    const int jdiff = cut ? letter_count_difference(ja, jb) : diff;
    const std::size_t shared = (ja.size() + jb.size() - static_cast<std::size_t>(jdiff)) / 2;  // Whole letters.
    const double m = static_cast<double>(shared);
    const double jaro_bound = (m / static_cast<double>(ja.size()) + m / static_cast<double>(jb.size()) + 1.0) / 3.0;
    std::size_t prefix = 0;
    while (prefix < 4 && prefix < ja.size() && prefix < jb.size() && ja[prefix] == jb[prefix]) ++prefix;
    const double jw_bound = jaro_bound + static_cast<double>(prefix) * 0.1 * (1.0 - jaro_bound);
    if ((jw_bound + lev_bound) / 2.0 < min - kPruneMargin) return (jw_bound + lev_bound) / 2.0;
  }
  const double jw = jaro_winkler(a, b);
  // The Levenshtein bound with the real Jaro-Winkler: a pair that cannot reach `min` needs no distance. The
  // margin keeps every value that is returned in place of the real one clearly below `min` (callers store
  // similarities as float).
  if (!sound_alike && (jw + lev_bound) / 2.0 < min - kPruneMargin) return (jw + lev_bound) / 2.0;
  const double lev = 1.0 - static_cast<double>(levenshtein(a, b)) / longest;
  double s = (jw + lev) / 2.0;
  if (sound_alike) s = std::max(s, kSoundAlike);
  return s;
}

double token_similarity(std::string_view a, std::string_view b, std::string_view key_a, std::string_view key_b) {
  return token_similarity_at_least(a, b, key_a, key_b, -1.0);
}

double token_similarity(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  return token_similarity(a, b, phonetic_key(a), phonetic_key(b));
}

}  // namespace sm::screen
