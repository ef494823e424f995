#include "classify/goods_classifier.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <toml++/toml.h>

#include "model/csv_reader.h"
#include "model/hash.h"

namespace sm::classify {
namespace {

constexpr std::string_view kUnknownGroup = "UNKNOWN_HS";
constexpr std::string_view kOtherGroup = "OTHER";
constexpr std::string_view kChplGroup = "CHPL";

Error missing(const std::string& path, const std::string& what) {
  return make_error("goods_data_missing", "cannot open " + what + " " + path);
}
Error malformed(const std::string& path, std::size_t line, const std::string& why) {
  return make_error("goods_data_malformed", path + (line ? ":" + std::to_string(line) : std::string()) + ": " + why);
}

std::optional<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::uint32_t digits_value(std::string_view s) {
  std::uint32_t v = 0;
  for (const char c : s) v = v * 10 + static_cast<std::uint32_t>(c - '0');
  return v;
}

// Reads a CSV file whose first record must be `header`, calling `row(fields, line_number)` per record. Stops at
// the first error, naming the file and line: this is reference data the engine cannot judge without.
template <typename RowFn>
std::optional<Error> read_csv(const std::string& path, const std::string& what,
                              const std::vector<std::string_view>& header, RowFn&& row) {
  const auto content = read_whole(path);
  if (!content) return missing(path, what);
  CsvReader reader(*content);
  std::vector<std::string> fields;
  std::string problem;
  bool first = true;
  while (true) {
    const auto status = reader.next(fields, problem);
    if (status == CsvReader::Status::kEnd) break;
    if (status == CsvReader::Status::kMalformed) return malformed(path, reader.line(), problem);
    if (fields.size() == 1 && fields[0].empty()) continue;  // Blank line.
    if (first) {
      first = false;
      if (fields.size() != header.size() || !std::equal(header.begin(), header.end(), fields.begin())) {
        std::string expected;
        for (const auto h : header) expected += (expected.empty() ? "" : ",") + std::string(h);
        return malformed(path, reader.line(), "header is not \"" + expected + "\"");
      }
      continue;
    }
    if (fields.size() != header.size()) {
      return malformed(path, reader.line(),
                       "expected " + std::to_string(header.size()) + " fields, found " + std::to_string(fields.size()));
    }
    if (auto error = row(fields, reader.line())) return error;
  }
  if (first) return malformed(path, 0, "empty file, no header");
  return std::nullopt;
}

// The list's date from its file name ("...-2024-02-23.csv"), or a fingerprint of the content when the name
// carries none: either way, a changed list gets a new version.
std::string list_version(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = std::string_view(path).substr(slash == std::string::npos ? 0 : slash + 1);
  for (std::size_t i = name.size(); i-- > 0;) {
    if (i + 10 > name.size()) continue;
    const std::string_view s = name.substr(i, 10);
    if (all_digits(s.substr(0, 4)) && s[4] == '-' && all_digits(s.substr(5, 2)) && s[7] == '-' &&
        all_digits(s.substr(8, 2))) {
      return std::string(s);
    }
  }
  return "fnv1a64:" + fnv1a64_hex(read_whole(path).value_or(""));
}

bool valid_group_name(std::string_view name) {
  if (name.empty() || name[0] < 'A' || name[0] > 'Z') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool reserved_group_name(std::string_view name) {
  return name == kUnknownGroup || name == kOtherGroup || name == kChplGroup || name.starts_with("CHPL_");
}

}  // namespace

Result<GoodsClassifier> GoodsClassifier::load(const GoodsConfig& config) {
  GoodsClassifier c;

  // HS 2022 nomenclature. Section "TOTAL" rows (99, 9999, 999999 "Commodities not specified according to kind"
  // and the grand total) are UN Comtrade's reporting placeholders, not HS codes: a line declared as 999999 says
  // nothing about its goods, so it stays unknown.
  std::set<std::string> hs6;
  const std::string& hs_path = config.hs_nomenclature_csv;
  if (auto error = read_csv(
          hs_path, "HS 2022 nomenclature", {"section", "hscode", "description", "parent", "level"},
          [&](const std::vector<std::string>& f, std::size_t line) -> std::optional<Error> {
            const std::string& code = f[1];
            const std::string& level = f[4];
            if (f[0] == "TOTAL") return std::nullopt;
            if (level != "2" && level != "4" && level != "6") {
              return malformed(hs_path, line, "level \"" + level + "\" is not 2, 4 or 6");
            }
            if (!all_digits(code) || code.size() != static_cast<std::size_t>(level[0] - '0')) {
              return malformed(hs_path, line, "hscode \"" + code + "\" is not " + level + " digits");
            }
            if (f[2].empty()) return malformed(hs_path, line, "no description for " + code);
            if (!c.descriptions_.emplace(code, f[2]).second) return malformed(hs_path, line, "duplicate hscode " + code);
            if (code.size() == 6) hs6.insert(code);
            return std::nullopt;
          })) {
    return *error;
  }
  if (hs6.empty()) return malformed(hs_path, 0, "no 6-digit codes");
  c.hs6_count_ = hs6.size();

  // Common High Priority List.
  const std::string& chpl_path = config.chpl_csv;
  if (auto error = read_csv(
          chpl_path, "Common High Priority List", {"hs6", "chpl_tier", "hs2022_description"},
          [&](const std::vector<std::string>& f, std::size_t line) -> std::optional<Error> {
            const std::string& code = f[0];
            const std::string& tier = f[1];
            if (!all_digits(code) || code.size() != 6) return malformed(chpl_path, line, "hs6 \"" + code + "\" is not 6 digits");
            if (!hs6.contains(code)) return malformed(chpl_path, line, "hs6 " + code + " is not an HS 2022 subheading");
            const bool tier_ok = !tier.empty() && tier[0] >= '1' && tier[0] <= '9' &&
                                 (tier.size() == 1 || (tier.size() == 3 && tier[1] == '.' && tier[2] >= 'A' && tier[2] <= 'Z'));
            if (!tier_ok) return malformed(chpl_path, line, "chpl_tier \"" + tier + "\" is not like 1, 2, 3.A");
            const auto [it, inserted] = c.chpl_tiers_.emplace(code, tier);
            if (!inserted && it->second != tier) return malformed(chpl_path, line, code + " listed with two tiers");
            return std::nullopt;
          })) {
    return *error;
  }
  if (c.chpl_tiers_.empty()) return malformed(chpl_path, 0, "no entries");
  c.chpl_version_ = list_version(chpl_path);

  // Product groups.
  const std::string& groups_path = config.product_groups_toml;
  {
    std::ifstream probe(groups_path);
    if (!probe) return missing(groups_path, "product groups");
  }
  toml::table root;
  try {
    root = toml::parse_file(groups_path);
  } catch (const toml::parse_error& e) {
    return malformed(groups_path, e.source().begin.line, std::string(e.description()));
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "groups") return malformed(groups_path, 0, "unknown key \"" + std::string(key.str()) + "\"");
  }
  const toml::table* groups = root["groups"].as_table();
  if (!groups || groups->empty()) return malformed(groups_path, 0, "no [groups.NAME] tables");
  auto code_list = [&](const toml::node& node, const std::string& where,
                       std::vector<std::string>& out) -> std::optional<Error> {
    const toml::array* array = node.as_array();
    if (!array) return malformed(groups_path, 0, where + " is not an array of HS codes");
    for (const auto& item : *array) {
      const auto code = item.value<std::string>();
      if (!code || !all_digits(*code) || code->size() < 2 || code->size() > 6 || code->size() % 2 != 0) {
        return malformed(groups_path, item.source().begin.line, where + ": HS prefixes are 2, 4 or 6 digits");
      }
      if (!c.descriptions_.contains(*code)) {
        return malformed(groups_path, item.source().begin.line, where + ": " + *code + " is not in HS 2022");
      }
      out.push_back(*code);
    }
    return std::nullopt;
  };
  for (const auto& [key, node] : *groups) {
    const std::string name(key.str());
    const std::size_t line = node.source().begin.line;
    if (!valid_group_name(name)) return malformed(groups_path, line, "group name \"" + name + "\" is not like FISH_SEAFOOD");
    if (reserved_group_name(name)) return malformed(groups_path, line, "group name " + name + " is reserved");
    const toml::table* group = node.as_table();
    if (!group) return malformed(groups_path, line, "groups." + name + " is not a table");
    std::vector<std::string> prefixes;
    std::vector<std::string> exclude;
    bool has_sources = false;
    for (const auto& [field, value] : *group) {
      const std::string where = "groups." + name + "." + std::string(field.str());
      if (field.str() == "prefixes") {
        if (auto error = code_list(value, where, prefixes)) return *error;
      } else if (field.str() == "exclude") {
        if (auto error = code_list(value, where, exclude)) return *error;
      } else if (field.str() == "sources") {
        const auto text = value.value<std::string>();
        if (!text || text->empty()) return malformed(groups_path, value.source().begin.line, where + " must be a non-empty string");
        has_sources = true;
      } else {
        return malformed(groups_path, value.source().begin.line, "unknown key " + where);
      }
    }
    if (prefixes.empty()) return malformed(groups_path, line, "groups." + name + " has no prefixes");
    if (!has_sources) return malformed(groups_path, line, "groups." + name + " has no sources");
    for (const auto& x : exclude) {
      if (std::none_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return x.starts_with(p); })) {
        return malformed(groups_path, line, "groups." + name + ".exclude: " + x + " is under none of its prefixes");
      }
    }
    for (auto& p : prefixes) c.prefix_groups_.push_back(PrefixGroup{std::move(p), name, exclude});
  }
  std::stable_sort(c.prefix_groups_.begin(), c.prefix_groups_.end(),
                   [](const PrefixGroup& a, const PrefixGroup& b) { return a.prefix.size() > b.prefix.size(); });

  // Precompute every judgement so that lookup() is one hash probe and no allocation.
  std::map<std::string, std::vector<const GoodsClass*>> children;  // heading -> its subheadings' classes.
  for (const auto& code : hs6) {
    GoodsClass g;
    g.known = true;
    g.description = c.descriptions_.at(code);
    for (const auto& pg : c.prefix_groups_) {
      if (!code.starts_with(pg.prefix)) continue;
      if (std::any_of(pg.exclude.begin(), pg.exclude.end(), [&](const std::string& x) { return code.starts_with(x); })) continue;
      g.groups.push_back(pg.group);
    }
    if (const auto it = c.chpl_tiers_.find(code); it != c.chpl_tiers_.end()) {
      g.chpl_tier = it->second;
      std::string tier_group = "CHPL_TIER_";
      for (const char ch : it->second) {
        if (ch != '.') tier_group += ch;
      }
      g.groups.emplace_back(kChplGroup);
      g.groups.push_back(std::move(tier_group));
    }
    if (g.groups.empty()) g.groups.emplace_back(kOtherGroup);
    std::sort(g.groups.begin(), g.groups.end());
    g.groups.erase(std::unique(g.groups.begin(), g.groups.end()), g.groups.end());
    const auto [it, inserted] = c.classes_.emplace(digits_value(code), std::move(g));
    children[code.substr(0, 4)].push_back(&it->second);
  }
  // A heading has what all of its subheadings have: exact, since any goods declared under it fall in one of them.
  for (const auto& [code, description] : c.descriptions_) {
    if (code.size() != 4) continue;
    GoodsClass g;
    g.known = true;
    g.description = description;
    const auto kids = children.find(code);
    if (kids != children.end()) {
      g.groups = kids->second.front()->groups;
      g.chpl_tier = kids->second.front()->chpl_tier;
      for (const GoodsClass* kid : kids->second) {
        std::vector<std::string> common;
        std::set_intersection(g.groups.begin(), g.groups.end(), kid->groups.begin(), kid->groups.end(),
                              std::back_inserter(common));
        g.groups = std::move(common);
        if (kid->chpl_tier != g.chpl_tier) g.chpl_tier.clear();
      }
    }
    if (g.groups.empty()) g.groups.emplace_back(kOtherGroup);
    c.classes_.emplace(kHeadingKey + digits_value(code), std::move(g));
  }
  return c;
}

const GoodsClass& GoodsClassifier::lookup(std::string_view hs_code) const {
  static const GoodsClass kUnknown{false, "", {std::string(kUnknownGroup)}, ""};
  const std::size_t n = hs_code.size();
  if (n < 4 || n > 10 || n == 5) return kUnknown;  // 5 digits is often a 6-digit code that lost its leading zero.
  std::uint32_t key = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char ch = hs_code[i];
    if (ch < '0' || ch > '9') return kUnknown;
    if (i < 6) key = key * 10 + static_cast<std::uint32_t>(ch - '0');
  }
  if (n == 4) key += kHeadingKey;
  const auto it = classes_.find(key);
  return it == classes_.end() ? kUnknown : it->second;
}

}  // namespace sm::classify
