#include "score/risk_scorer.h"

#include <gtest/gtest.h>

#include "testing/event_builder.h"
#include "testing/test_paths.h"

namespace sm::score {
namespace {

using sanctions::v1::Bank;
using sanctions::v1::Party;
using sm::testing::EventBuilder;

class RiskScorerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = RuleSet::load_file(sm::testing::repo_dir() + "/deploy/rules.toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    rules_ = std::move(*r);
  }

  // Findings as the engine would make them, with goods groups given per line.
  Score score(const sanctions::v1::TradeEvent& event, sanctions::v1::CurrencyClass cls,
              std::vector<std::vector<std::string>> line_groups = {}, std::vector<SubjectMatch> matches = {}) {
    event_ = event;
    Findings f;
    f.event = &event_;
    f.currency_class = cls;
    f.settlement_currency = event_.settlement().currency();
    f.matches = std::move(matches);
    for (int i = 0; i < event_.goods_size(); ++i) {
      classify::GoodsClass g;
      g.known = true;
      if (static_cast<std::size_t>(i) < line_groups.size()) g.groups = line_groups[static_cast<std::size_t>(i)];
      if (std::find(g.groups.begin(), g.groups.end(), "UNKNOWN_HS") != g.groups.end()) g.known = false;
      if (std::find(g.groups.begin(), g.groups.end(), "CHPL") != g.groups.end()) g.chpl_tier = "1";
      std::sort(g.groups.begin(), g.groups.end());
      f.lines.push_back(LineFinding{i, event_.goods(i).hs_code(), g});
    }
    return evaluate(rules_, f);
  }

  static std::vector<std::string> rule_ids(const Score& s) {
    std::vector<std::string> ids;
    for (const auto& r : s.reasons) ids.push_back(r.rule_id());
    return ids;
  }

  static SubjectMatch match(std::string role, double score) {
    SubjectMatch m;
    m.role = std::move(role);
    m.name = "Listed Trading LLC";
    m.field = "importer";
    m.match.list_id = "OFAC-SDN";
    m.match.entry_id = "12345";
    m.match.entry_name = "LISTED TRADING LLC";
    m.match.score = score;
    m.match.matched_on = "name:LISTED TRADING LLC";
    m.match.programs = {"RUSSIA-EO14024"};
    return m;
  }

