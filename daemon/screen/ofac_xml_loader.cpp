// OFAC's enhanced XML (sanctionsData/entities/entity): names with their alias type, low-quality flag and
// translations in other scripts; features (SWIFT/BIC, vessel IMO and MMSI, "Secondary sanctions risk:");
// identity documents (tax and registration numbers with their issuing country); relationships to other
// entities ("Owned or Controlled By", "Acting for or on behalf of").
#include <filesystem>
#include <unordered_set>

#include "screen/country_names.h"
#include "screen/identifier_parser.h"
#include "screen/list_loader.h"
#include "screen/load_support.h"
#include "screen/xml_tree.h"

namespace sm::screen {
namespace {

EntryType entry_type(const std::string& type) {
  if (type == "Individual") return EntryType::kPerson;
  if (type == "Entity") return EntryType::kOrganisation;
  if (type == "Vessel") return EntryType::kVessel;
  if (type == "Aircraft") return EntryType::kAircraft;
  return EntryType::kUnknown;
}

NameKind name_kind(const xmlNode* name) {
  if (xml::child_text(name, "isPrimary") == "true") return NameKind::kPrimary;
  if (xml::child_text(name, "isLowQuality") == "true") return NameKind::kWeak;
  const std::string alias = xml::child_text(name, "aliasType");
  if (alias == "F.K.A.") return NameKind::kFka;
  if (alias == "N.K.A.") return NameKind::kNka;
  return NameKind::kAka;
}

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

void read_feature(const xmlNode* feature, ListEntry& e) {
  const std::string type = xml::child_text(feature, "type");
  const std::string value = xml::child_text(feature, "value");
  if (type.rfind("Secondary sanctions risk", 0) == 0) {
    e.secondary_sanctions_risk = true;
  } else if (type == "SWIFT/BIC") {
    load::add_identifier(e, IdentifierKind::kBic, canonical_bic(value), "", type);
  } else if (contains(type, "IMO") || type == "Vessel Registration Identification") {
    load::add_identifier(e, IdentifierKind::kImo, canonical_imo(value), "", type);
  } else if (contains(type, "MMSI")) {
    load::add_identifier(e, IdentifierKind::kRegistration, canonical_registration(value), "", "MMSI");
  } else if (type.rfind("BIK", 0) == 0) {
    load::add_identifier(e, IdentifierKind::kRegistration, canonical_registration(value), "RU", type);
  }
}

// One entity; returns "" or why it is rejected.
std::string read_entity(const xmlNode* node, ListEntry& e) {
  e.id = xml::attribute(node, "id");
  if (e.id.empty()) return "entity without an id";
  e.type = entry_type(xml::child_text(xml::child(node, "generalInfo"), "entityType"));
  for (const xmlNode* list : xml::children(xml::child(node, "sanctionsLists"), "sanctionsList")) {
    const std::string name = xml::text(list);
    if (name.empty() || name == "Consolidated List" || name == "SDN List") continue;  // The publication, not a sub-list.
    e.source += (e.source.empty() ? "" : "; ") + name;
  }
  for (const xmlNode* program : xml::children(xml::child(node, "sanctionsPrograms"), "sanctionsProgram")) {
    if (std::string p = xml::text(program); !p.empty()) e.programs.push_back(std::move(p));
  }
  // The primary name goes first whatever its place in the file.
  const auto names = xml::children(xml::child(node, "names"), "name");
  for (const bool primary_pass : {true, false}) {
    for (const xmlNode* name : names) {
      const NameKind kind = name_kind(name);
      if ((kind == NameKind::kPrimary) != primary_pass) continue;
      const auto translations = xml::children(xml::child(name, "translations"), "translation");
      for (const bool primary_translation : {true, false}) {
        for (const xmlNode* t : translations) {
          if ((xml::child_text(t, "isPrimary") == "true") != primary_translation) continue;
          // A translation of the primary name into another script is an alias, not a second primary.
          const NameKind k = kind == NameKind::kPrimary && !(primary_translation && e.names.empty()) ? NameKind::kAka : kind;
          load::add_name(e, xml::child_text(t, "formattedFullName"), k);
        }
      }
    }
  }
  if (e.names.empty() || e.names.front().kind != NameKind::kPrimary) return "entity " + e.id + " without a primary name";
  for (const xmlNode* feature : xml::children(xml::child(node, "features"), "feature")) read_feature(feature, e);
  for (const xmlNode* doc : xml::children(xml::child(node, "identityDocuments"), "identityDocument")) {
    const std::string label = xml::child_text(doc, "type");
    const std::string number = xml::child_text(doc, "documentNumber");
    const std::string country = country_code_for_name(xml::child_text(doc, "issuingCountry"));
    if (label == "SWIFT/BIC") load::add_identifier(e, IdentifierKind::kBic, canonical_bic(number), country, label);
    else load::add_identifier(e, IdentifierKind::kRegistration, canonical_registration(number), country, label);
  }
  for (const xmlNode* rel : xml::children(xml::child(node, "relationships"), "relationship")) {
    const xmlNode* other = xml::child(rel, "relatedEntity");
    load::add_relation(e, EntryRelation{xml::child_text(rel, "type"), xml::attribute(other, "entityId"), xml::text(other), ""});
  }
  return {};
}

}  // namespace

Result<LoadedList> load_ofac_xml(const ListSource& source) {
  LoadedList list;
  list.summary.list_id = source.id;
  list.summary.path = source.path;
  if (!load::read_whole_file(source.path, list.content)) {
    return make_error("list_unreadable", "OFAC XML list " + source.id + ": cannot read " + source.path);
  }
  const std::string file_name = std::filesystem::path(source.path).filename().string();
  auto doc = xml::parse(list.content, file_name);
  if (!doc) return make_error("list_malformed", "OFAC XML list " + source.id + ": " + doc.error().message);
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  const xmlNode* entities = xml::child(root, "entities");
  if (!xml::is(root, "sanctionsData") || entities == nullptr) {
    return make_error("list_malformed", "OFAC XML list " + source.id + ": " + file_name + ": expected sanctionsData/entities");
  }
  std::unordered_set<std::string> seen;
  for (const xmlNode* node : xml::children(entities)) {
    ++list.summary.records_read;
    ListEntry e;
    std::string reason = xml::is(node, "entity") ? read_entity(node, e) : "unexpected element in entities";
    if (reason.empty() && !seen.insert(e.id).second) reason = "duplicate entity id " + e.id;
    if (!reason.empty()) {
      load::reject(list.summary, file_name, xml::line(node), reason);
      continue;
    }
    list.entries.push_back(std::move(e));
  }
  load::finish_summary(list);
  if (list.entries.empty()) return make_error("list_empty", "OFAC XML list " + source.id + ": no valid entries in " + source.path);
  return list;
}

}  // namespace sm::screen
