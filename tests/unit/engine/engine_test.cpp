#include "engine/engine.h"

#include <gtest/gtest.h>

#include "testing/event_builder.h"
#include "testing/test_paths.h"

namespace sm::engine {
namespace {

using sanctions::v1::Bank;
using sm::testing::EventBuilder;

// The engine over the real lists and data, configured as deploy/sanctions-monitor.toml says.
class EngineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cfg = config::load_config(sm::testing::test_config(sm::testing::temp_dir("engine_test")));
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    auto ctx = EngineContext::load(*cfg);
    ASSERT_TRUE(ctx.ok()) << ctx.error().message;
    context_ = *ctx;
  }
  static void TearDownTestSuite() { context_.reset(); }
  static std::shared_ptr<const EngineContext> context_;
};
std::shared_ptr<const EngineContext> EngineTest::context_;

TEST_F(EngineTest, AListedImporterMakesACriticalAlertThatNamesTheEntry) {
  const auto a = assess(*context_, EventBuilder().importer("Aktsionernoe Obshchestvo Pasit").build()).alert;
  EXPECT_EQ(a.risk_tier(), sanctions::v1::CRITICAL);
  ASSERT_GE(a.matches_size(), 1);
  EXPECT_EQ(a.matches(0).party_role(), "IMPORTER");
  EXPECT_EQ(a.matches(0).entry_name(), "AKTSIONERNOE OBSHCHESTVO PASIT");
  EXPECT_EQ(a.reasons(0).rule_id(), "SANCTIONED_PARTY");
  EXPECT_EQ(a.list_version(), context_->screener->version());
  EXPECT_EQ(a.rules_version(), context_->rules.version());
}

TEST_F(EngineTest, ABankIsScreenedByItsBic) {
  const auto a = assess(*context_, EventBuilder().bank(Bank::CORRESPONDENT, "Some Bank", "HNRBBY2X", "BY").build()).alert;
  EXPECT_EQ(a.risk_tier(), sanctions::v1::CRITICAL);
  ASSERT_GE(a.matches_size(), 1);
  EXPECT_EQ(a.matches(0).party_role(), "BANK_CORRESPONDENT");
  EXPECT_EQ(a.matches(0).matched_on().rfind("bic:", 0), 0U) << a.matches(0).matched_on();
}

TEST_F(EngineTest, LinesAreValuedInTheReportingCurrency) {
  const auto a = assess(*context_, EventBuilder().line("940360", "1000.00", "CNY").line("940360", "5.00", "XAU").build());
  ASSERT_EQ(a.line_values.size(), 2U);
  EXPECT_EQ(a.line_values[0]->to_string(2), "138.00");
  EXPECT_FALSE(a.line_values[1].has_value()) << "no configured rate: not valued at zero";
}

TEST_F(EngineTest, WithAnFxBookLinesAreValuedAtTheRateInForceAtTheEventTime) {
  auto book = std::make_shared<aggregate::FxRateBook>("USD");
  ASSERT_FALSE(book->apply("", R"({"currency":"CNY","rate":"0.1400","effectiveFrom":"2026-03-01T10:00:00Z"})"));
  ASSERT_FALSE(book->apply("", R"({"currency":"XAU","rate":"2300","effectiveFrom":"2026-03-01T12:00:00Z"})"));
  book->publish();
  const auto ctx = with_fx_book(context_, book);
  EXPECT_EQ(with_fx_book(context_, nullptr), context_);
  const auto value = [&](const std::string& time, const std::string& currency) {
    const auto a = assess(*ctx, EventBuilder().time(time).line("940360", "1000.00", currency).build());
    return a.line_values.at(0) ? a.line_values[0]->to_string(2) : std::string("no rate");
  };
  EXPECT_EQ(value("2026-03-01T09:59:59Z", "CNY"), "138.00") << "before the topic's first rate: configured";
  EXPECT_EQ(value("2026-03-01T10:00:00Z", "CNY"), "140.00");
  EXPECT_EQ(value("2026-03-01T11:00:00Z", "XAU"), "no rate") << "counted apart, not valued at zero";
  EXPECT_EQ(value("2026-03-01T12:00:00Z", "XAU"), "2300000.00");
  // A rate published after an event was assessed does not change that assessment.
  const auto before = assess(*ctx, EventBuilder().time("2026-03-02T00:00:00Z").line("940360", "1000.00", "CNY").build());
  ASSERT_FALSE(book->apply("", R"({"currency":"CNY","rate":"0.1500","effectiveFrom":"2026-03-01T23:00:00Z"})"));
  book->publish();
  EXPECT_EQ(before.line_values[0]->to_string(2), "140.00");
  EXPECT_EQ(value("2026-03-02T00:00:00Z", "CNY"), "150.00") << "the next event sees it";
  // The original context is untouched.
  EXPECT_EQ(assess(*context_, EventBuilder().time("2026-03-02T00:00:00Z").line("940360", "1000.00", "CNY").build())
                .line_values[0]->to_string(2),
            "138.00");
}

