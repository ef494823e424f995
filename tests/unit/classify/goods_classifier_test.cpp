#include "classify/goods_classifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>

#include "testing/test_paths.h"

namespace sm::classify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

GoodsConfig real_config() {
  const std::string hs = sm::testing::shared_data_dir() + "/hs/";
  return GoodsConfig{hs + "harmonized-system-2022.csv", hs + "common-high-priority-list-2024-02-23.csv",
                     sm::testing::repo_dir() + "/deploy/product-groups.toml"};
}

// Loaded once: the real files are read in place, and every test only reads the classifier.
const GoodsClassifier& real() {
  static const GoodsClassifier* classifier = [] {
    auto loaded = GoodsClassifier::load(real_config());
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return new GoodsClassifier(std::move(loaded).value());
  }();
  return *classifier;
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST(GoodsClassifier, LoadsTheRealFiles) {
  const GoodsClassifier& c = real();
  // The file has 5,613 six-digit rows; one of them is UN Comtrade's 999999 placeholder, which is not HS 2022.
  EXPECT_EQ(c.hs6_count(), 5'613u - 1u);
  EXPECT_EQ(c.chpl_count(), 50u);
  EXPECT_EQ(c.chpl_version(), "2024-02-23");
  EXPECT_EQ(c.hs_code_count(), 96u + 1228u + 5612u);  // Chapters, headings, subheadings (TOTAL rows left out).
}

TEST(GoodsClassifier, CrudeOilIsEnergy) {
  const GoodsClass g = real().classify("270900");
  EXPECT_TRUE(g.known);
  EXPECT_THAT(g.groups, ElementsAre("ENERGY"));
  EXPECT_THAT(g.description, HasSubstr("petroleum oils"));
  EXPECT_EQ(g.chpl_tier, "");
}

TEST(GoodsClassifier, ProcessorsAreChplTierOneElectronics) {
  const GoodsClass g = real().classify("854231");
  EXPECT_TRUE(g.known);
  EXPECT_THAT(g.groups, ElementsAre("CHPL", "CHPL_TIER_1", "ELECTRONICS"));
  EXPECT_EQ(g.chpl_tier, "1");
}

TEST(GoodsClassifier, AircraftPartsAreChplTier3B) {
  const GoodsClass g = real().classify("880730");
  EXPECT_THAT(g.groups, ElementsAre("AIRCRAFT", "CHPL", "CHPL_TIER_3B"));
  EXPECT_EQ(g.chpl_tier, "3.B");
}

TEST(GoodsClassifier, ChplWithoutPrefixGroupIsNotOther) {
  // Chapter 90 is in no product group; its CHPL lines are CHPL, not OTHER.
  EXPECT_THAT(real().classify("903082").groups, ElementsAre("CHPL", "CHPL_TIER_4A"));
  EXPECT_THAT(real().classify("901890").groups, ElementsAre("OTHER"));
}

TEST(GoodsClassifier, FishAndPreparedSeafood) {
  EXPECT_THAT(real().classify("030389").groups, ElementsAre("FISH_SEAFOOD"));
  EXPECT_THAT(real().classify("160521").groups, ElementsAre("FISH_SEAFOOD"));
}

TEST(GoodsClassifier, AircraftEnginesAreNotMachinery) {
  EXPECT_THAT(real().classify("841112").groups, ElementsAre("AIRCRAFT"));
  EXPECT_THAT(real().classify("840910").groups, ElementsAre("AIRCRAFT"));
  EXPECT_THAT(real().classify("840991").groups, ElementsAre("MACHINERY"));
  EXPECT_THAT(real().classify("845710").groups, ElementsAre("CHPL", "CHPL_TIER_4B", "MACHINERY"));
}

TEST(GoodsClassifier, PorkLinesOnlyFromMixedHeadings) {
  EXPECT_THAT(real().classify("020630").groups, ElementsAre("PORK"));
  EXPECT_THAT(real().classify("020610").groups, ElementsAre("OTHER"));  // Bovine offal, same heading.
  EXPECT_THAT(real().classify("021012").groups, ElementsAre("PORK"));
  EXPECT_THAT(real().classify("021020").groups, ElementsAre("OTHER"));
}

TEST(GoodsClassifier, OtherGroups) {
  EXPECT_THAT(real().classify("040690").groups, ElementsAre("DAIRY"));
  EXPECT_THAT(real().classify("040711").groups, ElementsAre("OTHER"));  // Eggs are chapter 04, not dairy.
  EXPECT_THAT(real().classify("120190").groups, ElementsAre("SOYBEANS"));
  EXPECT_THAT(real().classify("180632").groups, ElementsAre("CONFECTIONERY"));
  EXPECT_THAT(real().classify("940360").groups, ElementsAre("FURNITURE"));
  EXPECT_THAT(real().classify("310210").groups, ElementsAre("FERTILISERS"));
  EXPECT_THAT(real().classify("440711").groups, ElementsAre("TIMBER"));
  EXPECT_THAT(real().classify("870323").groups, ElementsAre("VEHICLES"));
  EXPECT_THAT(real().classify("760110").groups, ElementsAre("METALS"));
  EXPECT_THAT(real().classify("720839").groups, ElementsAre("METALS"));
}

TEST(GoodsClassifier, UnknownCodesAreReportedNotGuessed) {
  for (const char* code : {"999999", "270999", "9999", "8500", "27", "", "27090", "2709a0", "12345678901", "8542 31"}) {
    const GoodsClass g = real().classify(code);
    EXPECT_FALSE(g.known) << code;
    EXPECT_THAT(g.groups, ElementsAre("UNKNOWN_HS")) << code;
    EXPECT_EQ(g.description, "") << code;
    EXPECT_EQ(g.chpl_tier, "") << code;
  }
}

TEST(GoodsClassifier, HeadingGetsWhatAllItsSubheadingsHave) {
  const GoodsClass pcbs = real().classify("8534");  // Its one subheading, 853400, is CHPL tier 4.A.
  EXPECT_TRUE(pcbs.known);
  EXPECT_THAT(pcbs.description, HasSubstr("Circuits; printed"));
  EXPECT_THAT(pcbs.groups, ElementsAre("CHPL", "CHPL_TIER_4A", "ELECTRONICS"));
  EXPECT_EQ(pcbs.chpl_tier, "4.A");

  const GoodsClass ics = real().classify("8542");  // 854290 (parts of integrated circuits) is not on the CHPL.
  EXPECT_TRUE(ics.known);
  EXPECT_THAT(ics.description, HasSubstr("integrated circuits"));
  EXPECT_THAT(ics.groups, ElementsAre("ELECTRONICS"));
  EXPECT_EQ(ics.chpl_tier, "");

  const GoodsClass bearings = real().classify("8482");  // Only some bearings are on the CHPL.
  EXPECT_TRUE(bearings.known);
  EXPECT_THAT(bearings.groups, ElementsAre("MACHINERY"));
  EXPECT_EQ(bearings.chpl_tier, "");

  EXPECT_THAT(real().classify("2709").groups, ElementsAre("ENERGY"));
  EXPECT_THAT(real().classify("0206").groups, ElementsAre("OTHER"));  // Mixed: bovine, swine and other offal.
  EXPECT_THAT(real().classify("0203").groups, ElementsAre("PORK"));
}

TEST(GoodsClassifier, NationalCodesAreJudgedOnSixDigits) {
  const GoodsClass g = real().classify("8542310000");
  EXPECT_TRUE(g.known);
  EXPECT_THAT(g.groups, ElementsAre("CHPL", "CHPL_TIER_1", "ELECTRONICS"));
  EXPECT_EQ(g.description, real().classify("854231").description);
  EXPECT_TRUE(real().classify("27090010").known);
  EXPECT_FALSE(real().classify("2709991234").known);
}

TEST(GoodsClassifier, LookupReturnsTheSameJudgementWithoutCopying) {
  const GoodsClass& a = real().lookup("270900");
  const GoodsClass& b = real().lookup("2709001000");
  EXPECT_EQ(&a, &b);
  EXPECT_THAT(a.groups, ElementsAre("ENERGY"));
}

TEST(GoodsClassifier, MissingFileIsNamed) {
  for (int which = 0; which < 3; ++which) {
    GoodsConfig config = real_config();
    std::string& path = which == 0 ? config.hs_nomenclature_csv : which == 1 ? config.chpl_csv : config.product_groups_toml;
    path += ".does-not-exist";
    const auto loaded = GoodsClassifier::load(config);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().code, "goods_data_missing");
    EXPECT_THAT(loaded.error().message, HasSubstr(path));
  }
}

TEST(GoodsClassifier, MalformedFilesAreNamedWithTheLine) {
  const std::string dir = sm::testing::temp_dir("goods_classifier_malformed");
  struct Case {
    int which;  // 0 HS, 1 CHPL, 2 groups
    std::string text;
    std::string expect;
  };
  const std::string hs_ok =
      "section,hscode,description,parent,level\nV,27,Mineral fuels,TOTAL,2\nV,2709,\"Petroleum oils, crude\",27,4\n"
      "V,270900,\"Petroleum oils, crude\",2709,6\n";
  const std::string chpl_ok = "hs6,chpl_tier,hs2022_description\r\n270900,1,\"Oil, crude\"\r\n";
  const std::string groups_ok = "[groups.ENERGY]\nprefixes = [\"27\"]\nsources = \"HS 2022 chapter 27\"\n";
  const std::vector<Case> cases = {
      {0, "section,code,description,parent,level\n", "header"},
      {0, hs_ok + "V,27091,Bad,2709,6\n", ":5:"},
      {0, hs_ok + "V,\"270910,Bad,2709,6\n", "unterminated"},
      {0, hs_ok + "V,270910,Bad,2709\n", "expected 5 fields"},
      {0, hs_ok + "V,270900,Again,2709,6\n", "duplicate"},
      {1, chpl_ok + "854231,1,Not in this HS file\r\n", "not an HS 2022 subheading"},
      {1, chpl_ok + "270900,2,Twice\r\n", "two tiers"},
      {1, "hs6,chpl_tier,hs2022_description\r\n270900,Z,Bad tier\r\n", "chpl_tier"},
      {2, groups_ok + "[groups.AIRCRAFT]\nprefixes = [\"88\"]\nsources = \"x\"\n", "88 is not in HS 2022"},
      {2, groups_ok + "[groups.OTHER]\nprefixes = [\"27\"]\nsources = \"x\"\n", "reserved"},
      {2, groups_ok + "[groups.E2]\nprefixes = [\"27\"]\n", "no sources"},
      {2, groups_ok + "[groups.E2]\nprefixes = [\"27\"]\nsources = \"x\"\ncolour = \"red\"\n", "unknown key"},
      {2, groups_ok + "[groups.E2]\nprefixes = [\"27\"]\nexclude = [\"2709\", \"88\"]\nsources = \"x\"\n", "88"},
      {2, "[groups.ENERGY\n", ":1:"},
  };
  // The well-formed base files load, so each case's failure is its own.
  GoodsConfig base{dir + "/hs.csv", dir + "/chpl.csv", dir + "/groups.toml"};
  write(base.hs_nomenclature_csv, hs_ok);
  write(base.chpl_csv, chpl_ok);
  write(base.product_groups_toml, groups_ok);
  const auto good = GoodsClassifier::load(base);
  ASSERT_TRUE(good.ok()) << good.error().message;
  // No date in "chpl.csv": the version is a fingerprint of its content.
  EXPECT_TRUE(good->chpl_version().starts_with("fnv1a64:")) << good->chpl_version();
  EXPECT_EQ(good->chpl_version().size(), 8u + 16u);
  EXPECT_THAT(good->classify("270900").groups, ElementsAre("CHPL", "CHPL_TIER_1", "ENERGY"));

  for (const auto& k : cases) {
    GoodsConfig config = base;
    const std::string path = dir + "/case" + std::to_string(k.which) + (k.which == 2 ? ".toml" : ".csv");
    (k.which == 0 ? config.hs_nomenclature_csv : k.which == 1 ? config.chpl_csv : config.product_groups_toml) = path;
    write(path, k.text);
    const auto loaded = GoodsClassifier::load(config);
    ASSERT_FALSE(loaded.ok()) << k.text;
    EXPECT_EQ(loaded.error().code, "goods_data_malformed") << k.text;
    EXPECT_THAT(loaded.error().message, HasSubstr(path)) << k.text;
    EXPECT_THAT(loaded.error().message, HasSubstr(k.expect)) << k.text;
  }
}

}  // namespace
}  // namespace sm::classify
