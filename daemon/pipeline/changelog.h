#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

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

// Once `partition`'s restore is over: adds the changelog records restore() rejected for it (`unrestored`, by
// partition; its entry is removed) to `rejected`, and says loudly that `state` (e.g. "merge state of partial
// partition") lost them.
inline void report_unrestored(std::map<std::int32_t, std::uint64_t>& unrestored, std::int32_t partition,
                              std::string_view state, std::atomic<std::uint64_t>& rejected) {
  const auto it = unrestored.find(partition);
  if (it == unrestored.end()) return;
  rejected += it->second;
  spdlog::error("{} {}: {} changelog records could not be restored (damaged, or of a version before panes: "
                "docs/AGGREGATES.md); that state is lost", state, partition, it->second);
  unrestored.erase(it);
}

}  // namespace sm::pipeline
