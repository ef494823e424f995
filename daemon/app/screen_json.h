#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "screen/screener.h"

namespace sm::app {

// The one JSON shape of a screening answer, shared by `screen` (JSON lines) and the HTTP /v1/screen route:
// {"query", "listVersion", "matches": [{"listId", "entryId", ..., "critical"}]}; "critical" compares each
// match's score with the rules' CRITICAL threshold.
nlohmann::json screening_json(const engine::EngineContext& ctx, std::string_view query,
                              const std::vector<screen::Match>& matches);

// The loaded lists and their load summaries ("version", "lists": [...]), for `lists check` and /v1/lists.
nlohmann::json lists_json(const engine::EngineContext& ctx);

// Serialises for output: invalid UTF-8 in list data is replaced rather than throwing. indent < 0: one line.
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace sm::app
