#include "screen/name_index.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "model/hash.h"
#include "screen/name_normaliser.h"
#include "screen/token_similarity.h"

namespace sm::screen {
namespace {

constexpr std::size_t kMinFuzzyLength = 4;  // Shorter tokens have too many one-edit neighbours to be useful.
constexpr std::size_t kMinKeyLength = 2;
constexpr double kGenericWeight = 0.3;
constexpr std::size_t kMaxKeyFanout = 64;  // A sound key shared by more tokens than this is no clue.

// Hash of `token` with the character at `skip` left out (skip == npos: the whole token).
std::uint64_t deletion_hash(std::string_view token, std::size_t skip) {
  Fnv1a64 h;
  if (skip == std::string_view::npos) {
    h.update(token);
  } else {
    h.update(token.substr(0, skip));
    h.update(token.substr(skip + 1));
  }
  return h.digest();
}

}  // namespace

std::uint32_t NameIndex::intern(const std::string& token) {
  const auto [it, inserted] = interned_.emplace(token, static_cast<std::uint32_t>(tokens_.size()));
  if (inserted) {
    tokens_.push_back(token);
    keys_.push_back(phonetic_key(token));
    postings_.emplace_back();
  }
  return it->second;
}

void NameIndex::build(const std::vector<ListEntry>& entries, double remembered_similarity) {
  for (std::uint32_t e = 0; e < entries.size(); ++e) {
    const ListEntry& entry = entries[e];
    // People have no legal form; a person called "AO" or "SA" keeps that token.
    const bool strip = entry.type != EntryType::kPerson;
    std::vector<std::string> seen;
    // name_no is 16 bits: an entry's names beyond the 65,536th (none has more than a few hundred) are not indexed.
    const std::size_t names = std::min<std::size_t>(entry.names.size(), std::size_t{1} << 16U);
    for (std::size_t n = 0; n < names; ++n) {
      if (entry.names[n].kind == NameKind::kWeak) continue;  // A bare nickname identifies no one alone.
      NormalisedName norm = normalise_name(entry.names[n].text, strip);
      if (norm.tokens.empty()) continue;
      std::string text = norm.text();
      if (std::find(seen.begin(), seen.end(), text) != seen.end()) continue;  // Same name after normalising.
      seen.push_back(text);
      Name name;
      name.entry = e;
      name.name_no = static_cast<std::uint16_t>(n);
      name.type = entry.type;
      name.token_begin = static_cast<std::uint32_t>(name_tokens_.size());
      name.token_count = static_cast<std::uint16_t>(std::min<std::size_t>(norm.tokens.size(), 64));
      name.normalised = std::move(text);
      const auto name_id = static_cast<std::uint32_t>(names_.size());
      for (std::size_t t = 0; t < name.token_count; ++t) {
        const std::uint32_t id = intern(norm.tokens[t]);
        name_tokens_.push_back(id);
        auto& post = postings_[id];
        if (post.empty() || post.back() != name_id) post.push_back(name_id);
      }
      names_.push_back(std::move(name));
    }
  }
  const double n = static_cast<double>(std::max<std::size_t>(names_.size(), 2));
  weights_.resize(tokens_.size());
  for (std::uint32_t id = 0; id < tokens_.size(); ++id) {
    const double df = static_cast<double>(postings_[id].size());
    weights_[id] = std::clamp(std::log((n + 1.0) / (df + 0.5)) / std::log(n + 1.0), 0.05, 1.0);
    // Generic organisation words are weak whatever their count in these lists ("LOGISTICS" is rare on
    // sanctions lists and common in trade documents).
    if (is_generic_word(tokens_[id])) weights_[id] = std::min(weights_[id], kGenericWeight);
  }
  records_.resize(tokens_.size());
  for (std::uint32_t id = 0; id < tokens_.size(); ++id) {
    TokenRecord& r = records_[id];
    r.counted = letter_counts(tokens_[id], r.letters);
    if (tokens_[id].size() <= r.text.size()) {
      std::copy(tokens_[id].begin(), tokens_[id].end(), r.text.begin());
      r.text_len = static_cast<std::uint8_t>(tokens_[id].size());
    }
    if (keys_[id].size() <= r.key.size()) {
      std::copy(keys_[id].begin(), keys_[id].end(), r.key.begin());
      r.key_len = static_cast<std::uint8_t>(keys_[id].size());
    }
  }
  build_lookups();
  interned_ = {};
  if (remembered_similarity > 0.0) {
    // Searched with the index complete, as a query would search them: the same variants, in the same order.
    remembered_begin_.reserve(tokens_.size() + 1);
    std::vector<Variant> found;
    for (std::uint32_t id = 0; id < tokens_.size(); ++id) {
      remembered_begin_.push_back(static_cast<std::uint32_t>(remembered_.size()));
      searched_variants(tokens_[id], keys_[id], remembered_similarity, found);
      remembered_.insert(remembered_.end(), found.begin(), found.end());
    }
    remembered_begin_.push_back(static_cast<std::uint32_t>(remembered_.size()));
    remembered_similarity_ = remembered_similarity;
  }
}

namespace {

std::size_t slot_of(std::uint64_t hash, std::size_t mask) {
  return static_cast<std::size_t>((hash * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}

}  // namespace

void NameIndex::HashGroups::build(std::vector<Key> keys) {
  // Grouped by hash, ids ascending within a group, each id once per group.
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.hash != b.hash ? a.hash < b.hash : a.id < b.id; });
  keys.erase(std::unique(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.hash == b.hash && a.id == b.id; }),
             keys.end());
  std::size_t groups = 0;
  for (std::size_t i = 0; i < keys.size(); ++i) groups += (i == 0 || keys[i].hash != keys[i - 1].hash) ? 1 : 0;
  std::size_t size = 16;
  while (size < groups * 2) size *= 2;
  slots_.assign(size, Slot{});
  ids_.clear();
  ids_.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size();) {
    std::size_t j = i;
    while (j < keys.size() && keys[j].hash == keys[i].hash) ids_.push_back(keys[j++].id);
    std::size_t slot = slot_of(keys[i].hash, size - 1);
    while (slots_[slot].count != 0) slot = (slot + 1) & (size - 1);
    slots_[slot] = Slot{keys[i].hash, static_cast<std::uint32_t>(ids_.size() - (j - i)), static_cast<std::uint32_t>(j - i)};
    i = j;
  }
}

