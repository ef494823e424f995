#include "screen/name_normaliser.h"

#include <gtest/gtest.h>

namespace sm::screen {
namespace {

using Tokens = std::vector<std::string>;

TEST(ScreenNameNormaliserTest, AsciiFastPathFoldsCaseAndPunctuation) {
  EXPECT_EQ(normalise_name("al-Qa'ida, (the base)").tokens, (Tokens{"AL", "QAIDA", "THE", "BASE"}));
  EXPECT_EQ(normalise_name("AT&T Inc.").tokens, (Tokens{"AT", "AND", "T"}));
  EXPECT_EQ(normalise_name("U.S. Steel L.L.C.").tokens, (Tokens{"US", "STEEL"}));
}

TEST(ScreenNameNormaliserTest, CyrillicUsesBgnRomanisation) {
  EXPECT_EQ(normalise_name("Щербаков Юрий").text(), "SHCHERBAKOV YURIY");
  EXPECT_EQ(normalise_name("Леонтьев Владислав").text(), "LEONTYEV VLADISLAV");
  EXPECT_EQ(normalise_name("Банк Россия").text(), "BANK ROSSIYA");
  EXPECT_EQ(normalise_name("Ухнаагийн Хүрэлсүх").text(), "UKHNAAGIYN KHURELSUKH");  // Mongolian Ү
}

TEST(ScreenNameNormaliserTest, ChineseArabicAndDiacritics) {
  EXPECT_EQ(normalise_name("习近平").text(), "XI JIN PING");
  EXPECT_EQ(normalise_name("أسامة بن لادن").text(), "ASAMT BN LADN");
  EXPECT_EQ(normalise_name("François Hollande").text(), "FRANCOIS HOLLANDE");
  EXPECT_EQ(normalise_name("Łukasz Żółw").text(), "LUKASZ ZOLW");
}

TEST(ScreenNameNormaliserTest, LegalFormsAreSetAside) {
  const auto ooo = normalise_name("ООО «Ромашка»");
  EXPECT_EQ(ooo.text(), "ROMASHKA");
  EXPECT_EQ(ooo.legal_forms, Tokens{"LLC"});
  EXPECT_EQ(normalise_name("Open Joint Stock Company Gazprom").text(), "GAZPROM");
  EXPECT_EQ(normalise_name("PJSC Gazprom").text(), "GAZPROM");
  EXPECT_EQ(normalise_name("Siemens Aktiengesellschaft").text(), "SIEMENS");
  EXPECT_EQ(normalise_name("Example Trading Co., Ltd.").text(), "EXAMPLE TRADING");
  const auto cn = normalise_name("华为技术有限公司");
  EXPECT_EQ(cn.legal_forms, Tokens{"LLC"});
  EXPECT_EQ(cn.text(), "HUA WEI JI SHU");
  // A name made only of legal-form words keeps them, flagged.
  const auto corp = normalise_name("Corp.");
  EXPECT_TRUE(corp.only_legal_forms);
  EXPECT_EQ(corp.text(), "CORP");
  // People keep every token when asked.
  EXPECT_EQ(normalise_name("AO Lei", false).text(), "AO LEI");
}

TEST(ScreenNameNormaliserTest, UntransliterableScriptsDoNotCrash) {
  EXPECT_NO_THROW(normalise_name("ប៉ុល ពត"));
  EXPECT_TRUE(normalise_name("").tokens.empty());
  EXPECT_NO_THROW(normalise_name(std::string("\xff\xfe bad utf8 \xc3", 15)));
}

}  // namespace
}  // namespace sm::screen
