#include <gtest/gtest.h>

#include "engine/engine.h"
#include "testing/event_builder.h"
#include "testing/test_paths.h"

namespace sm::ownership {
namespace {

using sanctions::v1::Party;
using sm::testing::EventBuilder;

// The engine over the fictional sample lists with the fictional example ownership file: every name here is
// invented (deploy/sample-lists/README.md).
class OwnershipEngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cfg = config::load_config(sm::testing::test_config(sm::testing::temp_dir("ownership_engine_test")));
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    cfg->screening.lists = {screen::ListSource{"SAMPLE", "ofac-csv", sm::testing::repo_dir() + "/deploy/sample-lists"}};
    cfg->ownership_file = sm::testing::repo_dir() + "/deploy/ownership-example.csv";
    auto ctx = engine::EngineContext::load(*cfg);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    context_ = *ctx;
  }
  static void TearDownTestSuite() { context_.reset(); }

  static const sanctions::v1::Reason* reason(const sanctions::v1::Alert& a, std::string_view id) {
    for (const auto& r : a.reasons()) {
      if (r.rule_id() == id) return &r;
    }
    return nullptr;
  }
  static std::shared_ptr<const engine::EngineContext> context_;
};
std::shared_ptr<const engine::EngineContext> OwnershipEngineTest::context_;

TEST_F(OwnershipEngineTest, AFiftyPercentOwnedImporterIsCriticalWithThePathInTheReason) {
  const auto a = engine::assess(*context_, EventBuilder().importer("Fictitious Components Holding LLC").build()).alert;
  EXPECT_EQ(a.risk_tier(), sanctions::v1::CRITICAL);
  const auto* r = reason(a, "OWNED_50_PERCENT_BY_LISTED");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->points(), 100);
  EXPECT_EQ(r->detail(),
            "IMPORTER \"Fictitious Components Holding LLC\" is 60% owned by blocked parties (OFAC 50% rule): "
            "FICTITIOUS COMPONENTS HOLDING LLC <- 60% EXAMPLE DUAL-USE TRADING LLC (SAMPLE 90001)");
  ASSERT_EQ(r->evidence_fields_size(), 1);
  EXPECT_EQ(r->evidence_fields(0), "importer.name");
  EXPECT_EQ(reason(a, "SANCTIONED_PARTY"), nullptr) << "not on a list itself";
}

TEST_F(OwnershipEngineTest, TheDaemonsCacheOfPartyKeysChangesNoFinding) {
  engine::ScreeningCache cache;
  for (int round = 0; round < 2; ++round) {  // The second round answers from the remembered keys.
    for (const char* name : {"Fictitious Components Holding LLC", "FICTITIOUS COMPONENTS HOLDING, LLC", "Unrelated Trading Co"}) {
      const auto event = EventBuilder().importer(name).build();
      EXPECT_EQ(engine::assess(*context_, event, &cache).alert.SerializeAsString(),
                engine::assess(*context_, event).alert.SerializeAsString())
          << name;
    }
  }
  EXPECT_EQ(engine::assess(*context_, EventBuilder().importer("Fictitious Components Holding LLC").build(), &cache)
                .alert.risk_tier(),
            sanctions::v1::CRITICAL);
}

TEST_F(OwnershipEngineTest, IndirectHoldingsThroughABlockedSubsidiaryAreSummed) {
  const auto a = engine::assess(*context_, EventBuilder().party(Party::CONSIGNEE, "INVENTED LOGISTICS LLP", "KZ").build()).alert;
  const auto* r = reason(a, "OWNED_50_PERCENT_BY_LISTED");
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->detail().find("is 55% owned"), std::string::npos) << r->detail();
  EXPECT_NE(r->detail().find("INVENTED LOGISTICS LLP <- 30% EXAMPLE DUAL-USE TRADING LLC (SAMPLE 90001) + 25% "
                             "FICTITIOUS COMPONENTS HOLDING LLC [<- 60% EXAMPLE DUAL-USE TRADING LLC (SAMPLE 90001)]"),
            std::string::npos)
      << r->detail();
  EXPECT_EQ(r->evidence_fields(0), "parties[0].name");
}

TEST_F(OwnershipEngineTest, BelowFiftyPercentIsALinkForReviewNotABlock) {
  const auto a = engine::assess(*context_, EventBuilder().exporter("Made-Up Resistors Trading Ltd").build()).alert;
  EXPECT_EQ(reason(a, "OWNED_50_PERCENT_BY_LISTED"), nullptr);
  const auto* r = reason(a, "LINKED_TO_LISTED");
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->detail().find("49.99% owned by blocked parties (below 50%)"), std::string::npos) << r->detail();
  EXPECT_EQ(a.risk_tier(), sanctions::v1::MEDIUM);
}

TEST_F(OwnershipEngineTest, ListedLinkedToRelationsRaiseRiskAndListedPartiesAreNotDoubleCounted) {
  // deploy/sample-lists: 90002 SAMPLE MICROELECTRONICS SUPPLY LIMITED is "Linked To: EXAMPLE DUAL-USE TRADING LLC",
  // which is listed itself (90001): SANCTIONED_PARTY says it all.
  const auto listed = engine::assess(*context_, EventBuilder().importer("Example Dual-Use Trading LLC").build()).alert;
  EXPECT_NE(reason(listed, "SANCTIONED_PARTY"), nullptr);
  EXPECT_EQ(reason(listed, "LINKED_TO_LISTED"), nullptr);
  EXPECT_EQ(context_->control->problems().size(), 0U) << context_->control->problems().front();
}

TEST_F(OwnershipEngineTest, AnUnrelatedPartyGetsNothing) {
  const auto a = engine::assess(*context_, EventBuilder().importer("Ordinary Furniture Imports GmbH").build()).alert;
  EXPECT_EQ(reason(a, "OWNED_50_PERCENT_BY_LISTED"), nullptr);
  EXPECT_EQ(reason(a, "LINKED_TO_LISTED"), nullptr);
}

}  // namespace
}  // namespace sm::ownership