  RuleSet rules_;
  sanctions::v1::TradeEvent event_;
};

TEST_F(RiskScorerTest, NationalCurrencyTradeOfOrdinaryGoodsIsLow) {
  const Score s = score(EventBuilder().build(), sanctions::v1::NATIONAL, {{"FURNITURE"}});
  EXPECT_EQ(s.tier, sanctions::v1::LOW);
  EXPECT_EQ(s.score, 0);
  EXPECT_TRUE(s.reasons.empty());
}

TEST_F(RiskScorerTest, DollarSettlementOnARussiaCorridorIsAtLeastMedium) {
  const Score s = score(EventBuilder().settle("USD").build(), sanctions::v1::USD, {{"FURNITURE"}});
  EXPECT_EQ(s.tier, sanctions::v1::MEDIUM);
  EXPECT_EQ(s.score, 30);
  ASSERT_EQ(rule_ids(s), std::vector<std::string>{"USD_ON_RUSSIA_CORRIDOR"});
  EXPECT_EQ(s.reasons[0].detail(), "settled in USD on corridor CN-RU");
  EXPECT_EQ(s.reasons[0].evidence_fields(0), "settlement.currency");
}

TEST_F(RiskScorerTest, DollarsAwayFromRussiaAreNotFlagged) {
  const Score s = score(EventBuilder().corridor("CN", "KZ").settle("USD").build(), sanctions::v1::USD, {{"FURNITURE"}});
  EXPECT_EQ(s.tier, sanctions::v1::LOW);
}

TEST_F(RiskScorerTest, ChplGoodsToRussiaAreAtLeastHigh) {
  const Score s = score(EventBuilder().line("854231", "5000.00").build(), sanctions::v1::NATIONAL,
                        {{"CHPL", "CHPL_TIER_1", "ELECTRONICS"}});
  EXPECT_EQ(s.tier, sanctions::v1::HIGH);
  ASSERT_EQ(rule_ids(s), std::vector<std::string>{"CHPL_TO_RUSSIA"});
  EXPECT_NE(s.reasons[0].detail().find("HS 854231 (CHPL tier 1) bound for RU"), std::string::npos) << s.reasons[0].detail();
}

TEST_F(RiskScorerTest, ChplGoodsThroughAThirdCountryToARussianEndUserAreHigh) {
  const auto e = EventBuilder()
                     .corridor("CN", "KZ")
                     .line("854232", "5000.00")
                     .party(Party::END_USER, "AO Radiozavod", "RU")
                     .transit({"KZ"})
                     .build();
  const Score s = score(e, sanctions::v1::NATIONAL, {{"CHPL", "CHPL_TIER_1"}});
  EXPECT_GE(s.tier, sanctions::v1::HIGH);
  EXPECT_EQ(rule_ids(s), (std::vector<std::string>{"CHPL_TO_RUSSIA", "RESTRICTED_END_USER_VIA_THIRD_COUNTRY",
                                                   "TRANSSHIPMENT_ROUTE"}));
}

TEST_F(RiskScorerTest, ChplGoodsElsewhereAreNotFlagged) {
  const Score s = score(EventBuilder().corridor("CN", "DE").line("854231", "5000.00").build(), sanctions::v1::THIRD_COUNTRY,
                        {{"CHPL", "CHPL_TIER_1"}});
  EXPECT_EQ(s.tier, sanctions::v1::LOW);
}

TEST_F(RiskScorerTest, AListedPartyIsCriticalWithTheEntryInTheReason) {
  const Score s = score(EventBuilder().build(), sanctions::v1::NATIONAL, {{"FURNITURE"}}, {match("IMPORTER", 0.97)});
  EXPECT_EQ(s.tier, sanctions::v1::CRITICAL);
  EXPECT_EQ(s.score, 100);
  ASSERT_EQ(rule_ids(s), std::vector<std::string>{"SANCTIONED_PARTY"});
  EXPECT_NE(s.reasons[0].detail().find("OFAC-SDN entry 12345 \"LISTED TRADING LLC\" (score 0.97"), std::string::npos)
      << s.reasons[0].detail();
  EXPECT_EQ(s.reasons[0].evidence_fields(0), "importer");
}

TEST_F(RiskScorerTest, AListedBankOrVesselIsCritical) {
  EXPECT_EQ(score(EventBuilder().build(), sanctions::v1::NATIONAL, {}, {match("BANK_CORRESPONDENT", 1.0)}).tier,
            sanctions::v1::CRITICAL);
  EXPECT_EQ(rule_ids(score(EventBuilder().build(), sanctions::v1::NATIONAL, {}, {match("VESSEL", 1.0)})),
            std::vector<std::string>{"SANCTIONED_VESSEL"});
}

TEST_F(RiskScorerTest, APossibleMatchNeedsReviewButIsNotCritical) {
  const Score s = score(EventBuilder().build(), sanctions::v1::NATIONAL, {}, {match("EXPORTER", 0.88)});
  EXPECT_EQ(rule_ids(s), std::vector<std::string>{"POSSIBLE_LIST_MATCH"});
  EXPECT_EQ(s.tier, sanctions::v1::MEDIUM);
}

TEST_F(RiskScorerTest, FloorsRaiseTheScoreToTheirTier) {
  // A tier-1 CHPL line alone is 60 points (HIGH); with USD settlement 90 (CRITICAL): the points add up.
  const Score s = score(EventBuilder().settle("USD").line("854231", "1.00", "USD").build(), sanctions::v1::USD,
                        {{"CHPL", "CHPL_TIER_1"}});
  EXPECT_EQ(s.score, 90);
  EXPECT_EQ(s.tier, sanctions::v1::CRITICAL);
}

TEST_F(RiskScorerTest, OpaqueChannelsBarterAndUnknownCodesAddPoints) {
  EXPECT_EQ(rule_ids(score(EventBuilder().settle("USD", sanctions::v1::Settlement::CRYPTO).build(), sanctions::v1::USD)),
            (std::vector<std::string>{"USD_ON_RUSSIA_CORRIDOR", "OPAQUE_SETTLEMENT_CHANNEL"}));
  EXPECT_EQ(rule_ids(score(EventBuilder().settle("", sanctions::v1::Settlement::BARTER).build(), sanctions::v1::BARTER)),
            std::vector<std::string>{"BARTER_ON_RUSSIA_CORRIDOR"});
  const Score unknown = score(EventBuilder().line("999999", "1.00").build(), sanctions::v1::NATIONAL, {{"UNKNOWN_HS"}});
  ASSERT_EQ(rule_ids(unknown), std::vector<std::string>{"UNKNOWN_HS_CODE"});
  EXPECT_EQ(unknown.reasons[0].detail(), "HS code 999999 does not exist in HS 2022");
}

}  // namespace
}  // namespace sm::score
