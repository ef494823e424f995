#include "screen/name_scorer.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "screen/token_similarity.h"

namespace sm::screen {
namespace {

constexpr std::size_t kMaxTokens = 16;     // Longer names are compared on their first 16 tokens.
constexpr double kMinTokenSimilarity = 0.75;  // Below this two tokens are different words.
constexpr double kInitialSimilarity = 0.9;    // "V" against "VLADIMIR".
constexpr double kSubsetLift = 0.5;           // How far a fully covered shorter name moves towards coverage.
constexpr double kMinLiftWeight = 1.2;       // ... and only when the shorter name says enough by itself.
constexpr double kJoinedDiscount = 0.95;      // A match only after joining tokens is slightly weaker.

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
  if (slots_.empty()) slots_.assign(kSlots, Slot{});
  if (++generation_ == 0) {
    std::fill(slots_.begin(), slots_.end(), Slot{});
    joined_stamp_ = 0;
    generation_ = 1;
  }
}

double score_names(std::span<const WeightedToken> a, std::span<const WeightedToken> b, bool initials,
                   std::string* explanation, TokenPairCache* cache, double floor) {
  if (a.empty() || b.empty()) return 0.0;
  a = a.subspan(0, std::min(a.size(), kMaxTokens));
  b = b.subspan(0, std::min(b.size(), kMaxTokens));

  std::array<Pair, kMaxTokens * kMaxTokens> pairs{};
  std::size_t n_pairs = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = 0; j < b.size(); ++j) {
      const auto& x = a[i];
      const auto& y = b[j];
      double s = 0.0;
      const bool cacheable = cache != nullptr && i < TokenPairCache::kMaxQueryTokens && y.id <= TokenPairCache::kMaxId;
      if (x.text == y.text) {
        s = 1.0;
      } else if (initials && (x.text.size() == 1) != (y.text.size() == 1) && x.text[0] == y.text[0]) {
        s = kInitialSimilarity;
      } else if (cacheable && (s = cache->get(i, y.id)) >= 0.0) {
        // Known from an earlier candidate.
      } else {
        s = token_similarity_at_least(x.text, y.text, x.key, y.key, kMinTokenSimilarity, x.letters, y.letters);
        if (cacheable) cache->put(i, y.id, s);
      }
      if (s >= kMinTokenSimilarity) pairs[n_pairs++] = Pair{s, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(j)};
    }
  }
  std::sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(n_pairs), [](const Pair& p, const Pair& q) {
    if (p.sim != q.sim) return p.sim > q.sim;
    return p.i != q.i ? p.i < q.i : p.j < q.j;  // Deterministic, and order-preserving among equals.
  });

  std::array<bool, kMaxTokens> used_a{};
  std::array<bool, kMaxTokens> used_b{};
  double total_a = 0.0;
  double total_b = 0.0;
  for (const auto& x : a) total_a += x.weight;
  for (const auto& y : b) total_b += y.weight;
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
  if (a.size() != b.size()) {
    std::string* ja_cached = nullptr;
    if (cache != nullptr) {
      ja_cached = &cache->query_joined();
      if (!cache->has_query_joined()) {
        *ja_cached = joined(a, 0);
        cache->mark_query_joined();
      }
    }
    const std::string& ja = ja_cached != nullptr ? *ja_cached : joined(a, 0);
    std::string& jb = joined(b, 1);
    // Only a joined similarity that would raise the score, to at least `floor`, needs computing exactly.
    const double need = std::max(score, floor) / kJoinedDiscount;
    const double js = ja == jb ? 1.0 : token_similarity_at_least(ja, jb, std::string_view(), std::string_view(), need);
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
