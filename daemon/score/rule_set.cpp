#include "score/rule_set.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "model/hash.h"

namespace sm::score {
namespace {

std::string where(const std::string& source, const toml::source_region& region) {
  return source + ":" + std::to_string(region.begin.line);
}

bool known_rule(std::string_view id) {
  return std::any_of(std::begin(kKnownRules), std::end(kKnownRules), [&](const char* k) { return id == k; });
}

Result<std::set<std::string>> country_set(const toml::table& params, std::string_view key, const std::string& source) {
  std::set<std::string> out;
  const auto* arr = params.get_as<toml::array>(key);
  if (arr == nullptr) return make_error("bad_rules", source + ": [params]." + std::string(key) + " is required (a list of ISO 3166 codes)");
  for (const auto& v : *arr) {
    const auto* s = v.as_string();
    if (s == nullptr || s->get().size() != 2) {
      return make_error("bad_rules", where(source, v.source()) + ": [params]." + std::string(key) + " must hold two-letter country codes");
    }
    out.insert(s->get());
  }
  return out;
}

}  // namespace

const char* tier_name(RiskTier tier) {
  switch (tier) {
    case sanctions::v1::LOW: return "LOW";
    case sanctions::v1::MEDIUM: return "MEDIUM";
    case sanctions::v1::HIGH: return "HIGH";
    case sanctions::v1::CRITICAL: return "CRITICAL";
    default: return "UNSPECIFIED";
  }
}

RiskTier parse_tier(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "LOW") return sanctions::v1::LOW;
  if (upper == "MEDIUM") return sanctions::v1::MEDIUM;
  if (upper == "HIGH") return sanctions::v1::HIGH;
  if (upper == "CRITICAL") return sanctions::v1::CRITICAL;
  return sanctions::v1::RISK_TIER_UNSPECIFIED;
}

Result<RuleSet> RuleSet::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("rules_missing", "cannot open rules file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(buffer.str(), path);
}

Result<RuleSet> RuleSet::parse(std::string_view text, const std::string& source) {
  toml::table doc;
  try {
    doc = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error("bad_rules", where(source, e.source()) + ": " + std::string(e.description()));
  }
  RuleSet set;
  set.version_ = fnv1a64_hex(text);

  set.medium_from = static_cast<int>(doc["tiers"]["medium"].value_or<int64_t>(set.medium_from));
  set.high_from = static_cast<int>(doc["tiers"]["high"].value_or<int64_t>(set.high_from));
  set.critical_from = static_cast<int>(doc["tiers"]["critical"].value_or<int64_t>(set.critical_from));
  if (!(0 < set.medium_from && set.medium_from < set.high_from && set.high_from < set.critical_from && set.critical_from <= 100)) {
    return make_error("bad_rules", source + ": [tiers] must satisfy 0 < medium < high < critical <= 100");
  }
  set.alert_threshold = doc["screening"]["alert_threshold"].value_or(set.alert_threshold);
  set.critical_threshold = doc["screening"]["critical_threshold"].value_or(set.critical_threshold);
  if (!(0.0 < set.alert_threshold && set.alert_threshold <= set.critical_threshold && set.critical_threshold <= 1.0)) {
    return make_error("bad_rules", source + ": [screening] must satisfy 0 < alert_threshold <= critical_threshold <= 1");
  }
  const auto* params = doc["params"].as_table();
  if (params == nullptr) return make_error("bad_rules", source + ": a [params] table is required");
  auto restricted = country_set(*params, "restricted_countries", source);
  if (!restricted) return restricted.error();
  set.restricted_countries = std::move(*restricted);
  auto transshipment = country_set(*params, "transshipment_countries", source);
  if (!transshipment) return transshipment.error();
  set.transshipment_countries = std::move(*transshipment);

  const auto* rules = doc["rule"].as_array();
  if (rules == nullptr || rules->empty()) return make_error("bad_rules", source + ": no [[rule]] entries");
  for (const auto& node : *rules) {
    const auto* t = node.as_table();
    if (t == nullptr) return make_error("bad_rules", where(source, node.source()) + ": [[rule]] must be a table");
    Rule rule;
    rule.id = (*t)["id"].value_or(std::string());
    if (!known_rule(rule.id)) {
      return make_error("bad_rules", where(source, t->source()) + ": unknown rule id \"" + rule.id + "\"");
    }
    if (set.find(rule.id) != nullptr) {
      return make_error("bad_rules", where(source, t->source()) + ": rule " + rule.id + " is listed twice");
    }
    if ((*t)["enabled"].value_or(true) == false) continue;
    const auto points = (*t)["points"].value<int64_t>();
    if (!points || *points < 0 || *points > 100) {
      return make_error("bad_rules", where(source, t->source()) + ": rule " + rule.id + " needs points between 0 and 100");
    }
    rule.points = static_cast<int>(*points);
    if (const auto min_tier = (*t)["min_tier"].value<std::string>()) {
      rule.min_tier = parse_tier(*min_tier);
      if (rule.min_tier == sanctions::v1::RISK_TIER_UNSPECIFIED) {
        return make_error("bad_rules", where(source, t->source()) + ": rule " + rule.id + ": min_tier \"" + *min_tier + "\" is not LOW, MEDIUM, HIGH or CRITICAL");
      }
    }
    rule.description = (*t)["description"].value_or(std::string());
    set.rules_.push_back(std::move(rule));
  }
  return set;
}

const Rule* RuleSet::find(std::string_view id) const {
  for (const auto& r : rules_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

RiskTier RuleSet::tier_for(int score) const {
  if (score >= critical_from) return sanctions::v1::CRITICAL;
  if (score >= high_from) return sanctions::v1::HIGH;
  if (score >= medium_from) return sanctions::v1::MEDIUM;
  return sanctions::v1::LOW;
}

int RuleSet::floor_score(RiskTier tier) const {
  switch (tier) {
    case sanctions::v1::CRITICAL: return critical_from;
    case sanctions::v1::HIGH: return high_from;
    case sanctions::v1::MEDIUM: return medium_from;
    default: return 0;
  }
}

}  // namespace sm::score