void NameIndex::HashGroups::prefetch(std::uint64_t hash) const {
  if (!slots_.empty()) __builtin_prefetch(&slots_[slot_of(hash, slots_.size() - 1)]);
}

std::span<const std::uint32_t> NameIndex::HashGroups::find(std::uint64_t hash) const {
  if (slots_.empty()) return {};
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t slot = slot_of(hash, mask);; slot = (slot + 1) & mask) {
    const Slot& s = slots_[slot];
    if (s.count == 0) return {};
    if (s.hash == hash) return {ids_.data() + s.begin, s.count};
  }
}

void NameIndex::build_lookups() {
  std::vector<HashGroups::Key> spelling;
  std::vector<HashGroups::Key> deletion;
  std::vector<HashGroups::Key> key;
  spelling.reserve(tokens_.size());
  for (std::uint32_t id = 0; id < tokens_.size(); ++id) {
    const std::string& t = tokens_[id];
    const std::uint64_t whole = deletion_hash(t, std::string_view::npos);
    spelling.push_back({whole, id});
    if (keys_[id].size() >= kMinKeyLength) key.push_back({deletion_hash(keys_[id], std::string_view::npos), id});
    if (t.size() < kMinFuzzyLength) continue;
    deletion.push_back({whole, id});
    for (std::size_t k = 0; k < t.size(); ++k) deletion.push_back({deletion_hash(t, k), id});
  }
  by_spelling_.build(std::move(spelling));
  deletions_.build(std::move(deletion));
  by_key_.build(std::move(key));
}

void NameIndex::prefetch_token(std::uint32_t id) const { __builtin_prefetch(&records_[id]); }

std::uint32_t NameIndex::find(std::string_view token) const {
  for (const std::uint32_t id : by_spelling_.find(deletion_hash(token, std::string_view::npos))) {
    if (token_text(id) == token) return id;
  }
  return kNotListed;
}

void NameIndex::prefetch_spelling(std::string_view token) const {
  by_spelling_.prefetch(deletion_hash(token, std::string_view::npos));
}

std::uint32_t NameIndex::prefetch_variants(std::string_view token, std::string_view key) const {
  const std::uint32_t id = find(token);  // Its slot was asked for by prefetch_spelling().
  if (id != kNotListed && !remembered_begin_.empty()) {
    __builtin_prefetch(&remembered_begin_[id]);
    return id;
  }
  if (token.size() >= kMinFuzzyLength) {
    for (std::size_t k = 0; k < token.size(); ++k) deletions_.prefetch(deletion_hash(token, k));
  }
  if (key.size() >= kMinKeyLength) by_key_.prefetch(deletion_hash(key, std::string_view::npos));
  return id;
}

