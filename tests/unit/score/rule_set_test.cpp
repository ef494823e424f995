#include "score/rule_set.h"

#include <gtest/gtest.h>

#include "testing/test_paths.h"

namespace sm::score {
namespace {

constexpr std::string_view kMinimal = R"(
[params]
restricted_countries = ["RU"]
transshipment_countries = ["KZ"]
[[rule]]
id = "USD_ON_RUSSIA_CORRIDOR"
points = 30
min_tier = "MEDIUM"
)";

TEST(RuleSet, LoadsTheRepositoryRules) {
  auto rules = RuleSet::load_file(sm::testing::repo_dir() + "/deploy/rules.toml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(rules->rules().size(), std::size(kKnownRules));
  EXPECT_EQ(rules->version().size(), 16U);
  EXPECT_TRUE(rules->restricted_countries.contains("RU"));
  EXPECT_TRUE(rules->transshipment_countries.contains("KZ"));
  EXPECT_EQ(rules->find("SANCTIONED_PARTY")->min_tier, sanctions::v1::CRITICAL);
}

TEST(RuleSet, TiersFollowTheThresholds) {
  auto rules = RuleSet::parse(kMinimal, "t.toml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(rules->tier_for(0), sanctions::v1::LOW);
  EXPECT_EQ(rules->tier_for(24), sanctions::v1::LOW);
  EXPECT_EQ(rules->tier_for(25), sanctions::v1::MEDIUM);
  EXPECT_EQ(rules->tier_for(50), sanctions::v1::HIGH);
  EXPECT_EQ(rules->tier_for(80), sanctions::v1::CRITICAL);
}

TEST(RuleSet, VersionChangesWithTheText) {
  auto a = RuleSet::parse(kMinimal, "a.toml");
  auto b = RuleSet::parse(std::string(kMinimal) + "\n# changed\n", "b.toml");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->version(), b->version());
}

TEST(RuleSet, RejectsMistakesWithFileAndLine) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::string params = "[params]\nrestricted_countries=[\"RU\"]\ntransshipment_countries=[]\n";
  const Case cases[] = {
      {params + "[[rule]]\nid = \"NO_SUCH_RULE\"\npoints = 5\n", "t.toml:4: unknown rule id \"NO_SUCH_RULE\""},
      {params + "[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 500\n", "needs points between 0 and 100"},
      {params + "[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 5\nmin_tier = \"SEVERE\"\n", "min_tier \"SEVERE\""},
      {params + "[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 5\n[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 5\n", "listed twice"},
      {"[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 5\n", "[params] table is required"},
      {params + "[tiers]\nmedium = 60\nhigh = 50\n[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 5\n", "medium < high"},
      {params + "[screening]\nalert_threshold = 0.99\ncritical_threshold = 0.9\n[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 5\n", "alert_threshold <= critical_threshold"},
      {"this is not toml", "t.toml:1:"},
  };
  for (const auto& c : cases) {
    auto rules = RuleSet::parse(c.text, "t.toml");
    ASSERT_FALSE(rules.ok()) << c.text;
    EXPECT_NE(rules.error().message.find(c.expected), std::string::npos) << rules.error().message;
  }
}

TEST(RuleSet, DisabledRulesDoNotApply) {
  auto rules = RuleSet::parse(std::string(kMinimal) + "[[rule]]\nid = \"UNKNOWN_HS_CODE\"\npoints = 10\nenabled = false\n", "t.toml");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  EXPECT_EQ(rules->find("UNKNOWN_HS_CODE"), nullptr);
  EXPECT_NE(rules->find("USD_ON_RUSSIA_CORRIDOR"), nullptr);
}

}  // namespace
}  // namespace sm::score
