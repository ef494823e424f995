#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "screen/screener.h"

namespace sm::engine {

// Remembers screening results: counterparty, bank and vessel names repeat heavily in real trade, and a result
// depends only on the query, the threshold and the list version (part of the key, so a reload never serves a
// stale answer). Bounded: when full it starts afresh. Not thread-safe: one per processing thread.
class ScreeningCache {
 public:
  explicit ScreeningCache(std::size_t capacity = 200'000) : capacity_(capacity) {}

  // The matches of `query` scoring at least `min_score` against `screener`.
  const std::vector<screen::Match>& screen(const screen::Screener& screener, const screen::Query& query, double min_score);

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::size_t capacity_;
  std::unordered_map<std::string, std::vector<screen::Match>> entries_;
  std::string key_;  // Reused to build keys without allocating.
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace sm::engine
