// OpenSanctions / FollowTheMoney entities as JSON lines (the flat "entities.ftm.json" export: one entity a line,
// {"id", "schema", "properties": {"name": [...], ...}, "datasets", "target"}). Parties (Person, Organization,
// Company, LegalEntity, PublicBody, Vessel, Airplane) with a sanction, debarment or export-control topic, or marked
// "target", become entries; relation entities (Ownership, UnknownLink, Associate, Directorship, Family,
// Representation) become relations on both sides; Sanction entities add their programs. Everything else is read
// and counted as skipped.
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "screen/identifier_parser.h"
#include "screen/list_loader.h"
#include "screen/load_support.h"

namespace sm::screen {
namespace {

using Props = std::unordered_map<std::string, std::vector<std::string>>;

struct Record {
  std::string id, schema;
  Props props;
  std::vector<std::string> datasets;
  bool target = false;
  std::size_t line = 0;
};

const std::vector<std::string>& get(const Props& props, const char* key) {
  static const std::vector<std::string> kNone;
  const auto it = props.find(key);
  return it == props.end() ? kNone : it->second;
}

std::string first(const Props& props, const char* key) {
  const auto& v = get(props, key);
  return v.empty() ? std::string() : v.front();
}

EntryType party_type(const std::string& schema, bool& is_party) {
  is_party = true;
  if (schema == "Person") return EntryType::kPerson;
  if (schema == "Organization" || schema == "Company" || schema == "PublicBody") return EntryType::kOrganisation;
  if (schema == "LegalEntity") return EntryType::kUnknown;
  if (schema == "Vessel") return EntryType::kVessel;
  if (schema == "Airplane") return EntryType::kAircraft;
  is_party = false;
  return EntryType::kUnknown;
}

bool listed_topic(const std::string& topic) {
  return topic.rfind("sanction", 0) == 0 || topic == "debarment" || topic == "export.control";
}

// Reads one JSON line into `r`; returns "" or why it is malformed.
std::string parse_line(simdjson::dom::parser& parser, std::string_view line, Record& r) {
  simdjson::dom::element doc;
  if (const auto err = parser.parse(line.data(), line.size(), true).get(doc); err != simdjson::SUCCESS) {
    return std::string("not JSON: ") + simdjson::error_message(err);
  }
  simdjson::dom::object obj;
  if (doc.get(obj) != simdjson::SUCCESS) return "not a JSON object";
  std::string_view s;
  if (obj["id"].get(s) != simdjson::SUCCESS || s.empty()) return "entity without an id";
  r.id = std::string(s);
  if (obj["schema"].get(s) != simdjson::SUCCESS || s.empty()) return "entity " + r.id + " without a schema";
  r.schema = std::string(s);
  bool target = false;
  if (obj["target"].get(target) == simdjson::SUCCESS) r.target = target;
  simdjson::dom::array datasets;
  if (obj["datasets"].get(datasets) == simdjson::SUCCESS) {
    for (const auto d : datasets) {
      if (d.get(s) == simdjson::SUCCESS) r.datasets.emplace_back(s);
    }
  }
  simdjson::dom::object props;
  const auto perr = obj["properties"].get(props);
  if (perr == simdjson::NO_SUCH_FIELD) return {};
  if (perr != simdjson::SUCCESS) return "entity " + r.id + ": properties is not an object";
  for (const auto field : props) {
    simdjson::dom::array values;
    if (field.value.get(values) != simdjson::SUCCESS) return "entity " + r.id + ": property " + std::string(field.key) + " is not a list";
    auto& out = r.props[std::string(field.key)];
    for (const auto v : values) {
      if (v.get(s) == simdjson::SUCCESS) out.emplace_back(load::squeeze(s));  // Nested entities are not read.
    }
  }
  return {};
}

std::string upper_country(const std::string& code) {
  if (code.size() != 2) return {};
  std::string out = code;
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

void read_party(const Record& r, ListEntry& e) {
  e.id = r.id;
  for (const auto& d : r.datasets) e.source += (e.source.empty() ? "" : "; ") + d;
  const auto& names = get(r.props, "name");
  for (std::size_t i = 0; i < names.size(); ++i) load::add_name(e, names[i], i == 0 ? NameKind::kPrimary : NameKind::kAka);
  if (e.names.empty()) {
    std::string joined;
    for (const char* part : {"firstName", "middleName", "lastName"}) {
      const std::string p = first(r.props, part);
      if (!p.empty()) joined += (joined.empty() ? "" : " ") + p;
    }
    load::add_name(e, joined, NameKind::kPrimary);
  }
  for (const auto& n : get(r.props, "alias")) load::add_name(e, n, NameKind::kAka);
  for (const auto& n : get(r.props, "previousName")) load::add_name(e, n, NameKind::kFka);
  for (const auto& n : get(r.props, "weakAlias")) load::add_name(e, n, NameKind::kWeak);
  for (const auto& p : get(r.props, "programId")) e.programs.push_back(p);
  std::string country = upper_country(first(r.props, "jurisdiction"));
  if (country.empty()) country = upper_country(first(r.props, "country"));
  struct IdProp {
    const char* key;
    IdentifierKind kind;
    const char* label;
    const char* country;  // Fixed issuing country, or nullptr for the entity's own.
  };
  static constexpr IdProp kIds[] = {
      {"innCode", IdentifierKind::kRegistration, "INN", "RU"},
      {"ogrnCode", IdentifierKind::kRegistration, "OGRN", "RU"},
      {"okpoCode", IdentifierKind::kRegistration, "OKPO", "RU"},
      {"registrationNumber", IdentifierKind::kRegistration, "Registration Number", nullptr},
      {"taxNumber", IdentifierKind::kRegistration, "Tax Number", nullptr},
      {"leiCode", IdentifierKind::kRegistration, "LEI", nullptr},
      {"uscCode", IdentifierKind::kRegistration, "Unified Social Credit Code", "CN"},
      {"idNumber", IdentifierKind::kRegistration, "ID Number", nullptr},
      {"passportNumber", IdentifierKind::kRegistration, "Passport", nullptr},
      {"mmsi", IdentifierKind::kRegistration, "MMSI", nullptr},
      {"swiftBic", IdentifierKind::kBic, "SWIFT/BIC", nullptr},
      {"imoNumber", IdentifierKind::kImo, "IMO", nullptr},
  };
  for (const auto& id : kIds) {
    for (const auto& value : get(r.props, id.key)) {
      const std::string canonical = id.kind == IdentifierKind::kBic   ? canonical_bic(value)
                                    : id.kind == IdentifierKind::kImo ? canonical_imo(value)
                                                                      : canonical_registration(value);
      load::add_identifier(e, id.kind, canonical, id.country != nullptr ? id.country : country, id.label);
    }
  }
  for (const auto& topic : get(r.props, "topics")) {
    if (topic == "sanction.secondary") e.secondary_sanctions_risk = true;
  }
  for (const auto& note : get(r.props, "notes")) {
    if (note.find("Secondary sanctions risk") != std::string::npos) e.secondary_sanctions_risk = true;
  }
}

// Relation schemas: which properties hold the two sides, and how each side words the relation.
struct RelationSchema {
  const char* schema;
  const char* from;  // e.g. the owner
  const char* to;    // e.g. the asset
  const char* from_says;
  const char* to_says;
};
constexpr RelationSchema kRelations[] = {
    {"Ownership", "owner", "asset", "Owns", "Owned or Controlled By"},
    {"Directorship", "director", "organization", "Director of", "Directed By"},
    {"UnknownLink", "subject", "object", "Linked To", "Linked To"},
    {"Associate", "person", "associate", "Associate of", "Associate of"},
    {"Family", "person", "relative", "Family of", "Family of"},
    {"Representation", "agent", "client", "Acting for or on behalf of", "Represented By"},
    {"Employment", "employee", "employer", "Employee of", "Employer of"},
};

}  // namespace

Result<LoadedList> load_ftm(const ListSource& source) {
  LoadedList list;
  list.summary.list_id = source.id;
  list.summary.path = source.path;
  if (!load::read_whole_file(source.path, list.content)) {
    return make_error("list_unreadable", "FtM list " + source.id + ": cannot read " + source.path);
  }
  const std::string file_name = std::filesystem::path(source.path).filename().string();
  simdjson::dom::parser parser;
  std::vector<ListEntry> parties;
  std::vector<bool> listed;
  std::unordered_map<std::string, std::size_t> by_id;
  std::vector<Record> links;  // Relation and Sanction records, applied once every party is known.
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < list.content.size();) {
    std::size_t end = list.content.find('\n', pos);
    if (end == std::string::npos) end = list.content.size();
    const std::string_view line(list.content.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++list.summary.records_read;
    Record r;
    r.line = line_no;
    if (std::string reason = parse_line(parser, line, r); !reason.empty()) {
      load::reject(list.summary, file_name, line_no, reason);
      continue;
    }
    bool is_party = false;
    const EntryType type = party_type(r.schema, is_party);
    if (!is_party) {
      if (r.schema == "Sanction") links.push_back(std::move(r));
      else {
        bool relation = false;
        for (const auto& rs : kRelations) relation = relation || r.schema == rs.schema;
        if (relation) links.push_back(std::move(r));
        else ++list.summary.skipped;
      }
      continue;
    }
    if (by_id.count(r.id) != 0U) {
      load::reject(list.summary, file_name, line_no, "duplicate entity id " + r.id);
      continue;
    }
    ListEntry e;
    e.type = type;
    read_party(r, e);
    if (e.names.empty()) {
      load::reject(list.summary, file_name, line_no, "entity " + r.id + " without a name");
      continue;
    }
    bool is_listed = r.target;
    for (const auto& topic : get(r.props, "topics")) is_listed = is_listed || listed_topic(topic);
    by_id.emplace(r.id, parties.size());
    parties.push_back(std::move(e));
    listed.push_back(is_listed);
  }
  auto party = [&](const std::string& id) -> ListEntry* {
    const auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &parties[it->second];
  };
  for (const Record& r : links) {
    if (r.schema == "Sanction") {
      for (const auto& id : get(r.props, "entity")) {
        ListEntry* e = party(id);
        if (e == nullptr) continue;
        listed[by_id[id]] = true;
        for (const char* key : {"program", "programId"}) {
          for (const auto& p : get(r.props, key)) {
            if (std::find(e->programs.begin(), e->programs.end(), p) == e->programs.end()) e->programs.push_back(p);
          }
        }
      }
      continue;
    }
    for (const auto& rs : kRelations) {
      if (r.schema != rs.schema) continue;
      const std::string share = first(r.props, "percentage");
      for (const auto& a : get(r.props, rs.from)) {
        for (const auto& b : get(r.props, rs.to)) {
          ListEntry* from = party(a);
          ListEntry* to = party(b);
          if (from == nullptr && to == nullptr) {
            load::reject(list.summary, file_name, r.line, r.schema + " " + r.id + " links two unknown entities");
            continue;
          }
          const std::string from_name = from != nullptr ? from->names.front().text : std::string();
          const std::string to_name = to != nullptr ? to->names.front().text : std::string();
          if (from != nullptr) load::add_relation(*from, EntryRelation{rs.from_says, b, to_name, share});
          if (to != nullptr) load::add_relation(*to, EntryRelation{rs.to_says, a, from_name, share});
        }
      }
    }
  }
  for (std::size_t i = 0; i < parties.size(); ++i) {
    if (listed[i]) list.entries.push_back(std::move(parties[i]));
    else ++list.summary.skipped;
  }
  load::finish_summary(list);
  if (list.entries.empty()) return make_error("list_empty", "FtM list " + source.id + ": no listed entities in " + source.path);
  return list;
}

}  // namespace sm::screen
