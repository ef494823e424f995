#include "engine/screening_cache.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "ownership/ownership_graph.h"

namespace sm::engine {

// Never more than `capacity` entries in all: fewer shards than kShards when the capacity is smaller.
ScreeningCache::ScreeningCache(std::size_t capacity)
    : shard_count_(std::clamp<std::size_t>(capacity, 1, kShards)),
      shard_capacity_(std::max<std::size_t>(1, capacity / shard_count_)) {}

ScreeningCache::Shard& ScreeningCache::shard_of(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % shard_count_];
}

std::size_t ScreeningCache::size() const {
  std::size_t n = 0;
  for (const Shard& s : shards_) {
    const std::lock_guard lock(s.mutex);
    n += s.entries.size();
  }
  return n;
}

std::vector<screen::Match> ScreeningCache::screen(const screen::Screener& screener, const screen::Query& q,
                                                   double min_score) {
  thread_local std::string key;  // Reused to build keys without allocating.
  key.clear();
  key += screener.version();
  key += '\x1f';
  key += static_cast<char>('0' + static_cast<int>(q.kind));
  char threshold[sizeof(double)];
  std::memcpy(threshold, &min_score, sizeof threshold);
  key.append(threshold, sizeof threshold);
  key += '\x1f';
  key += q.name;
  std::vector<screen::Match> identifiers = screener.match_identifiers(q);
  Shard& shard = shard_of(key);
  {
    const std::lock_guard lock(shard.mutex);
    if (const auto it = shard.entries.find(key); it != shard.entries.end()) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return screen::merge_matches(std::move(identifiers), it->second, screen::kDefaultMatchLimit);
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  std::vector<screen::Match> names = screener.match_names(q, min_score, screen::kDefaultMatchLimit);
  {
    const std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= shard_capacity_) shard.entries.clear();
    shard.entries.emplace(key, names);
  }
  return screen::merge_matches(std::move(identifiers), names, screen::kDefaultMatchLimit);
}

std::string ScreeningCache::party_key(const std::string& name) {
  Shard& shard = shard_of(name);
  {
    const std::lock_guard lock(shard.mutex);
    if (const auto it = shard.party_keys.find(name); it != shard.party_keys.end()) return it->second;
  }
  std::string key = ownership::party_key(name);
  const std::lock_guard lock(shard.mutex);
  if (shard.party_keys.size() >= shard_capacity_) shard.party_keys.clear();
  shard.party_keys.emplace(name, key);
  return key;
}

}  // namespace sm::engine
