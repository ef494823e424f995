#include "ownership/control_loader.h"

#include <unordered_map>

#include "screen/list_entry.h"

namespace sm::ownership {

Result<std::shared_ptr<const ControlIndex>> load_control(const std::string& file, bool list_relations,
                                                         const screen::Screener& screener, double critical_threshold) {
  OwnershipData data;
  if (!file.empty()) {
    auto loaded = load_ownership_file(file);
    if (!loaded) return loaded.error();
    data = std::move(*loaded);
  }
  // Entries by "<list>|<id>", for owners whose listing a record declares.
  std::unordered_map<std::string, std::string> entries;
  screener.for_each_entry([&](const std::string& list_id, const screen::ListEntry& e) {
    if (e.names.empty()) return;
    entries.emplace(list_id + "|" + e.id, e.names.front().text);
    if (list_relations) add_list_relations(data, list_id, e);
  });
  auto index = ControlIndex::build(data, [&](const std::string& name, const std::string& list_id,
                                             const std::string& entry_id) -> std::optional<ListedRef> {
    if (!list_id.empty()) {
      const auto it = entries.find(list_id + "|" + entry_id);
      if (it != entries.end()) return ListedRef{list_id, entry_id, it->second};
    }
    screen::Query q;
    q.kind = screen::SubjectKind::kParty;
    q.name = name;
    const auto matches = screener.screen(q, critical_threshold, 1);
    if (matches.empty()) return std::nullopt;
    return ListedRef{matches.front().list_id, matches.front().entry_id, matches.front().entry_name};
  });
  auto out = std::make_shared<ControlIndex>(std::move(index));
  out->add_problems(std::move(data.problems));
  return std::shared_ptr<const ControlIndex>(std::move(out));
}

}  // namespace sm::ownership
