#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/record_processor.h"

namespace sm::pipeline {

// Appends the changelog of every store in `stores` (a map from partition number to a store with
// `changelog(std::vector<std::pair<std::string, std::string>>&) const`) as kChangelog records to that partition.
template <typename Stores>
void append_changelog(const Stores& stores, std::vector<OutputRecord>& out) {
  std::vector<std::pair<std::string, std::string>> changes;
  for (const auto& [partition, store] : stores) {
    changes.clear();
    store.changelog(changes);
    for (auto& [key, value] : changes) {
      OutputRecord& rec = out.emplace_back();
      rec.kind = OutputKind::kChangelog;
      rec.key = std::move(key);
      rec.value = std::move(value);
      rec.partition = partition;
    }
  }
}

}  // namespace sm::pipeline
