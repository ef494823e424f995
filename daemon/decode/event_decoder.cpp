#include "decode/event_decoder.h"

#include <algorithm>
#include <cstdint>

#include "decode/json_event_parser.h"
#include "model/decimal.h"
#include "model/event_time.h"

namespace sm::decode {
namespace {

using sanctions::v1::Money;
using sanctions::v1::Settlement;
using sanctions::v1::TradeEvent;

constexpr std::size_t kMaxRecordBytes = std::size_t{1} << 20;  // 1 MiB: far above any real event.
constexpr std::size_t kMaxMessageIndexes = 64;                  // Nesting depth of a message in its schema.

Rejection reject(std::string code, std::string field, std::string message) {
  return Rejection{std::move(code), std::move(field), std::move(message)};
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool starts_json(std::string_view bytes) {
  for (const char c : bytes) {
    if (!is_blank(c)) return c == '{';
  }
  return false;
}

// One zigzag varint as Confluent writes message indexes (Kafka's ByteUtils.writeVarint): at most 5 bytes.
bool read_zigzag(std::string_view& bytes, std::int64_t& out) {
  std::uint64_t raw = 0;
  for (int i = 0; i < 5; ++i) {
    if (bytes.empty()) return false;
    const auto b = static_cast<unsigned char>(bytes.front());
    bytes.remove_prefix(1);
    raw |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      out = static_cast<std::int64_t>(raw >> 1) ^ -static_cast<std::int64_t>(raw & 1);
      return true;
    }
  }
  return false;
}

// Strips the Confluent schema-registry framing: 0x00, a 4-byte big-endian schema id, then for protobuf the
// message-index list (count, then that many indexes; a count of 0 is the common [0]). The indexes are checked
// for form only: which message they name depends on the registered schema, which the daemon does not fetch;
// the topic's contract is that the payload is a TradeEvent.
// The JSON Schema serializer writes the header without an index list: taken when the format says JSON, or in
// kAuto when '{' follows the header ('{' = 0x7B cannot start an index list: it would be a count of -62).
std::optional<Rejection> strip_framing(std::string_view& bytes, Format format, bool& json) {
  if (bytes.size() < 5) return reject("bad_framing", "", "schema-registry framing: record shorter than its 5-byte header");
  bytes.remove_prefix(5);
  if (format == Format::kJson || (format == Format::kAuto && !bytes.empty() && bytes.front() == '{')) {
    json = true;
    return std::nullopt;
  }
  json = false;
  std::int64_t count = 0;
  if (!read_zigzag(bytes, count)) return reject("bad_framing", "", "schema-registry framing: truncated message-index count");
  if (count < 0 || static_cast<std::uint64_t>(count) > kMaxMessageIndexes) {
    return reject("bad_framing", "", "schema-registry framing: message-index count " + std::to_string(count) + " is not 0 to 64");
  }
  for (std::int64_t i = 0; i < count; ++i) {
    std::int64_t index = 0;
    if (!read_zigzag(bytes, index)) return reject("bad_framing", "", "schema-registry framing: truncated message index");
    if (index < 0) return reject("bad_framing", "", "schema-registry framing: negative message index " + std::to_string(index));
  }
  return std::nullopt;
}

// A value for a message: printable and short, so that dead-letter headers stay readable.
std::string quoted(std::string_view v) {
  static constexpr std::size_t kMax = 64;
  std::string out = "\"";
  for (std::size_t i = 0; i < v.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (v.size() > kMax) out += "...";
  return out + "\"";
}

// A field's proto3 JSON path in up to four pieces ("goods", 1, ".value", ".amount"), rendered only on failure so
// that validating a good event allocates nothing.
struct Where {
  std::string_view name;
  int index = -1;
  std::string_view sub = {};
  std::string_view leaf = {};

  Where operator/(std::string_view field) const { return sub.empty() ? Where{name, index, field} : Where{name, index, sub, field}; }
  std::string str() const {
    std::string out(name);
    if (index >= 0) out += "[" + std::to_string(index) + "]";
    out += sub;
    out += leaf;
    return out;
  }
};

// Validation in field-number order; the first problem wins.
class Validator {
 public:
  explicit Validator(const IsoCodes& iso) : iso_(iso) {}

  std::optional<Rejection> run(const TradeEvent& e) {
    if (!required(e.event_id(), {"eventId"})) return error_;
    if (!required(e.shipment_id(), {"shipmentId"})) return error_;
    if (!required(e.event_time(), {"eventTime"})) return error_;
    if (!parse_rfc3339(e.event_time())) {
      return reject("bad_event_time", "eventTime", "eventTime: " + quoted(e.event_time()) + " is not an RFC 3339 date-time");
    }
    if (!party(e.exporter(), {"exporter"}, true)) return error_;
    if (!party(e.importer(), {"importer"}, true)) return error_;
    for (int i = 0; i < e.parties_size(); ++i) {
      if (!party(e.parties(i), {"parties", i}, false)) return error_;
    }
    for (int i = 0; i < e.banks_size(); ++i) {
      if (!optional_country(e.banks(i).country(), Where{"banks", i} / ".country")) return error_;
    }
    if (!required(e.origin_country(), {"originCountry"}) || !country(e.origin_country(), {"originCountry"})) return error_;
    if (!required(e.destination_country(), {"destinationCountry"}) ||
        !country(e.destination_country(), {"destinationCountry"})) {
      return error_;
    }
    for (int i = 0; i < e.transit_countries_size(); ++i) {
      if (!country(e.transit_countries(i), {"transitCountries", i})) return error_;
    }
    if (e.goods_size() == 0) return reject("missing_field", "goods", "goods: at least one line item is required");
    for (int i = 0; i < e.goods_size(); ++i) {
      const auto& line = e.goods(i);
      const Where hs{"goods", i, ".hsCode"};
      if (!required(line.hs_code(), hs) || !hs_code(line.hs_code(), hs)) return error_;
      const Where value{"goods", i, ".value"};
      if (!line.has_value()) return reject("missing_field", value.str(), value.str() + ": is required");
      if (!money(line.value(), value)) return error_;
    }
    if (e.has_invoice() && !money(e.invoice(), {"invoice"})) return error_;
    const Settlement& s = e.settlement();
    if (s.currency().empty()) {
      if (s.channel() != Settlement::NETTING && s.channel() != Settlement::BARTER) {
        return reject("missing_field", "settlement.currency",
                      "settlement.currency: is required unless the channel is NETTING or BARTER");
      }
    } else if (!currency(s.currency(), Where{"settlement"} / ".currency")) {
      return error_;
    }
    if (e.has_vessel() && !optional_country(e.vessel().flag(), Where{"vessel"} / ".flag")) return error_;
    return std::nullopt;
  }

 private:
  bool fail(std::string code, const Where& where, std::string what) {
    std::string path = where.str();
    std::string message = path + ": " + std::move(what);
    error_ = reject(std::move(code), std::move(path), std::move(message));
    return false;
  }

  bool required(const std::string& value, const Where& where) {
    return !value.empty() || fail("missing_field", where, "is required");
  }

  bool country(const std::string& value, const Where& where) {
    return iso_.is_country(value) || fail("unknown_country", where, quoted(value) + " is not an ISO 3166-1 alpha-2 country code");
  }

  bool optional_country(const std::string& value, const Where& where) { return value.empty() || country(value, where); }

  bool party(const sanctions::v1::Party& p, const Where& where, bool name_required) {
    if (name_required && !required(p.name(), where / ".name")) return false;
    return optional_country(p.country(), where / ".country");
  }

  bool hs_code(const std::string& value, const Where& where) {
    const bool digits = std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    return (digits && value.size() >= 4 && value.size() <= 10) ||
           fail("bad_hs_code", where, quoted(value) + " is not an HS code of 4 to 10 digits");
  }

  bool currency(const std::string& value, const Where& where) {
    return iso_.is_currency(IsoCodes::normalise_currency(value)) ||
           fail("unknown_currency", where, quoted(value) + " is not an ISO 4217 currency code");
  }

  bool money(const Money& m, const Where& where) {
    const Where currency_at = where / ".currency";
    const Where amount_at = where / ".amount";
    if (!required(m.currency(), currency_at) || !currency(m.currency(), currency_at)) return false;
    if (!required(m.amount(), amount_at)) return false;
    const auto amount = Decimal::parse(m.amount());
    if (!amount) {
      return fail("bad_amount", amount_at,
                  quoted(m.amount()) + " is not a decimal amount (digits, optional '.', at most 6 fractional digits)");
    }
    if (amount->is_negative()) return fail("negative_amount", amount_at, quoted(m.amount()) + " is negative");
    return true;
  }

  const IsoCodes& iso_;
  std::optional<Rejection> error_;
};

}  // namespace

std::optional<Rejection> parse_event(std::string_view bytes, Format format, TradeEvent& out) {
  out.Clear();
  if (bytes.size() > kMaxRecordBytes) {
    return reject("too_large", "", "record of " + std::to_string(bytes.size()) + " bytes is over the 1 MiB limit");
  }
  bool json = format == Format::kJson || (format == Format::kAuto && starts_json(bytes));
  if (!bytes.empty() && bytes.front() == '\0') {
    // A protobuf message cannot start with 0x00 (field number 0 does not exist), so this is framing.
    if (auto error = strip_framing(bytes, format, json)) return error;
  }
  if (json) {
    if (bytes.empty()) return reject("bad_json", "", "empty record");
    return parse_json_event(bytes, out);
  }
  if (bytes.empty()) return reject("bad_protobuf", "", "empty record");
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX) ||
      !out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return reject("bad_protobuf", "", "not a valid sanctions.v1.TradeEvent in protobuf binary form");
  }
  return std::nullopt;
}

std::optional<Rejection> validate_event(const TradeEvent& event, const IsoCodes& iso) { return Validator(iso).run(event); }

std::optional<Rejection> decode_event(std::string_view bytes, Format format, const IsoCodes& iso, TradeEvent& out) {
  if (auto rejection = parse_event(bytes, format, out)) return rejection;
  return validate_event(out, iso);
}

}  // namespace sm::decode
