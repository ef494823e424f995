#pragma once

#include <string>
#include <vector>

#include "classify/goods_classifier.h"
#include "score/rule_set.h"
#include "screen/screener.h"
#include "sanctions/v1/alert.pb.h"
#include "sanctions/v1/trade_event.pb.h"

namespace sm::score {

// A screening hit on one subject of the event: "EXPORTER", "CONSIGNEE", "BANK_ORDERING", "VESSEL", ...
struct SubjectMatch {
  std::string role;
  std::string name;   // As written in the event.
  std::string field;  // proto3 JSON path of the subject: "exporter", "parties[2]", "banks[0]", "vessel".
  screen::Match match;
};

// One goods line as classified.
struct LineFinding {
  int index = 0;
  std::string hs_code;
  classify::GoodsClass goods;
};

// What the ownership data says of one party that is not itself listed (ownership::ControlIndex).
struct ControlFinding {
  std::string role;
  std::string name;   // As written in the event.
  std::string field;  // proto3 JSON path of the party: "exporter", "parties[2]".
  bool blocked = false;           // 50% or more held by blocked parties (OFAC's 50% rule).
  std::string listed_share;       // Percent held by blocked parties, exact ("55", "49.99"); "" when only linked.
  std::string path;               // The ownership path that explains it.
  std::vector<std::string> links; // Relations to listed entries without a known share.
};

// Everything the engine found about one validated event; the rules turn it into points.
struct Findings {
  const sanctions::v1::TradeEvent* event = nullptr;
  sanctions::v1::CurrencyClass currency_class = sanctions::v1::CURRENCY_CLASS_UNSPECIFIED;
  std::string settlement_currency;    // Normalised ("CNY" for "CNH"); empty for barter.
  std::vector<SubjectMatch> matches;  // Every hit at or above the alert threshold, best first.
  std::vector<LineFinding> lines;     // One per goods line, in order.
  std::vector<ControlFinding> control;  // Parties owned by or linked to listed parties, in event order.
};

struct Score {
  int score = 0;  // 0..100
  RiskTier tier = sanctions::v1::LOW;
  std::vector<sanctions::v1::Reason> reasons;  // In rule-file order.
};

// Applies the rule set to the findings. The score is the sum of the points of the rules that fired, raised to
// the lowest score of the highest floor (min_tier) among them, capped at 100; the tier follows from the score.
// Pure and thread-safe.
Score evaluate(const RuleSet& rules, const Findings& findings);

}  // namespace sm::score
