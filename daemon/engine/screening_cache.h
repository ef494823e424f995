#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
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
// Bounded: a shard that fills starts afresh. Thread-safe: the processing threads of one processor share it (a
// name screened by one is a hit for the others), in shards with a lock each; a miss is screened outside the
// lock, so two threads missing the same name at once both screen it, and both get the same answer.
class ScreeningCache {
 public:
  explicit ScreeningCache(std::size_t capacity = 200'000);

  // screener.screen(query, min_score), with the name matches remembered.
  std::vector<screen::Match> screen(const screen::Screener& screener, const screen::Query& query, double min_score);

  // ownership::party_key(name), remembered.
  std::string party_key(const std::string& name);

  std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  std::uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  std::size_t size() const;

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, std::vector<screen::Match>> entries;
    std::unordered_map<std::string, std::string> party_keys;
  };
  Shard& shard_of(const std::string& key);

  std::size_t shard_count_;
  std::size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace sm::engine
