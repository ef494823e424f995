#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/iso_codes.h"
#include "sanctions/v1/trade_event.pb.h"

namespace sm::decode {

enum class Format { kAuto, kJson, kProtobuf };

// Why a record was refused. `code` is stable and goes into metrics and dead-letter headers:
//   bad_json, bad_protobuf, bad_framing, missing_field, bad_event_time, unknown_country, unknown_currency,
//   bad_amount, negative_amount, bad_hs_code, too_large
// `field` is the proto3 JSON path of the offending field ("goods[1].value.amount"), empty when not one field.
struct Rejection {
  std::string code;
  std::string field;
  std::string message;  // One sentence for people: "goods[1].value.amount: \"-5\" is negative".
};

// Parses bytes into `out` (cleared first). kAuto: JSON when the first non-blank byte is '{', else protobuf.
// Tolerates the Confluent schema-registry framing (0x00, 4-byte schema id, message-index varints) in front of
// protobuf. Returns the rejection on failure; `out` is then unspecified.
// Details: records over 1 MiB are too_large; an empty record is bad_protobuf (bad_json for kJson). A leading 0x00
// always means framing (no protobuf message starts with it). Message indexes are zigzag varints as Confluent
// writes them ([0] is the byte 0x00; TradeEvent's own place in trade_event.proto, [6], is 0x02 0x0C); they are
// checked for form, not meaning, since the registered schema is not fetched. The JSON Schema serializer's
// framing (header, then JSON, no indexes) is read with kJson, or with kAuto when '{' follows the header.
// JSON goes through a simdjson fast path that fills the same message as protobuf's JsonStringToMessage with
// ignore_unknown_fields; decode/json_event_parser.h lists what it accepts and where it is stricter.
std::optional<Rejection> parse_event(std::string_view bytes, Format format, sanctions::v1::TradeEvent& out);

// Checks what the engine relies on: required ids and names, RFC 3339 event time, ISO 3166 countries, ISO 4217
// currencies (CNH accepted as renminbi), non-negative decimal amounts with at most 6 fractional digits,
// HS codes of 4 to 10 digits. Returns the first problem found, in field order.
std::optional<Rejection> validate_event(const sanctions::v1::TradeEvent& event, const IsoCodes& iso);

// parse_event then validate_event.
std::optional<Rejection> decode_event(std::string_view bytes, Format format, const IsoCodes& iso,
                                      sanctions::v1::TradeEvent& out);

}  // namespace sm::decode
