#include "engine/screening_cache.h"

#include <cstring>

namespace sm::engine {

const std::vector<screen::Match>& ScreeningCache::screen(const screen::Screener& screener, const screen::Query& q,
                                                          double min_score) {
  key_.clear();
  key_ += screener.version();
  key_ += '\x1f';
  key_ += static_cast<char>('0' + static_cast<int>(q.kind));
  char threshold[sizeof(double)];
  std::memcpy(threshold, &min_score, sizeof threshold);
  key_.append(threshold, sizeof threshold);
  for (const std::string* field : {&q.name, &q.country, &q.registration_id, &q.bic, &q.imo}) {
    key_ += '\x1f';
    key_ += *field;
  }
  if (auto it = entries_.find(key_); it != entries_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  if (entries_.size() >= capacity_) entries_.clear();
  return entries_.emplace(key_, screener.screen(q, min_score)).first->second;
}

}  // namespace sm::engine
