#pragma once

#include <optional>
#include <string_view>

#include "decode/event_decoder.h"

namespace sm::decode {

// The fast JSON path: proto3 JSON (as protobuf's JsonStringToMessage reads it with ignore_unknown_fields) into
// a TradeEvent, with simdjson instead of protobuf's converter (about 50 us per event there).
//
// What it accepts, field by field of sanctions.v1:
// - names: the lowerCamelCase JSON name or the original snake_case name ("eventId" or "event_id");
// - enums: the value name ("CIPS") or its number (2, 2.0 or "2"); an unknown name leaves the default value, as
//   protobuf does when it ignores unknown fields; an unknown int32 number is kept (proto3 enums are open);
// - null for any field: the field keeps its default (a message field stays unset);
// - unknown keys: skipped, whatever their value (forward compatibility: v1 only ever adds fields).
// What it rejects (bad_json, with the path of the field in `field`): malformed JSON or UTF-8, a top level
// that is not an object, a value of the wrong JSON type, and an enum number outside int32.
// Deliberately stricter than protobuf 3.21's converter, which accepts these quirks although the proto3 JSON
// mapping does not: the same field given twice (also as "eventId" and "event_id": protobuf keeps the last, so
// the record is ambiguous), a single value where an array belongs, and null inside an array (protobuf skips it).
// `out` must be empty on entry. Thread-safe: each thread keeps its own simdjson parser and buffer.
std::optional<Rejection> parse_json_event(std::string_view json, sanctions::v1::TradeEvent& out);

}  // namespace sm::decode
