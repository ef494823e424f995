#include "score/risk_scorer.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>

namespace sm::score {
namespace {


using sanctions::v1::Reason;
using sanctions::v1::TradeEvent;

// A finding before the rule's weight is applied: why, and which event fields show it.
struct Hit {
  std::string detail;
  std::vector<std::string> fields;
};

bool touches(const RuleSet& rules, const TradeEvent& e) {
  return rules.restricted_countries.contains(e.origin_country()) ||
         rules.restricted_countries.contains(e.destination_country());
}

std::string describe(const SubjectMatch& m) {
  return fmt::format("{} \"{}\" matches {} entry {} \"{}\" (score {:.2f}, on {}{}{})", m.role, m.name, m.match.list_id,
                     m.match.entry_id, m.match.entry_name, m.match.score, m.match.matched_on,
                     m.match.programs.empty() ? "" : ", programs ", fmt::join(m.match.programs, ";"));
}

// Subjects of a kind scoring at least `min` (and below `below`, when given).
std::optional<Hit> list_hits(const Findings& f, std::string_view kind_prefix, double min, double below) {
  Hit hit;
  for (const auto& m : f.matches) {
    const bool kind_ok = kind_prefix.empty() || std::string_view(m.role).starts_with(kind_prefix) ||
                         (kind_prefix == "PARTY" && !m.role.starts_with("BANK_") && m.role != "VESSEL");
    if (!kind_ok || m.match.score < min || m.match.score >= below) continue;
    if (!hit.detail.empty()) hit.detail += "; ";
    hit.detail += describe(m);
    hit.fields.push_back(m.field);
  }
  if (hit.fields.empty()) return std::nullopt;
  return hit;
}

// Where the goods end up: the destination, transit countries, and the countries of end users and consignees.
std::optional<std::string> restricted_destination(const RuleSet& rules, const TradeEvent& e, std::vector<std::string>& fields) {
  if (rules.restricted_countries.contains(e.destination_country())) {
    fields.emplace_back("destinationCountry");
    return e.destination_country();
  }
  for (int i = 0; i < e.transit_countries_size(); ++i) {
    if (rules.restricted_countries.contains(e.transit_countries(i))) {
      fields.push_back(fmt::format("transitCountries[{}]", i));
      return e.transit_countries(i);
    }
  }
  if (rules.restricted_countries.contains(e.importer().country())) {
    fields.emplace_back("importer.country");
    return e.importer().country();
  }
  for (int i = 0; i < e.parties_size(); ++i) {
    const auto& p = e.parties(i);
    if ((p.role() == sanctions::v1::Party::END_USER || p.role() == sanctions::v1::Party::CONSIGNEE) &&
        rules.restricted_countries.contains(p.country())) {
      fields.push_back(fmt::format("parties[{}].country", i));
      return p.country();
    }
  }
  return std::nullopt;
}

std::optional<Hit> goods_to_restricted(const RuleSet& rules, const Findings& f, std::string_view group,
                                       std::string_view label) {
  Hit hit;
  std::vector<std::string> lines;
  for (const auto& line : f.lines) {
    if (!std::binary_search(line.goods.groups.begin(), line.goods.groups.end(), group)) continue;
    hit.fields.push_back(fmt::format("goods[{}].hsCode", line.index));
    lines.push_back(line.goods.chpl_tier.empty() || group != "CHPL"
                        ? fmt::format("HS {}", line.hs_code)
                        : fmt::format("HS {} (CHPL tier {})", line.hs_code, line.goods.chpl_tier));
  }
  if (lines.empty()) return std::nullopt;
  const auto to = restricted_destination(rules, *f.event, hit.fields);
  if (!to) return std::nullopt;
  hit.detail = fmt::format("{} {} bound for {} ({} -> {})", label, fmt::join(lines, ", "), *to,
                           f.event->origin_country(), f.event->destination_country());
  return hit;
}

// A party that is itself a listed subject is judged by SANCTIONED_PARTY; ownership adds nothing to that.
bool listed_itself(const RuleSet& rules, const Findings& f, const std::string& field) {
  return std::any_of(f.matches.begin(), f.matches.end(),
                     [&](const SubjectMatch& m) { return m.field == field && m.match.score >= rules.critical_threshold; });
}

std::optional<Hit> control_hits(const RuleSet& rules, const Findings& f, bool blocked) {
  Hit hit;
  for (const auto& c : f.control) {
    if (listed_itself(rules, f, c.field)) continue;
    std::string detail;
    if (blocked && c.blocked) {
      detail = fmt::format("{} \"{}\" is {}% owned by blocked parties (OFAC 50% rule): {}", c.role, c.name, c.listed_share, c.path);
    } else if (!blocked && !c.blocked && (!c.path.empty() || !c.links.empty())) {
      detail = fmt::format("{} \"{}\"", c.role, c.name);
      if (!c.path.empty()) detail += fmt::format(" is {}% owned by blocked parties (below 50%): {}", c.listed_share, c.path);
      if (!c.links.empty()) detail += fmt::format("{} {}", c.path.empty() ? ":" : "; and", fmt::join(c.links, "; "));
    } else {
      continue;
    }
    if (!hit.detail.empty()) hit.detail += "; ";
    hit.detail += detail;
    hit.fields.push_back(c.field + ".name");
  }
  if (hit.fields.empty()) return std::nullopt;
  return hit;
}

std::optional<Hit> evaluate_rule(const RuleSet& rules, const Rule& rule, const Findings& f) {
  const TradeEvent& e = *f.event;
  const std::string corridor = e.origin_country() + "-" + e.destination_country();
  const std::string& id = rule.id;
  if (id == "SANCTIONED_PARTY") return list_hits(f, "PARTY", rules.critical_threshold, 2.0);
  if (id == "SANCTIONED_BANK") return list_hits(f, "BANK_", rules.critical_threshold, 2.0);
  if (id == "SANCTIONED_VESSEL") return list_hits(f, "VESSEL", rules.critical_threshold, 2.0);
  if (id == "POSSIBLE_LIST_MATCH") return list_hits(f, "", rules.alert_threshold, rules.critical_threshold);
  if (id == "CHPL_TO_RUSSIA") return goods_to_restricted(rules, f, "CHPL", "Common High Priority List goods");
  if (id == "AIRCRAFT_PARTS_TO_RUSSIA") return goods_to_restricted(rules, f, "AIRCRAFT", "Aircraft or aircraft parts");
  if (id == "RESTRICTED_END_USER_VIA_THIRD_COUNTRY") {
    if (rules.restricted_countries.contains(e.destination_country())) return std::nullopt;
    for (int i = 0; i < e.parties_size(); ++i) {
      const auto& p = e.parties(i);
      if ((p.role() == sanctions::v1::Party::END_USER || p.role() == sanctions::v1::Party::CONSIGNEE) &&
          rules.restricted_countries.contains(p.country())) {
        return Hit{fmt::format("{} \"{}\" is in {} while the goods are declared for {}",
                               sanctions::v1::Party::Role_Name(p.role()), p.name(), p.country(), e.destination_country()),
                   {fmt::format("parties[{}].country", i), "destinationCountry"}};
      }
    }
    return std::nullopt;
  }
  if (id == "USD_ON_RUSSIA_CORRIDOR" || id == "EUR_ON_RUSSIA_CORRIDOR") {
    const std::string_view currency = id == "USD_ON_RUSSIA_CORRIDOR" ? "USD" : "EUR";
    if (f.settlement_currency != currency || !touches(rules, e)) return std::nullopt;
    return Hit{fmt::format("settled in {} on corridor {}", currency, corridor), {"settlement.currency"}};
  }
  if (id == "TRANSSHIPMENT_ROUTE") {
    Hit hit;
    if (!touches(rules, e) && !restricted_destination(rules, e, hit.fields)) return std::nullopt;
    hit.fields.clear();
    std::vector<std::string> via;
    for (int i = 0; i < e.transit_countries_size(); ++i) {
      if (rules.transshipment_countries.contains(e.transit_countries(i))) {
        via.push_back(e.transit_countries(i));
        hit.fields.push_back(fmt::format("transitCountries[{}]", i));
      }
    }
    if (via.empty()) return std::nullopt;
    hit.detail = fmt::format("routed through {} (named in transshipment guidance) on corridor {}", fmt::join(via, ", "), corridor);
    return hit;
  }
  if (id == "OPAQUE_SETTLEMENT_CHANNEL") {
    const auto channel = e.settlement().channel();
    if ((channel != sanctions::v1::Settlement::CASH && channel != sanctions::v1::Settlement::CRYPTO) || !touches(rules, e)) return std::nullopt;
    return Hit{fmt::format("settled through {} on corridor {}", sanctions::v1::Settlement::Channel_Name(channel), corridor),
               {"settlement.channel"}};
  }
  if (id == "BARTER_ON_RUSSIA_CORRIDOR") {
    if (f.currency_class != sanctions::v1::BARTER || !touches(rules, e)) return std::nullopt;
    return Hit{fmt::format("netting or barter ({}) on corridor {}", sanctions::v1::Settlement::Channel_Name(e.settlement().channel()), corridor),
               {"settlement.channel"}};
  }
  if (id == "OWNED_50_PERCENT_BY_LISTED") return control_hits(rules, f, true);
  if (id == "LINKED_TO_LISTED") return control_hits(rules, f, false);
  if (id == "UNKNOWN_HS_CODE") {
    Hit hit;
    std::vector<std::string> codes;
    for (const auto& line : f.lines) {
      if (line.goods.known) continue;
      codes.push_back(line.hs_code);
      hit.fields.push_back(fmt::format("goods[{}].hsCode", line.index));
    }
    if (codes.empty()) return std::nullopt;
    hit.detail = fmt::format("HS code {} does not exist in HS 2022", fmt::join(codes, ", "));
    return hit;
  }
  return std::nullopt;
}

}  // namespace

Score evaluate(const RuleSet& rules, const Findings& findings) {
  Score out;
  int sum = 0;
  RiskTier floor = sanctions::v1::RISK_TIER_UNSPECIFIED;
  for (const Rule& rule : rules.rules()) {
    auto hit = evaluate_rule(rules, rule, findings);
    if (!hit) continue;
    Reason& reason = out.reasons.emplace_back();
    reason.set_rule_id(rule.id);
    reason.set_points(rule.points);
    reason.set_detail(std::move(hit->detail));
    reason.set_min_tier(rule.min_tier);
    for (auto& field : hit->fields) reason.add_evidence_fields(std::move(field));
    sum += rule.points;
    floor = std::max(floor, rule.min_tier);
  }
  out.score = std::min(100, std::max(sum, rules.floor_score(floor)));
  out.tier = rules.tier_for(out.score);
  return out;
}

}  // namespace sm::score
