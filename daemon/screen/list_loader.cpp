#include "screen/list_loader.h"

#include <cstdio>
#include <filesystem>
#include <unordered_map>

#include "model/csv_reader.h"
#include "screen/identifier_parser.h"
#include "screen/load_support.h"

namespace sm::screen {
namespace {

// OFAC writes "-0-" (often followed by a space) for an empty field.
std::string clean(const std::string& field) {
  std::size_t b = 0;
  std::size_t e = field.size();
  while (b < e && (field[b] == ' ' || field[b] == '\t')) ++b;
  while (e > b && (field[e - 1] == ' ' || field[e - 1] == '\t')) --e;
  std::string out = field.substr(b, e - b);
  return out == "-0-" ? std::string() : out;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<std::string> split_programs(const std::string& text, const char* separators) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    const std::string c = clean(cur);
    if (!c.empty()) out.push_back(c);
    cur.clear();
  };
  for (const char c : text) {
    if (std::string_view(separators).find(c) != std::string_view::npos) flush();
    else cur.push_back(c);
  }
  flush();
  return out;
}

void add_name(ListEntry& entry, std::string text, NameKind kind) {
  if (text.empty()) return;
  for (const auto& n : entry.names) {
    if (n.text == text) return;
  }
  entry.names.push_back(EntryName{std::move(text), kind});
}

void apply(ListEntry& entry, const ParsedRemarks& parsed) {
  entry.secondary_sanctions_risk = entry.secondary_sanctions_risk || parsed.secondary_sanctions_risk;
  for (const auto& id : parsed.identifiers) {
    bool dup = false;
    for (const auto& have : entry.identifiers) dup = dup || (have.kind == id.kind && have.value == id.value);
    if (!dup) entry.identifiers.push_back(id);
  }
  for (const auto& name : parsed.linked_to) {
    bool dup = false;
    for (const auto& have : entry.relations) dup = dup || have.name == name;
    if (!dup) entry.relations.push_back(EntryRelation{"Linked To", "", name, ""});
  }
}

// Iterates the records of one CSV file, reporting malformed ones; `fn` returns "" or a reason to reject.
template <typename Fn>
void for_each_record(const std::string& text, const std::string& file_name, ListLoadSummary& summary, Fn fn) {
  CsvReader reader(text);
  std::vector<std::string> fields;
  std::string problem;
  while (true) {
    const auto status = reader.next(fields, problem);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kMalformed) {
      load::reject(summary, file_name, reader.line(), problem);
      continue;
    }
    const std::string reason = fn(fields);
    if (!reason.empty()) {
      load::reject(summary, file_name, reader.line(), reason);
    }
  }
}

}  // namespace

Result<LoadedList> load_ofac_csv(const ListSource& source) {
  namespace fs = std::filesystem;
  const fs::path dir(source.path);
  struct Layout {
    const char* prim;
    const char* alt;
    const char* add;
    const char* comments;
  };
  static constexpr Layout kSdn{"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"};
  static constexpr Layout kCons{"cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"};
  std::error_code ec;
  const Layout* layout = fs::exists(dir / kSdn.prim, ec) ? &kSdn : fs::exists(dir / kCons.prim, ec) ? &kCons : nullptr;
  if (layout == nullptr) {
    return make_error("list_missing", "OFAC list " + source.id + ": neither sdn.csv nor cons_prim.csv in " + source.path);
  }

  LoadedList list;
  list.summary.list_id = source.id;
  list.summary.path = source.path;
  std::string prim;
  if (!load::read_whole_file((dir / layout->prim).string(), prim)) {
    return make_error("list_unreadable", "OFAC list " + source.id + ": cannot read " + (dir / layout->prim).string());
  }
  std::unordered_map<std::string, std::size_t> by_id;
  std::unordered_map<std::string, std::string> remarks;  // ent_num -> remarks, completed from the comments file.

  for_each_record(prim, layout->prim, list.summary, [&](const std::vector<std::string>& f) -> std::string {
    if (f.size() != 12) return "expected 12 fields, found " + std::to_string(f.size());
    const std::string id = clean(f[0]);
    if (!all_digits(id)) return "entry number is not a number";
    std::string name = clean(f[1]);
    if (name.empty()) return "entry without a name";
    if (by_id.count(id) != 0U) return "duplicate entry number " + id;
    ListEntry e;
    e.id = id;
    const std::string type = clean(f[2]);
    e.type = type == "individual" ? EntryType::kPerson
             : type == "vessel"   ? EntryType::kVessel
             : type == "aircraft" ? EntryType::kAircraft
                                  : EntryType::kOrganisation;
    e.programs = split_programs(clean(f[3]), "[]");
    add_name(e, std::move(name), NameKind::kPrimary);
    remarks[id] = clean(f[11]);
    by_id.emplace(id, list.entries.size());
    list.entries.push_back(std::move(e));
    return {};
  });
  list.content += prim;

  std::string text;
  if (load::read_whole_file((dir / layout->comments).string(), text)) {
    for_each_record(text, layout->comments, list.summary, [&](const std::vector<std::string>& f) -> std::string {
      if (f.size() < 2) return "expected 2 fields";
      const std::string id = clean(f[0]);
      const auto it = remarks.find(id);
      if (it == remarks.end()) return "comment for unknown entry " + id;
      it->second += f[1];  // A continuation of truncated remarks, cut mid-word: join without a separator.
      return {};
    });
    list.content += text;
  }
  for (auto& [id, text_remarks] : remarks) {
    ParsedRemarks parsed;
    parse_ofac_remarks(text_remarks, parsed);
    apply(list.entries[by_id[id]], parsed);
  }

  if (load::read_whole_file((dir / layout->alt).string(), text)) {
    for_each_record(text, layout->alt, list.summary, [&](const std::vector<std::string>& f) -> std::string {
      if (f.size() != 5) return "expected 5 fields, found " + std::to_string(f.size());
      const auto it = by_id.find(clean(f[0]));
      if (it == by_id.end()) return "alias for unknown entry " + clean(f[0]);
      const std::string kind = clean(f[2]);
      const NameKind k = kind == "fka" ? NameKind::kFka : kind == "nka" ? NameKind::kNka : NameKind::kAka;
      std::string name = clean(f[3]);
      if (name.empty()) return "alias without a name";
      add_name(list.entries[it->second], std::move(name), k);
      return {};
    });
    list.content += text;
  }
  if (load::read_whole_file((dir / layout->add).string(), text)) {
    // Addresses are not matched on; the file is checked for structure and hashed into the version.
    for_each_record(text, layout->add, list.summary, [&](const std::vector<std::string>& f) -> std::string {
      if (f.size() != 6) return "expected 6 fields, found " + std::to_string(f.size());
      if (by_id.count(clean(f[0])) == 0U) return "address for unknown entry " + clean(f[0]);
      return {};
    });
    list.content += text;
  }
  load::resolve_relations(list);
  load::finish_summary(list);
  if (list.entries.empty()) return make_error("list_empty", "OFAC list " + source.id + ": no valid entries in " + source.path);
  return list;
}

