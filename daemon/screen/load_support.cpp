#include "screen/load_support.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <fstream>
#include <sstream>
#include <unordered_map>

namespace sm::screen::load {
namespace {
constexpr std::size_t kMaxProblemsKept = 40;
}  // namespace

bool read_whole_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = std::move(s).str();
  return true;
}

void reject(ListLoadSummary& summary, const std::string& file, std::size_t line, const std::string& reason) {
  ++summary.rejected_rows;
  if (summary.problems.size() < kMaxProblemsKept) {
    summary.problems.push_back(file + ":" + std::to_string(line) + ": " + reason);
  }
}

std::string squeeze(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string script_of(std::string_view utf8) {
  std::int32_t i = 0;
  const auto length = static_cast<std::int32_t>(utf8.size());
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(utf8.data(), i, length, c);
    if (c < 0) return {};
    if (!u_isalpha(c)) continue;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) continue;
    if (script == USCRIPT_LATIN) return {};
    const char* name = uscript_getName(script);
    return name == nullptr ? std::string() : std::string(name);
  }
  return {};
}

void add_name(ListEntry& entry, std::string text, NameKind kind) {
  if (text.empty()) return;
  for (const auto& n : entry.names) {
    if (n.text == text) return;
  }
  std::string script = script_of(text);
  entry.names.push_back(EntryName{std::move(text), kind, std::move(script)});
}

void add_identifier(ListEntry& entry, IdentifierKind kind, std::string value, std::string country, std::string label) {
  if (value.empty()) return;
  for (const auto& have : entry.identifiers) {
    if (have.kind == kind && have.value == value) return;
  }
  entry.identifiers.push_back(Identifier{kind, std::move(value), std::move(country), std::move(label)});
}

void add_relation(ListEntry& entry, EntryRelation relation) {
  if (relation.name.empty() && relation.entry_id.empty()) return;
  for (const auto& have : entry.relations) {
    if (have.type == relation.type && have.entry_id == relation.entry_id && have.name == relation.name) return;
  }
  entry.relations.push_back(std::move(relation));
}

void resolve_relations(LoadedList& list) {
  std::unordered_map<std::string_view, std::size_t> by_name;
  constexpr std::size_t kAmbiguous = static_cast<std::size_t>(-1);
  for (std::size_t i = 0; i < list.entries.size(); ++i) {
    if (list.entries[i].names.empty()) continue;
    const auto [it, added] = by_name.emplace(list.entries[i].names.front().text, i);
    if (!added) it->second = kAmbiguous;
  }
  for (auto& e : list.entries) {
    for (auto& r : e.relations) {
      if (!r.entry_id.empty()) continue;
      const auto it = by_name.find(r.name);
      if (it != by_name.end() && it->second != kAmbiguous) r.entry_id = list.entries[it->second].id;
    }
  }
}

void finish_summary(LoadedList& list) {
  list.summary.entries = list.entries.size();
  list.summary.names = 0;
  list.summary.identifiers = 0;
  for (const auto& e : list.entries) {
    list.summary.names += e.names.size();
    list.summary.identifiers += e.identifiers.size();
  }
}

}  // namespace sm::screen::load
