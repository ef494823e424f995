#include "decode/json_event_parser.h"

#include <simdjson.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sm::decode {
namespace {

using sanctions::v1::Bank;
using sanctions::v1::LineItem;
using sanctions::v1::Money;
using sanctions::v1::Party;
using sanctions::v1::Settlement;
using sanctions::v1::TradeEvent;
using sanctions::v1::Vessel;
namespace dom = simdjson::dom;

// Where a value sits, as a chain on the stack: built for free while descending and rendered only on error.
struct Path {
  const Path* parent = nullptr;
  std::string_view name;
  int index = -1;  // >= 0: the element `name[index]`.
};

std::string render(const Path* p) {
  std::vector<const Path*> chain;
  for (; p != nullptr; p = p->parent) chain.push_back(p);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!out.empty()) out += '.';
    out += (*it)->name;
    if ((*it)->index >= 0) out += "[" + std::to_string((*it)->index) + "]";
  }
  return out;
}

const char* type_name(dom::element_type t) {
  switch (t) {
    case dom::element_type::ARRAY: return "an array";
    case dom::element_type::OBJECT: return "an object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "a number";
    case dom::element_type::STRING: return "a string";
    case dom::element_type::BOOL: return "a boolean";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// A message's fields by both proto3 JSON names; the index is the field's position in the reader's switch.
struct FieldName {
  std::string_view json;
  std::string_view proto;
};

template <std::size_t N>
int find_field(std::string_view key, const std::array<FieldName, N>& fields) {
  for (std::size_t i = 0; i < N; ++i) {
    if (key == fields[i].json || key == fields[i].proto) return static_cast<int>(i);
  }
  return -1;
}

// Enum value names from the generated descriptor, so that values added to the schema are picked up.
class EnumNames {
 public:
  explicit EnumNames(const google::protobuf::EnumDescriptor* d) {
    for (int i = 0; i < d->value_count(); ++i) values_.emplace_back(d->value(i)->name(), d->value(i)->number());
  }
  std::optional<int> find(std::string_view name) const {
    for (const auto& [n, v] : values_) {
      if (n == name) return v;
    }
    return std::nullopt;
  }

 private:
  std::vector<std::pair<std::string, int>> values_;
};

constexpr std::array<FieldName, 2> kMoneyFields{{{"currency", "currency"}, {"amount", "amount"}}};
constexpr std::array<FieldName, 5> kPartyFields{
    {{"name", "name"}, {"country", "country"}, {"registrationId", "registration_id"}, {"address", "address"}, {"role", "role"}}};
constexpr std::array<FieldName, 4> kBankFields{{{"role", "role"}, {"name", "name"}, {"bic", "bic"}, {"country", "country"}}};
constexpr std::array<FieldName, 5> kLineItemFields{
    {{"hsCode", "hs_code"}, {"description", "description"}, {"value", "value"}, {"quantity", "quantity"}, {"unit", "unit"}}};
constexpr std::array<FieldName, 2> kSettlementFields{{{"currency", "currency"}, {"channel", "channel"}}};
constexpr std::array<FieldName, 3> kVesselFields{{{"imo", "imo"}, {"name", "name"}, {"flag", "flag"}}};
constexpr std::array<FieldName, 14> kEventFields{{{"eventId", "event_id"},
                                                  {"shipmentId", "shipment_id"},
                                                  {"eventTime", "event_time"},
                                                  {"exporter", "exporter"},
                                                  {"importer", "importer"},
                                                  {"parties", "parties"},
                                                  {"banks", "banks"},
                                                  {"originCountry", "origin_country"},
                                                  {"destinationCountry", "destination_country"},
                                                  {"transitCountries", "transit_countries"},
                                                  {"goods", "goods"},
                                                  {"invoice", "invoice"},
                                                  {"settlement", "settlement"},
                                                  {"vessel", "vessel"}}};

// Fills messages from a simdjson DOM; the first problem is kept in error_ and every reader returns false.
class Filler {
 public:
  std::optional<Rejection> error_;

  bool event(dom::element v, TradeEvent& e) {
    dom::object obj;
    if (v.get_object().get(obj) != simdjson::SUCCESS) return fail(nullptr, std::string("expected a JSON object, found ") + type_name(v.type()));
    std::uint32_t seen = 0;
    for (const dom::key_value_pair kv : obj) {
      const int id = find_field(kv.key, kEventFields);
      if (id < 0) continue;
      const Path p{nullptr, kEventFields[static_cast<std::size_t>(id)].json};
      if (!once(seen, id, p)) return false;
      bool ok = true;
      switch (id) {
        case 0: ok = str(kv.value, p, e.mutable_event_id()); break;
        case 1: ok = str(kv.value, p, e.mutable_shipment_id()); break;
        case 2: ok = str(kv.value, p, e.mutable_event_time()); break;
        case 3: ok = is_null(kv.value) || party(kv.value, p, *e.mutable_exporter()); break;
        case 4: ok = is_null(kv.value) || party(kv.value, p, *e.mutable_importer()); break;
        case 5: ok = each(kv.value, p, [&](dom::element x, const Path& xp) { return party(x, xp, *e.add_parties()); }); break;
        case 6: ok = each(kv.value, p, [&](dom::element x, const Path& xp) { return bank(x, xp, *e.add_banks()); }); break;
        case 7: ok = str(kv.value, p, e.mutable_origin_country()); break;
        case 8: ok = str(kv.value, p, e.mutable_destination_country()); break;
        case 9: ok = each(kv.value, p, [&](dom::element x, const Path& xp) { return str(x, xp, e.add_transit_countries()); }); break;
        case 10: ok = each(kv.value, p, [&](dom::element x, const Path& xp) { return line(x, xp, *e.add_goods()); }); break;
        case 11: ok = is_null(kv.value) || money(kv.value, p, *e.mutable_invoice()); break;
        case 12: ok = is_null(kv.value) || settlement(kv.value, p, *e.mutable_settlement()); break;
        case 13: ok = is_null(kv.value) || vessel(kv.value, p, *e.mutable_vessel()); break;
        default: break;
      }
      if (!ok) return false;
    }
    return true;
  }

  bool fail(const Path* p, std::string what) {
    std::string field = render(p);
    error_ = Rejection{"bad_json", field, (field.empty() ? std::string() : field + ": ") + std::move(what)};
    return false;
  }

 private:
  static bool is_null(dom::element v) { return v.is_null(); }

  bool once(std::uint32_t& seen, int id, const Path& p) {
    const std::uint32_t bit = 1u << id;
    if (seen & bit) return fail(&p, "given twice (check for both the camelCase and the snake_case name)");
    seen |= bit;
    return true;
  }

  bool object(dom::element v, const Path& p, dom::object& obj) {
    if (v.get_object().get(obj) == simdjson::SUCCESS) return true;
    return fail(&p, std::string("expected an object, found ") + type_name(v.type()));
  }

  bool str(dom::element v, const Path& p, std::string* dst) {
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) {
      dst->assign(s.data(), s.size());
      return true;
    }
    if (v.is_null()) return true;
    return fail(&p, std::string("expected a string, found ") + type_name(v.type()));
  }

  // Enum by name or number; true with `set` false when the field keeps its default.
  bool enumeration(dom::element v, const Path& p, const EnumNames& names, int& out, bool& set) {
    set = false;
    switch (v.type()) {
      case dom::element_type::NULL_VALUE: return true;
      case dom::element_type::STRING: {
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS) return fail(&p, "unreadable string");
        if (const auto n = names.find(s)) {
          out = *n;
          set = true;
          return true;
        }
        // A number in a string ("2"), as protobuf's parser also reads it.
        std::int64_t number = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
          if (number < std::numeric_limits<std::int32_t>::min() || number > std::numeric_limits<std::int32_t>::max()) {
            return fail(&p, "enum number is out of range");
          }
          out = static_cast<int>(number);
          set = true;
        }
        return true;  // An unknown name is ignored, as protobuf does with ignore_unknown_fields.
      }
      case dom::element_type::INT64:
      case dom::element_type::UINT64:
      case dom::element_type::DOUBLE: {
        double d = 0;
        std::int64_t i = 0;
        if (v.get_int64().get(i) == simdjson::SUCCESS) {
          d = static_cast<double>(i);
        } else if (v.get_double().get(d) != simdjson::SUCCESS || std::trunc(d) != d) {
          return fail(&p, "enum number is not an integer");
        }
        if (d < std::numeric_limits<std::int32_t>::min() || d > std::numeric_limits<std::int32_t>::max()) {
          return fail(&p, "enum number is out of range");
        }
        out = static_cast<int>(d);
        set = true;
        return true;
      }
      default: return fail(&p, std::string("expected an enum name or number, found ") + type_name(v.type()));
    }
  }

  template <typename Fn>
  bool each(dom::element v, const Path& p, Fn&& fn) {
    if (v.is_null()) return true;
    dom::array arr;
    if (v.get_array().get(arr) != simdjson::SUCCESS) return fail(&p, std::string("expected an array, found ") + type_name(v.type()));
    int i = 0;
    for (const dom::element x : arr) {
      const Path xp{p.parent, p.name, i++};
      if (x.is_null()) return fail(&xp, "null is not allowed in an array");
      if (!fn(x, xp)) return false;
    }
    return true;
  }

  bool money(dom::element v, const Path& p, Money& m) {
    dom::object obj;
    if (!object(v, p, obj)) return false;
    std::uint32_t seen = 0;
    for (const dom::key_value_pair kv : obj) {
      const int id = find_field(kv.key, kMoneyFields);
      if (id < 0) continue;
      const Path fp{&p, kMoneyFields[static_cast<std::size_t>(id)].json};
      if (!once(seen, id, fp)) return false;
      if (!str(kv.value, fp, id == 0 ? m.mutable_currency() : m.mutable_amount())) return false;
    }
    return true;
  }

  bool party(dom::element v, const Path& p, Party& party) {
    static const EnumNames kRoles(Party::Role_descriptor());
    dom::object obj;
    if (!object(v, p, obj)) return false;
    std::uint32_t seen = 0;
    for (const dom::key_value_pair kv : obj) {
      const int id = find_field(kv.key, kPartyFields);
      if (id < 0) continue;
      const Path fp{&p, kPartyFields[static_cast<std::size_t>(id)].json};
      if (!once(seen, id, fp)) return false;
      bool ok = true;
      switch (id) {
        case 0: ok = str(kv.value, fp, party.mutable_name()); break;
        case 1: ok = str(kv.value, fp, party.mutable_country()); break;
        case 2: ok = str(kv.value, fp, party.mutable_registration_id()); break;
        case 3: ok = str(kv.value, fp, party.mutable_address()); break;
        case 4: {
          int n = 0;
          bool set = false;
          ok = enumeration(kv.value, fp, kRoles, n, set);
          if (set) party.set_role(static_cast<Party::Role>(n));
          break;
        }
        default: break;
      }
      if (!ok) return false;
    }
    return true;
  }

  bool bank(dom::element v, const Path& p, Bank& bank) {
    static const EnumNames kRoles(Bank::Role_descriptor());
    dom::object obj;
    if (!object(v, p, obj)) return false;
    std::uint32_t seen = 0;
    for (const dom::key_value_pair kv : obj) {
      const int id = find_field(kv.key, kBankFields);
      if (id < 0) continue;
      const Path fp{&p, kBankFields[static_cast<std::size_t>(id)].json};
      if (!once(seen, id, fp)) return false;
      bool ok = true;
      switch (id) {
        case 0: {
          int n = 0;
          bool set = false;
          ok = enumeration(kv.value, fp, kRoles, n, set);
          if (set) bank.set_role(static_cast<Bank::Role>(n));
          break;
        }
        case 1: ok = str(kv.value, fp, bank.mutable_name()); break;
        case 2: ok = str(kv.value, fp, bank.mutable_bic()); break;
        case 3: ok = str(kv.value, fp, bank.mutable_country()); break;
        default: break;
      }
      if (!ok) return false;
    }
    return true;
  }

  bool line(dom::element v, const Path& p, LineItem& item) {
    dom::object obj;
    if (!object(v, p, obj)) return false;
    std::uint32_t seen = 0;
    for (const dom::key_value_pair kv : obj) {
      const int id = find_field(kv.key, kLineItemFields);
      if (id < 0) continue;
      const Path fp{&p, kLineItemFields[static_cast<std::size_t>(id)].json};
      if (!once(seen, id, fp)) return false;
      bool ok = true;
      switch (id) {
        case 0: ok = str(kv.value, fp, item.mutable_hs_code()); break;
        case 1: ok = str(kv.value, fp, item.mutable_description()); break;
        case 2: ok = is_null(kv.value) || money(kv.value, fp, *item.mutable_value()); break;
        case 3: ok = str(kv.value, fp, item.mutable_quantity()); break;
        case 4: ok = str(kv.value, fp, item.mutable_unit()); break;
        default: break;
      }
      if (!ok) return false;
    }
    return true;
  }

  bool settlement(dom::element v, const Path& p, Settlement& s) {
    static const EnumNames kChannels(Settlement::Channel_descriptor());
    dom::object obj;
    if (!object(v, p, obj)) return false;
    std::uint32_t seen = 0;
    for (const dom::key_value_pair kv : obj) {
      const int id = find_field(kv.key, kSettlementFields);
      if (id < 0) continue;
      const Path fp{&p, kSettlementFields[static_cast<std::size_t>(id)].json};
      if (!once(seen, id, fp)) return false;
      if (id == 0) {
        if (!str(kv.value, fp, s.mutable_currency())) return false;
      } else {
        int n = 0;
        bool set = false;
        if (!enumeration(kv.value, fp, kChannels, n, set)) return false;
        if (set) s.set_channel(static_cast<Settlement::Channel>(n));
      }
    }
    return true;
  }

  bool vessel(dom::element v, const Path& p, Vessel& vessel) {
    dom::object obj;
    if (!object(v, p, obj)) return false;
    std::uint32_t seen = 0;
    for (const dom::key_value_pair kv : obj) {
      const int id = find_field(kv.key, kVesselFields);
      if (id < 0) continue;
      const Path fp{&p, kVesselFields[static_cast<std::size_t>(id)].json};
      if (!once(seen, id, fp)) return false;
      std::string* dst = id == 0 ? vessel.mutable_imo() : id == 1 ? vessel.mutable_name() : vessel.mutable_flag();
      if (!str(kv.value, fp, dst)) return false;
    }
    return true;
  }
};

}  // namespace

std::optional<Rejection> parse_json_event(std::string_view json, TradeEvent& out) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; Kafka's buffers promise nothing, so the record is
  // copied into a per-thread buffer that keeps its capacity (one memcpy, no allocation once warm).
  thread_local dom::parser parser;
  thread_local std::string buffer;
  buffer.assign(json.data(), json.size());
  buffer.resize(json.size() + simdjson::SIMDJSON_PADDING, '\0');
  dom::element root;
  if (const auto error = parser.parse(buffer.data(), json.size(), false).get(root); error != simdjson::SUCCESS) {
    return Rejection{"bad_json", "", std::string("not valid JSON: ") + simdjson::error_message(error)};
  }
  Filler filler;
  if (!filler.event(root, out)) return filler.error_;
  return std::nullopt;
}

}  // namespace sm::decode
