#include "screen/name_scorer.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <utility>

#include "screen/token_similarity.h"

namespace sm::screen {
namespace {

constexpr std::size_t kMaxTokens = 16;     // Longer names are compared on their first 16 tokens.
constexpr double kMinTokenSimilarity = 0.75;  // Below this two tokens are different words.
constexpr double kInitialSimilarity = 0.9;    // "V" against "VLADIMIR".
constexpr double kSubsetLift = 0.5;           // How far a fully covered shorter name moves towards coverage.
constexpr double kMinLiftWeight = 1.2;       // ... and only when the shorter name says enough by itself.
constexpr double kJoinedDiscount = 0.95;      // A match only after joining tokens is slightly weaker.
constexpr double kBoundMargin = 1e-9;         // Rounding of the bound's sums, against the score's.

struct Pair {
  double sim;
  std::uint8_t i;
  std::uint8_t j;
};

// The tokens written together, in one of two per-thread buffers (reused, so no allocation once warm).
std::string& joined(std::span<const WeightedToken> t, int buffer) {
  thread_local std::array<std::string, 2> buffers;
  std::string& out = buffers[static_cast<std::size_t>(buffer)];
  out.clear();
  for (const auto& x : t) out += x.text;
  return out;
}

void append_number(std::string& out, double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  out += buf;
}

}  // namespace

void TokenPairCache::start(std::size_t vocabulary_size) {
  static_cast<void>(vocabulary_size);  // The table's size does not depend on it.
  if (slots_.empty()) {
    slots_.assign(kSlots, Slot{});
    values_.assign(kColumns * kMaxQueryTokens, -1.0);
  }
  used_ = 0;
  if (++generation_ == 0) {
    std::fill(slots_.begin(), slots_.end(), Slot{});
    joined_stamp_ = 0;
    generation_ = 1;
  }
}

std::uint32_t TokenPairCache::column(std::uint32_t id) {
  for (std::size_t k = static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> 40) & (kSlots - 1);; k = (k + 1) & (kSlots - 1)) {
    Slot& s = slots_[k];
    if (s.stamp == generation_) {
      if (s.id == id) return s.column;
      continue;
    }
    if (used_ == kColumns) return kNoColumn;
    s = Slot{id, generation_, static_cast<std::uint32_t>(used_++)};
    std::fill_n(values_.begin() + static_cast<std::ptrdiff_t>(s.column * kMaxQueryTokens), kMaxQueryTokens, -1.0);
    return s.column;
  }
}

