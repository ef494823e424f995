#include "screen/token_similarity.h"

#include <gtest/gtest.h>

#include "screen/name_similarity.h"

namespace sm::screen {
namespace {

TEST(ScreenTokenSimilarityTest, Basics) {
  EXPECT_EQ(levenshtein("KITTEN", "SITTING"), 3U);
  EXPECT_NEAR(jaro_winkler("MARTHA", "MARHTA"), 0.961, 0.001);
  EXPECT_EQ(phonetic_key("MOHAMMED"), phonetic_key("MUHAMMAD"));
  EXPECT_EQ(phonetic_key("USAMA"), phonetic_key("OSAMA"));
  EXPECT_GE(token_similarity("PUTIN", "PUDIN"), 0.85);
  EXPECT_LT(token_similarity("ZUCKERMANN", "ZUCKERBERG"), 0.8);
  EXPECT_EQ(token_similarity("2004", "2005"), 0.0);
}

TEST(ScreenCompareNamesTest, OrderTyposInitialsAndScripts) {
  EXPECT_DOUBLE_EQ(compare_names("Putin, Vladimir", "Vladimir Putin").score, 1.0);
  EXPECT_GE(compare_names("Vladimir Pudin", "Vladimir Putin").score, 0.85);
  EXPECT_GE(compare_names("V. Putin", "Vladimir Putin").score, 0.85);
  EXPECT_GE(compare_names("Владимир Путин", "Vladimir Putin").score, 0.95);
  EXPECT_GE(compare_names("习近平", "Xi Jinping").score, 0.9);
  EXPECT_GE(compare_names("OAO Gazprom", "Gazprom JSC").score, 0.95);
  EXPECT_LT(compare_names("Sergey Ivanov", "Sergey Lavrov").score, 0.85);
  EXPECT_LT(compare_names("Deutsche Bank", "Commerzbank").score, 0.5);
  EXPECT_LT(compare_names("WALIJAN", "WALIJAN ABDUL GHAFOOR HAQQANI").score, 0.85);
  const auto c = compare_names("Vladimir Pudin", "Vladimir Putin");
  EXPECT_EQ(c.left_normalised, "VLADIMIR PUDIN");
  EXPECT_NE(c.explanation.find("PUDIN~PUTIN"), std::string::npos);
}

}  // namespace
}  // namespace sm::screen
