#pragma once

#include <cstdint>
#include <span>
#include <vector>
#include <string>
#include <string_view>

#include "screen/token_similarity.h"

namespace sm::screen {

// One normalised token as the scorer sees it: its text, its sound key and how much it says about identity
// (IDF from list statistics when screening; a fixed table in compare_names()).
struct WeightedToken {
  std::string_view text;
  std::string_view key;  // phonetic_key(text)
  double weight = 1.0;
  std::uint32_t id = kNoId;  // Vocabulary id (one per distinct text), for TokenPairCache and equality; or kNoId.
  const LetterCounts* letters = nullptr;  // letter_counts(text), when known: a cheaper bound for dissimilar pairs.
  static constexpr std::uint32_t kNoId = 0xFFFFFFFFU;
};

// Remembers token similarities between the query's tokens and vocabulary tokens for the duration of one query,
// because candidate names share tokens, and the query's tokens written together: every score_names() call
// between two start() calls must get the same query tokens. Reused across queries by one thread (a
// generation stamp empties it).
// Each vocabulary token met in a query gets a column of kMaxQueryTokens similarities, found once per candidate
// token rather than once per pair, and the columns in use lie together (a query meets at most 24 candidates x
// 16 tokens), so the table stays in the nearest cache whatever the vocabulary size.
class TokenPairCache {
 public:
  static constexpr std::size_t kMaxQueryTokens = 16;  // As many as score_names() compares.
  static constexpr std::uint32_t kNoColumn = 0xFFFFFFFFU;
  void start(std::size_t vocabulary_size);
  // The column of vocabulary token `id` in this query, made (all unknown) on first use; kNoColumn when the
  // table is full.
  std::uint32_t column(std::uint32_t id);
  // The similarity stored for (query token index, column) in this query, or a negative value.
  double get(std::size_t query_token, std::uint32_t column) const { return values_[column * kMaxQueryTokens + query_token]; }
  void put(std::size_t query_token, std::uint32_t column, double v) { values_[column * kMaxQueryTokens + query_token] = v; }
  // The query's tokens written together (the same for every candidate of one query), made on first use.
  std::string& query_joined() { return query_joined_; }
  bool has_query_joined() const { return joined_stamp_ == generation_; }
  // Marks query_joined() made, and counts its letters.
  void mark_query_joined() {
    joined_stamp_ = generation_;
    joined_counted_ = letter_counts(query_joined_, joined_letters_);
  }
  // letter_counts() of query_joined(), or null when it is too long to count.
  const LetterCounts* query_joined_letters() const { return joined_counted_ ? &joined_letters_ : nullptr; }

 private:
  static constexpr std::size_t kColumns = 1024;  // Over twice what one query of the screener can use.
  static constexpr std::size_t kSlots = 2048;    // Vocabulary id -> column, at most half full.
  struct Slot {
    std::uint32_t id = 0;
    std::uint32_t stamp = 0;
    std::uint32_t column = 0;
  };
  std::vector<Slot> slots_;
  std::vector<double> values_;  // Exact (double), so that a remembered similarity scores as a computed one.
  std::size_t used_ = 0;
  std::uint32_t generation_ = 0;
  std::string query_joined_;
  LetterCounts joined_letters_;
  bool joined_counted_ = false;
  std::uint32_t joined_stamp_ = 0;
};

// Scores two token sets 0..1, ignoring word order. Tokens are aligned greedily by similarity (typos and
// romanisation variants count in part, single letters match a token with that initial when `initials`),
// and the score is the weighted share of both names that is covered by aligned tokens, so an unmatched rare
// token costs much and an unmatched common one little. When every token of the shorter name is matched
// (an extra middle name, a dropped qualifier) and those tokens weigh enough together (two distinctive words,
// not "INTERNATIONAL TRADING"), the score is lifted part of the way towards that coverage.
// Differently split names ("XI JIN PING"/"XI JINPING") are also compared as joined strings.
// Writes a short human-readable account to `explanation` when given.
// With `cache`, similarities between a's tokens (by position, the first kMaxQueryTokens) and b's tokens (by
// id; none for kNoId) are looked up there first and stored there.
// With `floor`, a caller that discards every score below it may get another value below it than the exact one
// (work that could only lead to such a score is skipped); scores of at least `floor` are exact.
double score_names(std::span<const WeightedToken> a, std::span<const WeightedToken> b, bool initials,
                   std::string* explanation = nullptr, TokenPairCache* cache = nullptr, double floor = 0.0);

}  // namespace sm::screen