double score_names(std::span<const WeightedToken> a, std::span<const WeightedToken> b, bool initials,
                   std::string* explanation, TokenPairCache* cache, double floor) {
  if (a.empty() || b.empty()) return 0.0;
  a = a.subspan(0, std::min(a.size(), kMaxTokens));
  b = b.subspan(0, std::min(b.size(), kMaxTokens));

  double total_a = 0.0;
  double total_b = 0.0;
  for (const auto& x : a) total_a += x.weight;
  for (const auto& y : b) total_b += y.weight;

  // Early exit for a caller with a floor. Rows (a's tokens) are compared heaviest first; after each, the score
  // is bounded by taking every token not yet compared as fully matched, each compared token of a as matched
  // at its best similarity in its row (the alignment gives it at most one partner), and b as covered by its
  // k heaviest tokens, k the number of a's rows that may still align (each aligned pair takes its own row
  // with a similar token and its own token of b, covering at most that token's weight).
  // Both the plain score and the lifted one (see below) grow with what is covered on either side, so neither
  // can exceed its value at these bounds; the joined comparison, which does not depend on the rows, is
  // taken first and disables the exit when it could reach the floor. A bound below the floor ends the
  // comparison with that bound, a value below the floor as the contract allows. Pairs are the same whatever
  // the row order (they are sorted below by similarity, then position), so scores that reach the floor are
  // exact.
  const bool prune = floor > 0.0 && explanation == nullptr && total_a > 0.0 && total_b > 0.0;
  std::array<std::uint8_t, kMaxTokens> rows{};
  for (std::size_t i = 0; i < a.size(); ++i) rows[i] = static_cast<std::uint8_t>(i);
  const bool lift_possible = a.size() != b.size() && std::min(a.size(), b.size()) >= 2 &&
                             (a.size() < b.size() ? total_a : total_b) >= kMinLiftWeight;
  // The query's tokens written together: the same for every candidate of one query, so made once per query.
  const auto joined_a = [&]() -> const std::string& {
    if (cache == nullptr) return joined(a, 0);
    if (!cache->has_query_joined()) {
      cache->query_joined() = joined(a, 0);
      cache->mark_query_joined();
    }
    return cache->query_joined();
  };
  // Letter counts of the tokens written together, for the similarity's cheap bound: the query's made once per
  // query (with a cache), the other side's added up from its tokens' counts (letter_counts() of a
  // concatenation is the sum of its parts' counts; exact while the whole has at most 127 characters, as
  // letter_counts() requires): both sides' counts or neither. Without them the bound counts the strings'
  // letters on every comparison.
  LetterCounts joined_b_letters;
  using CountsPair = std::pair<const LetterCounts*, const LetterCounts*>;
  const auto count_joined = [&]() -> CountsPair {
    if (cache == nullptr || a.size() == b.size()) return {};
    static_cast<void>(joined_a());  // Counts the query's letters once per query.
    const LetterCounts* a_letters = cache->query_joined_letters();
    if (a_letters == nullptr) return {};
    std::size_t length = 0;
    for (const auto& y : b) {
      if (y.letters == nullptr) return {};
      length += y.text.size();
    }
    if (length > 127) return {};
    for (const auto& y : b) add_letter_counts(joined_b_letters, *y.letters);
    return {a_letters, &joined_b_letters};
  };
  const auto [joined_a_letters, joined_b_counts] = count_joined();
  bool may_prune = prune;
  // What the first joined comparison settled, so that the last one is not made again (on names written
  // together over hundreds of characters it is the costliest step): the exact similarity when it reached
  // its threshold (token_similarity_at_least() is exact there), or that it is below floor / kJoinedDiscount
  // (then it cannot lift the score to the floor, and a score under the floor may be any value under it).
  double joined_exact = -1.0;
  bool joined_below_floor = false;
  if (may_prune && a.size() != b.size()) {
    const double need = floor / kJoinedDiscount;
    const double js = token_similarity_at_least(joined_a(), joined(b, 1), std::string_view(), std::string_view(), need,
                                                joined_a_letters, joined_b_counts);
    may_prune = js * kJoinedDiscount < floor - kBoundMargin;
    if (js >= need) joined_exact = js;
    else joined_below_floor = true;
  }
  if (may_prune) {
    // Insertion sort, stable: at most 16 rows, and no buffer to allocate as std::stable_sort would.
    for (std::size_t r = 1; r < a.size(); ++r) {
      const std::uint8_t row = rows[r];
      std::size_t k = r;
      for (; k > 0 && a[rows[k - 1]].weight < a[row].weight; --k) rows[k] = rows[k - 1];
      rows[k] = row;
    }
  }
  double open_a = total_a;  // Upper bound of what a's tokens can cover, refined row by row.
  std::array<double, kMaxTokens + 1> heaviest_b{};  // heaviest_b[k]: the weight of b's k heaviest tokens.
  std::size_t open_rows = a.size();                 // Rows that may still align.
  const auto bound_below_floor = [&]() {
    const double open_b = heaviest_b[std::min(open_rows, b.size())];
    const double dice = (open_a + open_b) / (total_a + total_b);
    double bound = dice;
    if (lift_possible) {
      const bool a_short = a.size() < b.size();
      const double coverage = a_short ? open_a / total_a : open_b / total_b;
      const double long_found = a_short ? open_b / total_b : open_a / total_a;
      bound = dice + std::max(0.0, coverage - dice) * kSubsetLift * long_found;
    }
    return bound < floor - kBoundMargin ? bound : -1.0;
  };
  if (may_prune) {
    std::array<double, kMaxTokens> w{};
    for (std::size_t j = 0; j < b.size(); ++j) w[j] = b[j].weight;
    std::sort(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(b.size()), std::greater<>());
    for (std::size_t k = 0; k < b.size(); ++k) heaviest_b[k + 1] = heaviest_b[k] + w[k];
    if (const double bound = bound_below_floor(); bound >= 0.0) return bound;
  }

  std::array<std::uint32_t, kMaxTokens> columns;  // b's tokens in the cache.
  for (std::size_t j = 0; j < b.size(); ++j) {
    columns[j] = cache != nullptr && b[j].id != WeightedToken::kNoId ? cache->column(b[j].id) : TokenPairCache::kNoColumn;
  }
  std::array<Pair, kMaxTokens * kMaxTokens> pairs;  // The first n_pairs are set (4 KiB not cleared per call).
  std::size_t n_pairs = 0;
  for (std::size_t r = 0; r < a.size(); ++r) {
    const std::size_t i = rows[r];
    double row_best = 0.0;
    for (std::size_t j = 0; j < b.size(); ++j) {
      const auto& x = a[i];
      const auto& y = b[j];
      double s = 0.0;
      const bool cacheable = columns[j] != TokenPairCache::kNoColumn && i < TokenPairCache::kMaxQueryTokens;
      // Two vocabulary tokens are equal exactly when their ids are; a token with no id compares by text.
      if (x.id != WeightedToken::kNoId && y.id != WeightedToken::kNoId ? x.id == y.id : x.text == y.text) {
        s = 1.0;
      } else if (initials && (x.text.size() == 1) != (y.text.size() == 1) && x.text[0] == y.text[0]) {
        s = kInitialSimilarity;
      } else if (cacheable && (s = cache->get(i, columns[j])) >= 0.0) {
        // Known from an earlier candidate.
      } else {
        s = token_similarity_at_least(x.text, y.text, x.key, y.key, kMinTokenSimilarity, x.letters, y.letters);
        if (cacheable) cache->put(i, columns[j], s);
      }
      if (s >= kMinTokenSimilarity) {
        pairs[n_pairs++] = Pair{s, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(j)};
        row_best = std::max(row_best, s);
      }
    }
    if (may_prune && r + 1 < a.size()) {
      open_a -= (1.0 - row_best) * a[i].weight;
      if (row_best == 0.0) --open_rows;
      if (const double bound = bound_below_floor(); bound >= 0.0) return bound;
    }
  }
  std::sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(n_pairs), [](const Pair& p, const Pair& q) {
    if (p.sim != q.sim) return p.sim > q.sim;
    return p.i != q.i ? p.i < q.i : p.j < q.j;  // Deterministic, and order-preserving among equals.
  });

  std::array<bool, kMaxTokens> used_a{};
  std::array<bool, kMaxTokens> used_b{};
  double covered_a = 0.0;
  double covered_b = 0.0;
  std::size_t aligned = 0;
  std::string account;
  for (std::size_t k = 0; k < n_pairs; ++k) {
    const Pair& p = pairs[k];
    if (used_a[p.i] || used_b[p.j]) continue;
    used_a[p.i] = used_b[p.j] = true;
    covered_a += p.sim * a[p.i].weight;
    covered_b += p.sim * b[p.j].weight;
    ++aligned;
    if (explanation != nullptr) {
      if (!account.empty()) account += ", ";
      account += a[p.i].text;
      account += "~";
      account += b[p.j].text;
      account += " ";
      append_number(account, p.sim);
    }
  }
  if (total_a <= 0.0 || total_b <= 0.0) return 0.0;
  const double dice = (covered_a + covered_b) / (total_a + total_b);
  double score = dice;

  // Shorter name fully found inside the longer one: an omitted middle name or qualifier. Needs two tokens on
  // the short side, or "WALIJAN" would be found in every "WALIJAN ..." name.
  const bool a_short = a.size() < b.size() || (a.size() == b.size() && total_a <= total_b);
  const auto& short_side = a_short ? a : b;
  const std::size_t short_aligned = aligned;
  const double short_weight = a_short ? total_a : total_b;
  if (short_side.size() >= 2 && short_aligned == short_side.size() && a.size() != b.size() &&
      short_weight >= kMinLiftWeight) {
    const double coverage = a_short ? covered_a / total_a : covered_b / total_b;
    // The more of the longer name is left unexplained, the less the lift: "JOHN SMITH" inside
    // "JOHN B. PRIDMORE-SMITH" leaves a distinctive surname unmatched.
    const double long_found = a_short ? covered_b / total_b : covered_a / total_a;
    score = std::max(score, dice + (coverage - dice) * kSubsetLift * long_found);
  }
  const char* how = "tokens";
  if (a.size() != b.size() && !joined_below_floor) {
    // Only a joined similarity that would raise the score, to at least `floor`, needs computing exactly.
    const double need = std::max(score, floor) / kJoinedDiscount;
    double js = joined_exact;
    if (js < 0.0) {
      const std::string& ja = joined_a();
      std::string& jb = joined(b, 1);
      js = ja == jb ? 1.0 : token_similarity_at_least(ja, jb, std::string_view(), std::string_view(), need, joined_a_letters,
                                                      joined_b_counts);
    }
    if (js * kJoinedDiscount > score) {
      score = js * kJoinedDiscount;
      how = "joined";
    }
  }
  score = std::clamp(score, 0.0, 1.0);
  if (explanation != nullptr) {
    *explanation = std::string(how) + " " ;
    append_number(*explanation, score);
    *explanation += " [" + account + "]";
  }
  return score;
}

}  // namespace sm::screen
