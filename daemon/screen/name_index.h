#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "screen/list_entry.h"
#include "screen/token_similarity.h"

namespace sm::screen {

// An inverted index over the normalised names of all entries: token -> names, plus two fuzzy doors into the
// token vocabulary (single-deletion neighbours, so one typo finds the token; sound keys, so romanisation
// variants do). Query cost depends on how many names share the query's tokens, not on the list size.
// Immutable after build(); lookups are const and thread-safe.
class NameIndex {
 public:
  struct Name {
    std::uint32_t entry = 0;          // Index into the entries given to build().
    std::uint16_t name_no = 0;        // Index into that entry's names.
    EntryType type = EntryType::kUnknown;  // The entry's, so that ranking need not touch the entry.
    std::uint32_t token_begin = 0;    // Range in token_ids().
    std::uint16_t token_count = 0;
    std::string normalised;
  };
  // A vocabulary token close to a query token.
  struct Variant {
    std::uint32_t token = 0;
    double similarity = 0.0;
  };

  // With `remembered_similarity` > 0, the variants of every vocabulary token at that similarity (what
  // variants() finds for it through the fuzzy doors) are found once here and remembered: a query token that is
  // listed as written then costs one look-up instead of one per deleted letter.
  void build(const std::vector<ListEntry>& entries, double remembered_similarity = 0.0);

  const std::vector<Name>& names() const { return names_; }
  const std::uint32_t* token_ids(const Name& n) const { return name_tokens_.data() + n.token_begin; }
  std::size_t token_count() const { return tokens_.size(); }
  const std::string& token(std::uint32_t id) const { return tokens_[id]; }
  const std::string& key(std::uint32_t id) const { return keys_[id]; }
  // The same text, from the token's record (one cache line with its letter counts) when it fits there: what
  // the query's hot path reads, so that comparing with a token costs one miss rather than three.
  std::string_view token_text(std::uint32_t id) const {
    const TokenRecord& r = records_[id];
    return r.text_len != TokenRecord::kLong ? std::string_view(r.text.data(), r.text_len) : std::string_view(tokens_[id]);
  }
  std::string_view key_text(std::uint32_t id) const {
    const TokenRecord& r = records_[id];
    return r.key_len != TokenRecord::kLong ? std::string_view(r.key.data(), r.key_len) : std::string_view(keys_[id]);
  }
  std::uint32_t df(std::uint32_t id) const { return static_cast<std::uint32_t>(postings_[id].size()); }
  // IDF scaled to 0..1: 1 for a token in one name, near 0 for one in every name.
  double weight(std::uint32_t id) const { return weights_[id]; }
  // The weight an unseen token gets: as rare as a token can be.
  double unseen_weight() const { return 1.0; }
  const std::vector<std::uint32_t>& postings(std::uint32_t id) const { return postings_[id]; }
  // letter_counts() of a vocabulary token, or null for one too long to count.
  const LetterCounts* letters(std::uint32_t id) const { return records_[id].counted ? &records_[id].letters : nullptr; }

  // Vocabulary tokens similar to `token` (itself when present, one edit away, and, when neither is close,
  // the same sound key) with their similarity, at least `min_similarity`. Short tokens only find themselves
  // and sound-alikes.
  // The result is the same, in the same order, whether it was remembered at build() or is searched now.
  void variants(std::string_view token, std::string_view key, double min_similarity, std::vector<Variant>& out) const {
    variants(token, key, min_similarity, find(token), out);
  }
  // The same for a token whose id (or kNotListed) `listed` is known: what prefetch_variants() returned for it.
  void variants(std::string_view token, std::string_view key, double min_similarity, std::uint32_t listed,
                std::vector<Variant>& out) const;
  // variants() always searched through the fuzzy doors, never remembered: the reference its tests compare with.
  void searched_variants(std::string_view token, std::string_view key, double min_similarity, std::vector<Variant>& out) const;
  // The vocabulary id of `token` as written, or kNotListed.
  static constexpr std::uint32_t kNotListed = 0xFFFFFFFFU;
  std::uint32_t find(std::string_view token) const;
  // A caller with several tokens asks for what their look-ups read in steps, so that each step's memory
  // misses overlap: prefetch_spelling() for every token, then prefetch_variants() for every token (which waits
  // for the first step and asks for the remembered variants, or else for the fuzzy doors' slots), then
  // variants() with the id prefetch_variants() returned (find(token)), so that the token is looked up once.
  // prefetch_postings() asks for a found token's weight and postings.
  void prefetch_spelling(std::string_view token) const;
  std::uint32_t prefetch_variants(std::string_view token, std::string_view key) const;
  void prefetch_postings(std::uint32_t id) const {
    __builtin_prefetch(&weights_[id]);
    __builtin_prefetch(&postings_[id]);
  }

 private:
  // Ids grouped by a 64-bit hash, in ascending id order within a group: an open-addressed table (a power of
  // two, at most half full) into one array of ids. One cache line per look-up, and far less memory than a
  // node per key (std::unordered_map): the index holds three of these.
  class HashGroups {
   public:
    struct Key {
      std::uint64_t hash;
      std::uint32_t id;
    };
    void build(std::vector<Key> keys);  // Keys in any order; an id given twice under one hash counts once.
    std::span<const std::uint32_t> find(std::uint64_t hash) const;
    // Asks for the slot find(hash) reads first, so that several look-ups wait for memory together.
    void prefetch(std::uint64_t hash) const;

   private:
    struct Slot {
      std::uint64_t hash = 0;
      std::uint32_t begin = 0;
      std::uint32_t count = 0;  // 0: an empty slot.
    };
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> ids_;
  };

  // A vocabulary token's letter counts, spelling and sound key in one cache line (spelling and key inline when
  // they fit, else kLong and read from tokens_ / keys_).
  struct alignas(64) TokenRecord {
    static constexpr std::uint8_t kLong = 0xFF;
    LetterCounts letters;
    std::array<char, 21> text{};
    std::array<char, 8> key{};
    std::uint8_t text_len = kLong;
    std::uint8_t key_len = kLong;
    bool counted = false;  // letters hold letter_counts(text): false for tokens over 127 characters.
  };
  static_assert(sizeof(TokenRecord) == 64);

  std::uint32_t intern(const std::string& token);
  void build_lookups();
  // Asks for what comparing a query token with vocabulary token `id` reads (its spelling, sound key and
  // letter counts), all scattered over the index.
  void prefetch_token(std::uint32_t id) const;

  std::vector<Name> names_;
  std::vector<std::uint32_t> name_tokens_;
  std::vector<std::string> tokens_;
  std::vector<std::string> keys_;
  std::vector<double> weights_;
  std::vector<TokenRecord> records_;
  std::vector<std::vector<std::uint32_t>> postings_;
  // Remembered variants: those of token id are remembered_[remembered_begin_[id] .. remembered_begin_[id + 1]),
  // found at remembered_similarity_ with the token's own sound key (none when the vector is empty).
  double remembered_similarity_ = 0.0;
  std::vector<std::uint32_t> remembered_begin_;
  std::vector<Variant> remembered_;
  std::unordered_map<std::string, std::uint32_t> interned_;  // Only while building.
  HashGroups by_spelling_;   // hash(token) -> the token (and any colliding one)
  HashGroups deletions_;     // hash(token or token minus 1 char) -> tokens of 4+ characters
  HashGroups by_key_;        // hash(sound key) -> tokens with that key (and any colliding one)
};

}  // namespace sm::screen
