// Screening against the real OFAC SDN, OFAC consolidated and US CSL files, read in place.
#include "screen/screener.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "screen/name_similarity.h"
#include "testing/test_paths.h"

namespace sm::screen {
namespace {

ScreenConfig real_config() {
  const std::string d = sm::testing::shared_data_dir() + "/sanctions/";
  ScreenConfig c;
  c.lists = {{"OFAC-SDN", "ofac-csv", d + "ofac-sdn"},
             {"OFAC-CONS", "ofac-csv", d + "ofac-cons"},
             {"US-CSL", "csl-csv", d + "us-csl/consolidated.csv"}};
  return c;
}

class ScreenerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Screener::load(real_config());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    screener_ = *loaded;
  }
  static void TearDownTestSuite() { screener_.reset(); }

  static std::vector<Match> screen(const std::string& name, SubjectKind kind = SubjectKind::kParty, double min = 0.85) {
    Query q;
    q.kind = kind;
    q.name = name;
    return screener_->screen(q, min, 10);
  }
  // True when the best match is OFAC SDN entry `id` (or the CSL copy of it, whose _id is the same number).
  static bool top_is(const std::vector<Match>& m, const std::string& id) { return !m.empty() && m.front().entry_id == id; }
  static bool finds(const std::vector<Match>& m, const std::string& list, const std::string& id) {
    return std::any_of(m.begin(), m.end(), [&](const Match& x) { return x.list_id == list && x.entry_id == id; });
  }

  static std::shared_ptr<const Screener> screener_;
};
std::shared_ptr<const Screener> ScreenerTest::screener_;

TEST_F(ScreenerTest, SummariesAndVersion) {
  const auto& s = screener_->summaries();
  ASSERT_EQ(s.size(), 3U);
  EXPECT_EQ(s[0].list_id, "OFAC-SDN");
  EXPECT_EQ(s[0].entries, 8976U);
  EXPECT_EQ(s[1].entries, 442U);
  EXPECT_GE(s[2].entries, 14000U);
  EXPECT_EQ(screener_->version().size(), 16U);
  // Stable: the same files give the same version; a different list set a different one.
  auto again = Screener::load(real_config());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->version(), screener_->version());
  ScreenConfig two = real_config();
  two.lists.pop_back();
  auto fewer = Screener::load(two);
  ASSERT_TRUE(fewer.ok());
  EXPECT_NE((*fewer)->version(), screener_->version());
}

TEST_F(ScreenerTest, BicFromRealRemarksFindsTheBank) {
  Query q;
  q.kind = SubjectKind::kBank;
  q.name = "Unrelated Name Ltd";
  q.bic = "ROSYRU2P";  // BANK ROSSIYA, SDN 16681: "SWIFT/BIC ROSYRU2P"
  auto m = screener_->screen(q, 0.85);
  ASSERT_TRUE(finds(m, "OFAC-SDN", "16681"));
  EXPECT_DOUBLE_EQ(m.front().score, 1.0);
  EXPECT_EQ(m.front().matched_on, "bic:ROSYRU2P");
  // An 11-character BIC of a branch finds the 8-character listing; "XXX" is the head office.
  q.bic = "ROSYRU2PXXX";
  EXPECT_TRUE(finds(screener_->screen(q, 0.85), "OFAC-SDN", "16681"));
  q.bic = "ROSYRU2P123";
  EXPECT_TRUE(finds(screener_->screen(q, 0.85), "OFAC-SDN", "16681"));
  q.bic = "ROSYRU2Q";
  EXPECT_FALSE(finds(screener_->screen(q, 0.85), "OFAC-SDN", "16681"));
}

TEST_F(ScreenerTest, ImoFromRealRemarksFindsTheVessel) {
  Query q;
  q.kind = SubjectKind::kVessel;
  q.name = "MV SOMETHING ELSE";
  q.imo = "IMO 9187629";  // ARTAVIL, SDN 15036
  auto m = screener_->screen(q, 0.85);
  ASSERT_TRUE(finds(m, "OFAC-SDN", "15036"));
  EXPECT_EQ(m.front().matched_on, "imo:9187629");
  EXPECT_TRUE(m.front().secondary_sanctions_risk);
}

