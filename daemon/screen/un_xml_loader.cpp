// The UN Security Council Consolidated List (XML): CONSOLIDATED_LIST with INDIVIDUALS/INDIVIDUAL and
// ENTITIES/ENTITY. Names are FIRST_NAME .. FOURTH_NAME joined; aliases carry a QUALITY ("Good" and "a.k.a."
// are aliases, "f.k.a." former names, "Low" weak aliases); NAME_ORIGINAL_SCRIPT is the name in Arabic,
// Cyrillic or another script; documents (passports, national ids) become identifiers with their country.
#include <filesystem>
#include <unordered_set>

#include "screen/country_names.h"
#include "screen/identifier_parser.h"
#include "screen/list_loader.h"
#include "screen/load_support.h"
#include "screen/xml_tree.h"

namespace sm::screen {
namespace {

NameKind alias_kind(const std::string& quality) {
  if (quality == "Low") return NameKind::kWeak;
  if (quality == "f.k.a.") return NameKind::kFka;
  return NameKind::kAka;  // "Good", "a.k.a." and anything new.
}

// One INDIVIDUAL or ENTITY; returns "" or why the record is rejected.
std::string read_record(const xmlNode* node, bool individual, ListEntry& e) {
  e.id = xml::child_text(node, "DATAID");
  if (e.id.empty()) return "record without DATAID";
  e.type = individual ? EntryType::kPerson : EntryType::kOrganisation;
  std::string primary;
  for (const char* part : {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"}) {
    const std::string p = xml::child_text(node, part);
    if (p.empty()) continue;
    if (!primary.empty()) primary += ' ';
    primary += p;
  }
  if (primary.empty()) return "record " + e.id + " without a name";
  load::add_name(e, std::move(primary), NameKind::kPrimary);
  load::add_name(e, xml::child_text(node, "NAME_ORIGINAL_SCRIPT"), NameKind::kAka);
  for (const xmlNode* alias : xml::children(node, individual ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS")) {
    load::add_name(e, xml::child_text(alias, "ALIAS_NAME"), alias_kind(xml::child_text(alias, "QUALITY")));
  }
  if (const std::string list_type = xml::child_text(node, "UN_LIST_TYPE"); !list_type.empty()) {
    e.programs.push_back(list_type);
  }
  e.reference = xml::child_text(node, "REFERENCE_NUMBER");
  e.source = xml::text(xml::child(xml::child(node, "LIST_TYPE"), "VALUE"));
  for (const xmlNode* doc : xml::children(node, "INDIVIDUAL_DOCUMENT")) {
    const std::string number = canonical_registration(xml::child_text(doc, "NUMBER"));
    if (number.empty()) continue;
    std::string country = xml::child_text(doc, "ISSUING_COUNTRY");
    if (country.empty()) country = xml::child_text(doc, "COUNTRY_OF_ISSUE");
    std::string label = xml::child_text(doc, "TYPE_OF_DOCUMENT");
    if (const std::string more = xml::child_text(doc, "TYPE_OF_DOCUMENT2"); !more.empty()) label += " (" + more + ")";
    load::add_identifier(e, IdentifierKind::kRegistration, number, country_code_for_name(country), label);
  }
  // Entity comments sometimes give an IMO number or a SWIFT code in OFAC's wording.
  ParsedRemarks parsed;
  parse_ofac_remarks(xml::child_text(node, "COMMENTS1"), parsed);
  for (auto& id : parsed.identifiers) {
    if (id.kind != IdentifierKind::kRegistration) load::add_identifier(e, id.kind, id.value, id.country, id.label);
  }
  return {};
}

}  // namespace

Result<LoadedList> load_un_xml(const ListSource& source) {
  LoadedList list;
  list.summary.list_id = source.id;
  list.summary.path = source.path;
  if (!load::read_whole_file(source.path, list.content)) {
    return make_error("list_unreadable", "UN list " + source.id + ": cannot read " + source.path);
  }
  const std::string file_name = std::filesystem::path(source.path).filename().string();
  auto doc = xml::parse(list.content, file_name);
  if (!doc) return make_error("list_malformed", "UN list " + source.id + ": " + doc.error().message);
  const xmlNode* root = xmlDocGetRootElement(doc->get());
  if (!xml::is(root, "CONSOLIDATED_LIST")) {
    return make_error("list_malformed", "UN list " + source.id + ": " + file_name + ": root element is not CONSOLIDATED_LIST");
  }
  std::unordered_set<std::string> seen;
  for (const auto& [group, record, individual] : {std::tuple{"INDIVIDUALS", "INDIVIDUAL", true},
                                                 std::tuple{"ENTITIES", "ENTITY", false}}) {
    for (const xmlNode* node : xml::children(xml::child(root, group), nullptr)) {
      ++list.summary.records_read;
      if (!xml::is(node, record)) {
        load::reject(list.summary, file_name, xml::line(node), std::string("unexpected element in ") + group);
        continue;
      }
      ListEntry e;
      std::string reason = read_record(node, individual, e);
      if (reason.empty() && !seen.insert(e.id).second) reason = "duplicate DATAID " + e.id;
      if (!reason.empty()) {
        load::reject(list.summary, file_name, xml::line(node), reason);
        continue;
      }
      list.entries.push_back(std::move(e));
    }
  }
  load::finish_summary(list);
  if (list.entries.empty()) return make_error("list_empty", "UN list " + source.id + ": no valid entries in " + source.path);
  return list;
}

}  // namespace sm::screen