Result<LoadedList> load_csl_csv(const ListSource& source) {
  LoadedList list;
  list.summary.list_id = source.id;
  list.summary.path = source.path;
  if (!load::read_whole_file(source.path, list.content)) {
    return make_error("list_unreadable", "CSL list " + source.id + ": cannot read " + source.path);
  }
  const std::string file_name = std::filesystem::path(source.path).filename().string();
  CsvReader reader(list.content);
  std::vector<std::string> header;
  std::string problem;
  if (reader.next(header, problem) != CsvReader::Status::kRecord) {
    return make_error("list_malformed", "CSL list " + source.id + ": no header row in " + source.path);
  }
  std::unordered_map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[clean(header[i])] = i;
  for (const char* required : {"_id", "source", "type", "programs", "name", "alt_names", "ids", "remarks"}) {
    if (col.count(required) == 0U) {
      return make_error("list_malformed", "CSL list " + source.id + ": column '" + required + "' missing in " + source.path);
    }
  }
  const std::size_t c_id = col["_id"], c_source = col["source"], c_type = col["type"], c_programs = col["programs"],
                    c_name = col["name"], c_alt = col["alt_names"], c_ids = col["ids"], c_remarks = col["remarks"];
  std::unordered_map<std::string, bool> seen;
  std::vector<std::string> f;
  while (true) {
    const auto status = reader.next(f, problem);
    if (status == CsvReader::Status::kEnd) break;
    std::string reason;
    if (status == CsvReader::Status::kMalformed) {
      reason = problem;
    } else if (f.size() != header.size()) {
      reason = "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(f.size());
    } else if (clean(f[c_name]).empty()) {
      reason = "entry without a name";
    } else if (clean(f[c_id]).empty()) {
      reason = "entry without an id";
    } else if (seen.count(clean(f[c_id])) != 0U) {
      reason = "duplicate id " + clean(f[c_id]);
    }
    if (!reason.empty()) {
      load::reject(list.summary, file_name, reader.line(), reason);
      continue;
    }
    ListEntry e;
    e.id = clean(f[c_id]);
    seen.emplace(e.id, true);
    e.source = clean(f[c_source]);
    const std::string type = clean(f[c_type]);
    e.type = type == "Individual" ? EntryType::kPerson
             : type == "Entity"   ? EntryType::kOrganisation
             : type == "Vessel"   ? EntryType::kVessel
             : type == "Aircraft" ? EntryType::kAircraft
                                  : EntryType::kUnknown;  // BIS and State lists do not say.
    e.programs = split_programs(f[c_programs], ";");
    add_name(e, clean(f[c_name]), NameKind::kPrimary);
    for (auto& alias : split_programs(f[c_alt], ";")) add_name(e, std::move(alias), NameKind::kAka);
    ParsedRemarks parsed;
    for (const auto& item : split_programs(f[c_ids], ";")) parse_csl_id(item, parsed);
    parse_ofac_remarks(f[c_remarks], parsed);
    apply(e, parsed);
    list.entries.push_back(std::move(e));
  }
  load::resolve_relations(list);
  load::finish_summary(list);
  if (list.entries.empty()) return make_error("list_empty", "CSL list " + source.id + ": no valid entries in " + source.path);
  return list;
}

Result<LoadedList> load_list(const ListSource& source) {
  if (source.format == "ofac-csv") return load_ofac_csv(source);
  if (source.format == "csl-csv") return load_csl_csv(source);
  if (source.format == "un-xml") return load_un_xml(source);
  if (source.format == "ofac-xml") return load_ofac_xml(source);
  if (source.format == "ftm") return load_ftm(source);
  return make_error("list_format", "list " + source.id + ": unknown format '" + source.format +
                                       "' (ofac-csv, csl-csv, un-xml, ofac-xml, ftm)");
}

}  // namespace sm::screen