TEST_F(ScreenerTest, RegistrationNumberRespectsCountry) {
  Query q;
  q.name = "X";
  q.registration_id = "7831000122";  // BANK ROSSIYA's Tax ID No. (Russia)
  q.country = "RU";
  EXPECT_TRUE(finds(screener_->screen(q, 0.85), "OFAC-SDN", "16681"));
  q.country = "DE";
  EXPECT_FALSE(finds(screener_->screen(q, 0.85), "OFAC-SDN", "16681"));
}

TEST_F(ScreenerTest, NameVariationsOfRealEntries) {
  // Word order and a legal form added.
  auto m = screen("Rossiya Bank JSC", SubjectKind::kBank);
  ASSERT_TRUE(finds(m, "OFAC-SDN", "16681"));
  EXPECT_GE(m.front().score, 0.95);
  EXPECT_EQ(m.front().query_normalised, "ROSSIYA BANK");
  EXPECT_EQ(m.front().matched_on.rfind("name:", 0), 0U);
  // A typo.
  EXPECT_TRUE(finds(screen("BANK ROSIYA"), "OFAC-SDN", "16681"));
  // Cyrillic.
  EXPECT_TRUE(finds(screen("Банк Россия"), "OFAC-SDN", "16681"));
  // A person, reordered and in Cyrillic (LEONTYEV, Vladislav Vladimirovich, SDN 13086).
  EXPECT_TRUE(finds(screen("Vladislav Vladimirovich Leontyev"), "OFAC-SDN", "13086"));
  EXPECT_TRUE(finds(screen("Леонтьев Владислав Владимирович"), "OFAC-SDN", "13086"));
  // A dropped legal form and a different one (KOREA DAESONG BANK; alias TAESONG BANK).
  EXPECT_TRUE(finds(screen("Korea Daesong Bank Co., Ltd.", SubjectKind::kBank), "OFAC-SDN", "12312"));
  // An alias, typo included: matched_on names the alias.
  m = screen("Choson Taesong Unhang");
  ASSERT_TRUE(finds(m, "OFAC-SDN", "12312"));
  EXPECT_NE(m.front().matched_on.find("CHOSON TAESONG UNHAENG"), std::string::npos);
}

TEST_F(ScreenerTest, VesselQueriesPreferVessels) {
  auto m = screen("ARTAVIL", SubjectKind::kVessel, 0.5);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.front().entry_id, "15036");
}

TEST_F(ScreenerTest, CommonWordsAloneMatchNothing) {
  for (const char* name : {"CORP", "TRADING COMPANY LIMITED", "BANK", "Trading", "International Trading Co.", "AL",
                           "Global Logistics LLC", ""}) {
    EXPECT_TRUE(screen(name, SubjectKind::kParty, 0.7).empty()) << name << " -> " << screen(name, SubjectKind::kParty, 0.7).front().matched_on;
  }
}

TEST_F(ScreenerTest, UnlistedNamesDoNotAlert) {
  for (const char* name : {"Siemens AG", "Deutsche Bank AG", "Maersk Line", "John Smith", "Toyota Motor Corporation"}) {
    const auto m = screen(name);
    EXPECT_TRUE(m.empty()) << name << " -> " << m.front().matched_on << " " << m.front().score;
  }
}

TEST_F(ScreenerTest, ResultsAreOrderedAndLimited) {
  Query q;
  q.name = "MOHAMMED";
  q.imo = "9187629";
  const auto m = screener_->screen(q, 0.5, 3);
  ASSERT_LE(m.size(), 3U);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.front().matched_on, "imo:9187629");
  for (std::size_t i = 1; i < m.size(); ++i) EXPECT_GE(m[i - 1].score, m[i].score);
}

