#pragma once

#include <string>

#include "sanctions/v1/trade_event.pb.h"

namespace sm::generate {

// Appends `event` in the proto3 JSON mapping, byte for byte what google::protobuf::util::MessageToJsonString
// writes with default options (fields in number order, lowerCamelCase names, enums by name, defaults left
// out), about ten times faster. It only knows the fields of sanctions.v1 as of this writing and only the
// characters it has been checked against (printable ASCII; Latin-1 and Latin Extended-A/B, Cyrillic, CJK):
// for anything else it returns false, leaves `out` unspecified, and the caller uses MessageToJsonString.
// A unit test compares both writers over generated streams.
bool append_event_json(const sanctions::v1::TradeEvent& event, std::string& out);

}  // namespace sm::generate