TEST_F(EngineTest, TheCacheChangesNothingButTheWork) {
  ScreeningCache cache;
  const std::vector<sanctions::v1::TradeEvent> events = {
      EventBuilder("a").importer("Aktsionernoe Obshchestvo Pasit").build(),
      EventBuilder("b").bank(Bank::ORDERING, "Onerbank", "HNRBBY2X", "BY").build(),
      EventBuilder("c").build(),
      EventBuilder("d").importer("Aktsionernoe Obshchestvo Pasit").build(),
  };
  for (const auto& e : events) {
    EXPECT_EQ(assess(*context_, e, &cache).alert.SerializeAsString(), assess(*context_, e).alert.SerializeAsString());
  }
  EXPECT_GT(cache.hits(), 0U);  // The repeated importer and the unchanged exporters came from the cache.
  EXPECT_GT(cache.misses(), 0U);
}

// The daemon assesses every record into the same Assessment: nothing of one event may show in the next one's.
TEST_F(EngineTest, AnAssessmentReusedEventAfterEventEqualsAFreshOne) {
  const std::vector<sanctions::v1::TradeEvent> events = {
      // A listed importer and bank, three lines (one unknown HS code), a vessel: every repeated field filled.
      EventBuilder("full")
          .importer("Aktsionernoe Obshchestvo Pasit")
          .bank(Bank::ORDERING, "Onerbank", "HNRBBY2X", "BY")
          .line("880730", "125000.50", "USD")
          .line("270900", "90000", "CNY")
          .line("999999", "10", "EUR")
          .vessel("9876543", "Ocean Star", "PA")
          .settle("USD")
          .build(),
      // Then fewer of everything, and nothing listed.
      EventBuilder("plain").line("940360", "1000").build(),
      EventBuilder("bank").bank(Bank::ORDERING, "Onerbank", "HNRBBY2X", "BY").line("270900", "5").build(),
      EventBuilder("plain-again").line("940360", "1000").build(),
  };
  Assessment reused;
  for (const auto& e : events) {
    assess(*context_, e, nullptr, reused);
    const Assessment fresh = assess(*context_, e);
    EXPECT_EQ(reused.alert.SerializeAsString(), fresh.alert.SerializeAsString()) << e.event_id();
    ASSERT_EQ(reused.goods.size(), fresh.goods.size()) << e.event_id();
    for (std::size_t i = 0; i < fresh.goods.size(); ++i) {
      EXPECT_EQ(reused.goods[i].groups, fresh.goods[i].groups) << e.event_id() << " line " << i;
    }
    EXPECT_EQ(reused.line_values, fresh.line_values) << e.event_id();
    if (e.event_id() == "full") {  // So that equal means something: the first event fills what the others lack.
      EXPECT_GE(reused.alert.matches_size(), 2);
      EXPECT_EQ(reused.alert.unknown_hs_codes_size(), 1);
      EXPECT_EQ(reused.goods.size(), 3U);
    }
  }
  EXPECT_EQ(reused.alert.matches_size(), 0);  // Nothing of the listed importer and bank is left.
  EXPECT_EQ(reused.alert.unknown_hs_codes_size(), 0);
}

TEST_F(EngineTest, ScreeningCacheIsBoundedAndKeyedByEverythingThatMatters) {
  const auto& screener = *context_->screener;
  ScreeningCache cache(2);
  screen::Query q;
  q.name = "Aktsionernoe Obshchestvo Pasit";
  EXPECT_FALSE(cache.screen(screener, q, 0.85).empty());
  EXPECT_FALSE(cache.screen(screener, q, 0.85).empty());
  EXPECT_EQ(cache.hits(), 1U);
  q.kind = screen::SubjectKind::kVessel;  // Another kind, another key.
  cache.screen(screener, q, 0.85);
  q.kind = screen::SubjectKind::kParty;
  cache.screen(screener, q, 0.99);  // Another threshold, another key: the cache is full and starts afresh.
  EXPECT_EQ(cache.misses(), 3U);
  EXPECT_LE(cache.size(), 2U);
}

TEST_F(EngineTest, ScreeningCacheMatchesIdentifiersOnEveryQueryWhateverTheNameRemembered) {
  const auto& screener = *context_->screener;
  ScreeningCache cache;
  screen::Query q;
  q.kind = screen::SubjectKind::kBank;
  q.name = "Unrelated Name Ltd";
  EXPECT_TRUE(cache.screen(screener, q, 0.85).empty());
  // The same name with a listed bank's BIC (BANK ROSSIYA's, from the SDN remarks): a hit on the
  // remembered name, and the BIC still decides.
  q.bic = "ROSYRU2P";
  const auto with_bic = cache.screen(screener, q, 0.85);
  EXPECT_EQ(cache.hits(), 1U);
  ASSERT_FALSE(with_bic.empty());
  EXPECT_EQ(with_bic.front().matched_on, "bic:ROSYRU2P");
  EXPECT_EQ(with_bic.size(), screener.screen(q, 0.85).size());
  q.bic.clear();
  EXPECT_TRUE(cache.screen(screener, q, 0.85).empty()) << "the BIC of the previous query is not remembered";
}

}  // namespace
}  // namespace sm::engine
