#include "engine/screening_cache.h"

#include <cstring>

#include "ownership/ownership_graph.h"

namespace sm::engine {

std::vector<screen::Match> ScreeningCache::screen(const screen::Screener& screener, const screen::Query& q,
                                                   double min_score) {
  key_.clear();
  key_ += screener.version();
  key_ += '\x1f';
  key_ += static_cast<char>('0' + static_cast<int>(q.kind));
  char threshold[sizeof(double)];
  std::memcpy(threshold, &min_score, sizeof threshold);
  key_.append(threshold, sizeof threshold);
  key_ += '\x1f';
  key_ += q.name;
  auto it = entries_.find(key_);
  if (it != entries_.end()) {
    ++hits_;
  } else {
    ++misses_;
    if (entries_.size() >= capacity_) entries_.clear();
    it = entries_.emplace(key_, screener.match_names(q, min_score, screen::kDefaultMatchLimit)).first;
  }
  return screen::merge_matches(screener.match_identifiers(q), it->second, screen::kDefaultMatchLimit);
}

const std::string& ScreeningCache::party_key(const std::string& name) {
  if (auto it = party_keys_.find(name); it != party_keys_.end()) return it->second;
  if (party_keys_.size() >= capacity_) party_keys_.clear();
  return party_keys_.emplace(name, ownership::party_key(name)).first->second;
}

}  // namespace sm::engine