TEST_F(ScreenerTest, ScreenIsItsTwoHalvesMerged) {
  // The engine's cache keeps the name half and redoes the identifier half; the merge must give screen()'s answer.
  std::vector<Query> queries(5);
  queries[0].kind = SubjectKind::kBank;  // A BIC and the name of the same entry: the BIC is the evidence kept.
  queries[0].name = "Bank Rossiya";
  queries[0].bic = "ROSYRU2P";
  queries[1].name = "MOHAMMED";  // Many name matches of equal score, and a vessel's IMO outranking them.
  queries[1].imo = "9187629";
  queries[2].name = "Rossiya Bank JSC";  // Names only.
  queries[3].name = "X";  // An identifier only.
  queries[3].registration_id = "7831000122";
  queries[3].country = "RU";
  queries[4].name = "Siemens AG";  // Nothing.
  const auto summary = [](const std::vector<Match>& m) {
    std::string out;
    for (const Match& x : m) out += x.list_id + "/" + x.entry_id + " " + std::to_string(x.score) + " " + x.matched_on + "\n";
    return out;
  };
  for (const Query& q : queries) {
    for (const std::size_t limit : {std::size_t{3}, std::size_t{10}}) {
      const auto whole = screener_->screen(q, 0.5, limit);
      EXPECT_EQ(summary(merge_matches(screener_->match_identifiers(q), screener_->match_names(q, 0.5, limit), limit)),
                summary(whole))
          << q.name << " limit " << limit;
    }
  }
  const auto bank = screener_->screen(queries[0], 0.5, 10);
  ASSERT_FALSE(bank.empty());
  EXPECT_EQ(bank.front().matched_on, "bic:ROSYRU2P");
  EXPECT_EQ(std::count_if(bank.begin(), bank.end(), [&](const Match& m) { return m.entry_id == bank.front().entry_id && m.list_id == bank.front().list_id; }), 1)
      << "one match per entry";
}

TEST_F(ScreenerTest, EntryNamesByProgram) {
  const auto names = screener_->entry_names({"RUSSIA-EO14024"}, 50);
  EXPECT_EQ(names.size(), 50U);
  EXPECT_EQ(names, screener_->entry_names({"RUSSIA-EO14024"}, 50));  // Deterministic.
  const auto some = screener_->entry_names({}, 5);
  ASSERT_EQ(some.size(), 5U);
  EXPECT_EQ(some.front(), "AEROCARIBBEAN AIRLINES");  // First SDN entry.
  EXPECT_TRUE(screener_->entry_names({"NO-SUCH-PROGRAM"}, 5).empty());
}

TEST(ScreenerLoadTest, FailsOnMissingListsAndUnknownFormats) {
  ScreenConfig c;
  EXPECT_FALSE(Screener::load(c).ok());
  c.lists = {{"X", "ofac-csv", "/nonexistent"}};
  EXPECT_FALSE(Screener::load(c).ok());
  c.lists = {{"X", "no-such-format", "/nonexistent"}};
  EXPECT_EQ(Screener::load(c).error().code, "list_format");
}

TEST(ScreenerLoadTest, SampleListsInTheRepository) {
  ScreenConfig c;
  c.lists = {{"SAMPLE", "ofac-csv", sm::testing::repo_dir() + "/deploy/sample-lists"}};
  auto s = Screener::load(c);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_GE((*s)->summaries()[0].entries, 10U);
  EXPECT_EQ((*s)->summaries()[0].rejected_rows, 0U);
  Query q;
  q.name = "Example Dual Use Trading";
  const auto m = (*s)->screen(q, 0.85);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m.front().entry_name, "EXAMPLE DUAL-USE TRADING LLC");
  EXPECT_FALSE((*s)->entry_names({"RUSSIA-EO14024"}, 10).empty());
}

}  // namespace
}  // namespace sm::screen
