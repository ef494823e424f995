#include "app/screen_json.h"

namespace sm::app {

nlohmann::json screening_json(const engine::EngineContext& ctx, std::string_view query,
                              const std::vector<screen::Match>& matches) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : matches) {
    out.push_back({{"listId", m.list_id},
                   {"entryId", m.entry_id},
                   {"entryName", m.entry_name},
                   {"source", m.source},
                   {"programs", m.programs},
                   {"score", m.score},
                   {"matchedOn", m.matched_on},
                   {"queryNormalised", m.query_normalised},
                   {"entryNormalised", m.entry_normalised},
                   {"secondarySanctionsRisk", m.secondary_sanctions_risk},
                   {"critical", m.score >= ctx.rules.critical_threshold}});
  }
  return {{"query", query}, {"listVersion", ctx.screener->version()}, {"matches", std::move(out)}};
}

nlohmann::json lists_json(const engine::EngineContext& ctx) {
  nlohmann::json lists = nlohmann::json::array();
  for (const auto& s : ctx.screener->summaries()) {
    lists.push_back({{"listId", s.list_id}, {"path", s.path}, {"entries", s.entries}, {"names", s.names},
                     {"identifiers", s.identifiers}, {"recordsRead", s.records_read}, {"skipped", s.skipped},
                     {"rejectedRows", s.rejected_rows}, {"problems", s.problems}});
  }
  return {{"version", ctx.screener->version()},
          {"rulesVersion", ctx.rules.version()},
          {"sampleLists", ctx.using_sample_lists},
          {"lists", std::move(lists)}};
}

std::string dump_json(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sm::app
