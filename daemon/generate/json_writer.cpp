#include "generate/json_writer.h"

#include <array>
#include <cstring>
#include <string_view>

namespace sm::generate {
namespace {

namespace pb = sanctions::v1;

// Code points that protobuf's JSON writer (3.21) passes through unescaped, checked range by range.
bool plain_code_point(std::uint32_t cp) {
  return (cp >= 0xA0 && cp <= 0x24F && cp != 0xAD) || (cp >= 0x400 && cp <= 0x4FF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x4E00 && cp <= 0x9FFF);
}

constexpr bool plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '<' && c != '>'; }

// plain_ascii as a table: the scan below is the writer's inner loop.
constexpr auto kPlainAscii = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = plain_ascii(static_cast<unsigned char>(c));
  return t;
}();

// Appends raw bytes with one size check (std::string::push_back per byte is not inlined and dominated).
void put(std::string& out, std::string_view a, std::string_view b = {}, std::string_view c = {}) {
  const std::size_t at = out.size();
  out.resize(at + a.size() + b.size() + c.size());
  char* p = out.data() + at;
  std::memcpy(p, a.data(), a.size());
  std::memcpy(p + a.size(), b.data(), b.size());
  std::memcpy(p + a.size() + b.size(), c.data(), c.size());
}

bool append_string(std::string& out, std::string_view s) {
  std::size_t plain = 0;
  while (plain < s.size() && kPlainAscii[static_cast<unsigned char>(s[plain])]) ++plain;
  if (plain == s.size()) {  // The common case: nothing to escape or check.
    put(out, "\"", s, "\"");
    return true;
  }
  out.push_back('"');
  std::size_t run = 0;  // Start of the pending run of characters copied as they are.
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (plain_ascii(c)) {
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.append(s.data() + run, i - run);
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c == '<') {
        out.append("\\u003c");
      } else if (c == '>') {
        out.append("\\u003e");
      } else {
        return false;  // Control characters and DEL.
      }
      run = ++i;
      continue;
    }
    // Two- and three-byte UTF-8 sequences only, well formed; they join the run.
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!plain_code_point(cp) || (len == 3 && cp < 0x800)) return false;
    i += len;
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
  return true;
}

// Writes `"name":value` pairs with the commas between them.
class Object {
 public:
  explicit Object(std::string& out) : out_(out) { out_.push_back('{'); }
  void close() { out_.push_back('}'); }

  // A string field, left out when empty (proto3 default).
  bool field(std::string_view name, const std::string& value) {
    if (value.empty()) return true;
    key(name);
    return append_string(out_, value);
  }
  void key(std::string_view name) {
    put(out_, first_ ? std::string_view("\"") : std::string_view(",\""), name, "\":");
    first_ = false;
  }
  // An enum field by name, left out when zero; false for values without a name (protobuf writes numbers).
  template <typename Enum, typename NameFn>
  bool enum_field(std::string_view name, Enum value, NameFn name_of) {
    if (static_cast<int>(value) == 0) return true;
    const std::string& text = name_of(value);
    if (text.empty()) return false;
    key(name);
    out_.push_back('"');
    out_.append(text);
    out_.push_back('"');
    return true;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

bool money(std::string& out, const pb::Money& m) {
  Object o(out);
  if (!o.field("currency", m.currency()) || !o.field("amount", m.amount())) return false;
  o.close();
  return true;
}

bool party(std::string& out, const pb::Party& p) {
  Object o(out);
  if (!o.field("name", p.name()) || !o.field("country", p.country()) ||
      !o.field("registrationId", p.registration_id()) || !o.field("address", p.address())) {
    return false;
  }
  if (!o.enum_field("role", p.role(), [](pb::Party::Role r) -> const std::string& { return pb::Party::Role_Name(r); })) {
    return false;
  }
  o.close();
  return true;
}

bool bank(std::string& out, const pb::Bank& b) {
  Object o(out);
  if (!o.enum_field("role", b.role(), [](pb::Bank::Role r) -> const std::string& { return pb::Bank::Role_Name(r); }) ||
      !o.field("name", b.name()) || !o.field("bic", b.bic()) || !o.field("country", b.country())) return false;
  o.close();
  return true;
}

bool line_item(std::string& out, const pb::LineItem& l) {
  Object o(out);
  if (!o.field("hsCode", l.hs_code()) || !o.field("description", l.description())) return false;
  if (l.has_value()) {
    o.key("value");
    if (!money(out, l.value())) return false;
  }
  if (!o.field("quantity", l.quantity()) || !o.field("unit", l.unit())) return false;
  o.close();
  return true;
}

template <typename Item, typename Fn>
bool array(Object& o, std::string& out, std::string_view name, const google::protobuf::RepeatedPtrField<Item>& items,
           Fn write) {
  if (items.empty()) return true;
  o.key(name);
  out.push_back('[');
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.push_back(',');
    first = false;
    if (!write(out, item)) return false;
  }
  out.push_back(']');
  return true;
}

}  // namespace

bool append_event_json(const pb::TradeEvent& e, std::string& out) {
  // Fields this writer does not know would be silently lost: leave such messages to protobuf.
  if (!e.GetReflection()->GetUnknownFields(e).empty()) return false;
  Object o(out);
  if (!o.field("eventId", e.event_id()) || !o.field("shipmentId", e.shipment_id()) ||
      !o.field("eventTime", e.event_time())) {
    return false;
  }
  if (e.has_exporter()) {
    o.key("exporter");
    if (!party(out, e.exporter())) return false;
  }
  if (e.has_importer()) {
    o.key("importer");
    if (!party(out, e.importer())) return false;
  }
  if (!array(o, out, "parties", e.parties(), party) || !array(o, out, "banks", e.banks(), bank)) return false;
  if (!o.field("originCountry", e.origin_country()) || !o.field("destinationCountry", e.destination_country())) {
    return false;
  }
  if (!array(o, out, "transitCountries", e.transit_countries(),
             [](std::string& s, const std::string& v) { return append_string(s, v); }) ||
      !array(o, out, "goods", e.goods(), line_item)) {
    return false;
  }
  if (e.has_invoice()) {
    o.key("invoice");
    if (!money(out, e.invoice())) return false;
  }
  if (e.has_settlement()) {
    o.key("settlement");
    Object s(out);
    if (!s.field("currency", e.settlement().currency())) return false;
    if (!s.enum_field("channel", e.settlement().channel(),
                      [](pb::Settlement::Channel c) -> const std::string& { return pb::Settlement::Channel_Name(c); })) {
      return false;
    }
    s.close();
  }
  if (e.has_vessel()) {
    o.key("vessel");
    Object v(out);
    if (!v.field("imo", e.vessel().imo()) || !v.field("name", e.vessel().name()) || !v.field("flag", e.vessel().flag())) {
      return false;
    }
    v.close();
  }
  o.close();
  return true;
}

}  // namespace sm::generate
