#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "screen/screener.h"

namespace sm::engine {

// Remembers the costly half of screening, name matching: counterparty, bank and vessel names repeat heavily in
// real trade, and name matches depend only on the name, the subject kind, the threshold and the list version
// (part of the key, so a reload never serves a stale answer). Identifiers (registration numbers, BICs, IMOs)
// differ from shipment to shipment more than names do and cost a hash look-up: they are matched afresh on every
// query. Also the ownership key of party names (ownership::party_key, a normalisation that no list changes).
// Bounded: when full it starts afresh. Not thread-safe: one per processing thread.
class ScreeningCache {
 public:
  explicit ScreeningCache(std::size_t capacity = 200'000) : capacity_(capacity) {}

  // screener.screen(query, min_score), with the name matches remembered.
  std::vector<screen::Match> screen(const screen::Screener& screener, const screen::Query& query, double min_score);

  // ownership::party_key(name), remembered.
  const std::string& party_key(const std::string& name);

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::size_t capacity_;
  std::unordered_map<std::string, std::vector<screen::Match>> entries_;
  std::unordered_map<std::string, std::string> party_keys_;
  std::string key_;  // Reused to build keys without allocating.
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace sm::engine