void NameIndex::variants(std::string_view token, std::string_view key, double min_similarity, std::uint32_t listed,
                         std::vector<Variant>& out) const {
  // Remembered at build() for exactly these arguments: a listed token with its own sound key, at the
  // similarity they were searched at.
  if (listed != kNotListed && !remembered_begin_.empty() && min_similarity == remembered_similarity_ &&
      key == key_text(listed)) {
    out.assign(remembered_.begin() + remembered_begin_[listed], remembered_.begin() + remembered_begin_[listed + 1]);
    return;
  }
  searched_variants(token, key, min_similarity, out);
}

void NameIndex::searched_variants(std::string_view token, std::string_view key, double min_similarity,
                                  std::vector<Variant>& out) const {
  out.clear();
  LetterCounts token_letters;
  const bool counted = letter_counts(token, token_letters);
  auto consider = [&](std::uint32_t id) {
    for (const auto& v : out) {
      if (v.token == id) return;
    }
    const double s = token_similarity_at_least(token, token_text(id), key, key_text(id), min_similarity,
                                               counted ? &token_letters : nullptr, letters(id));
    if (s >= min_similarity) out.push_back(Variant{id, s});
  };
  // The look-ups below land on scattered memory (tables of hundreds of thousands of entries, then each
  // token's records): each step first asks for everything it will read, then reads it, so that the misses
  // overlap instead of following one another. The order of comparison is the same as without.
  constexpr std::size_t kMaxPrefetched = 64;  // Longer tokens (none in the lists so far) are looked up in turn.
  const std::uint64_t whole = deletion_hash(token, std::string_view::npos);
  const bool fuzzy = token.size() >= kMinFuzzyLength;
  // Token minus its k-th character for k < size, then the whole token: the order of comparison.
  std::array<std::uint64_t, kMaxPrefetched + 1> hashes;
  const std::size_t n_hashes = token.size() + 1;
  by_spelling_.prefetch(whole);
  if (fuzzy && n_hashes <= hashes.size()) {
    for (std::size_t k = 0; k < token.size(); ++k) hashes[k] = deletion_hash(token, k);
    hashes[token.size()] = whole;
    for (std::size_t k = 0; k < n_hashes; ++k) deletions_.prefetch(hashes[k]);
  }
  for (const std::uint32_t id : by_spelling_.find(whole)) {
    if (token_text(id) == token) out.push_back(Variant{id, 1.0});
  }
  if (fuzzy && n_hashes <= hashes.size()) {
    std::array<std::span<const std::uint32_t>, kMaxPrefetched + 1> groups;
    for (std::size_t k = 0; k < n_hashes; ++k) {
      groups[k] = deletions_.find(hashes[k]);
      for (const std::uint32_t id : groups[k]) prefetch_token(id);
    }
    for (std::size_t k = 0; k < n_hashes; ++k) {
      for (const std::uint32_t id : groups[k]) consider(id);
    }
  } else if (fuzzy) {
    for (std::size_t k = 0; k < n_hashes; ++k) {
      for (const std::uint32_t id : deletions_.find(k == token.size() ? whole : deletion_hash(token, k))) consider(id);
    }
  }
  // Sound-alikes are for tokens with no close spelling in the lists; a token found as written (or one typo
  // away) needs no romanisation variants, and skipping them keeps common tokens cheap.
  const bool close_found = std::any_of(out.begin(), out.end(), [](const Variant& v) { return v.similarity >= 0.9; });
  if (!close_found && token.size() >= 3 && key.size() >= kMinKeyLength) {
    const auto group = by_key_.find(deletion_hash(key, std::string_view::npos));
    for (const std::uint32_t id : group) prefetch_token(id);
    // Another key may share the hash: only the tokens of this key count, and only when there are few of them.
    const auto same_key = [&](std::uint32_t id) { return key_text(id) == key; };
    if (static_cast<std::size_t>(std::count_if(group.begin(), group.end(), same_key)) <= kMaxKeyFanout) {
      for (const std::uint32_t id : group) {
        if (!same_key(id)) continue;
        // Same sound key, very different length: a different word ("MT" is MOHAMMED and MATTHEW).
        const std::size_t len = token_text(id).size();
        if (len + 3 > token.size() && token.size() + 3 > len) consider(id);
      }
    }
  }
}

}  // namespace sm::screen
