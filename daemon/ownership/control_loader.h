#pragma once

#include <memory>
#include <string>

#include "model/result.h"
#include "ownership/ownership_graph.h"
#include "screen/screener.h"

namespace sm::ownership {

// Builds the ControlIndex the engine judges with: the ownership file (if any) and, with `list_relations`, the
// loaded lists' own relations. An owner counts as listed when the entry a record declares for it
// (owner_list_id, owner_entry_id) is in the loaded lists, or else when its name screens at or above
// `critical_threshold`. A declared entry that is not loaded falls back to the name. Fails only when the file
// cannot be read or its header is wrong; skipped rows are in problems().
Result<std::shared_ptr<const ControlIndex>> load_control(const std::string& file, bool list_relations,
                                                         const screen::Screener& screener, double critical_threshold);

}  // namespace sm::ownership
