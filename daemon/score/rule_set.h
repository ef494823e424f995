#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/result.h"
#include "sanctions/v1/alert.pb.h"

namespace sm::score {

using sanctions::v1::RiskTier;

// The ids of the rules the engine knows how to evaluate. The rules file switches them on, weighs them and
// sets their floors; it cannot invent new logic.
inline constexpr const char* kKnownRules[] = {
    "SANCTIONED_PARTY",           // A party scores >= critical_threshold against a list entry.
    "SANCTIONED_BANK",            // A bank in the payment chain does.
    "SANCTIONED_VESSEL",          // The vessel does (by IMO or name).
    "POSSIBLE_LIST_MATCH",        // Something scores between alert_threshold and critical_threshold.
    "CHPL_TO_RUSSIA",             // Common High Priority List goods bound for a restricted destination.
    "AIRCRAFT_PARTS_TO_RUSSIA",   // Aircraft and aircraft parts bound for a restricted destination.
    "RESTRICTED_END_USER_VIA_THIRD_COUNTRY",  // Destination elsewhere, but an end user/consignee in RU/BY.
    "USD_ON_RUSSIA_CORRIDOR",     // Settled in US dollars on a corridor that touches a restricted country.
    "EUR_ON_RUSSIA_CORRIDOR",     // Settled in euros on such a corridor.
    "TRANSSHIPMENT_ROUTE",        // Transit through a country named in transshipment guidance.
    "OPAQUE_SETTLEMENT_CHANNEL",  // Cash or crypto settlement on such a corridor.
    "BARTER_ON_RUSSIA_CORRIDOR",  // Netting or barter on such a corridor.
    "UNKNOWN_HS_CODE",            // A line's HS code does not exist in HS 2022.
    "OWNED_50_PERCENT_BY_LISTED", // A party is 50% or more owned by blocked parties, directly or indirectly.
    "LINKED_TO_LISTED",           // A party is linked to, or partly owned by, a listed party.
};

struct Rule {
  std::string id;
  int points = 0;
  RiskTier min_tier = sanctions::v1::RISK_TIER_UNSPECIFIED;  // UNSPECIFIED: no floor.
  std::string description;
};

// A loaded rules file: which rules apply, their points and floors, the tier thresholds and the parameters
// the rules read. Immutable after load.
class RuleSet {
 public:
  // Parses TOML text; `source` names it in errors ("deploy/rules.toml:12: unknown rule id FOO").
  static Result<RuleSet> parse(std::string_view toml_text, const std::string& source);
  static Result<RuleSet> load_file(const std::string& path);

  const std::vector<Rule>& rules() const { return rules_; }
  const Rule* find(std::string_view id) const;
  const std::string& version() const { return version_; }  // Content hash of the rules text.

  // Lowest score of each tier (MEDIUM, HIGH, CRITICAL); below MEDIUM is LOW.
  int medium_from = 25;
  int high_from = 50;
  int critical_from = 80;
  double alert_threshold = 0.85;     // A list match at least this good is reported.
  double critical_threshold = 0.95;  // ... and at least this good counts as a listed subject.
  std::set<std::string> restricted_countries;      // Destinations under export controls: RU, BY.
  std::set<std::string> transshipment_countries;   // FinCEN/BIS guidance and since.

  RiskTier tier_for(int score) const;
  int floor_score(RiskTier tier) const;

 private:
  std::vector<Rule> rules_;
  std::string version_;
};

const char* tier_name(RiskTier tier);
// "low", "MEDIUM", ... -> tier; RISK_TIER_UNSPECIFIED when not a tier name.
RiskTier parse_tier(std::string_view name);

}  // namespace sm::score
