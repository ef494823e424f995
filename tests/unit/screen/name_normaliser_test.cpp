#include "screen/name_normaliser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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
  constexpr char kBadUtf8[] = "\xff\xfe bad utf8 \xc3";
  EXPECT_NO_THROW(normalise_name(std::string(kBadUtf8, sizeof kBadUtf8 - 1)));
}

// Every ideograph of the per-character table's ranges, alone, next to others and among spaces (and the few
// with context-dependent readings, with their contexts), converts as the full transliterator converts it.
TEST(ScreenNameNormaliserTest, HanIdeographsConvertAsTheFullTransliterator) {
  auto utf8 = [](char32_t c) {
    std::string out;
    if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    }
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    return out;
  };
  std::vector<char32_t> han;
  for (char32_t c = 0x3400; c <= 0x4DBF; ++c) han.push_back(c);
  for (char32_t c = 0x4E00; c <= 0x9FFF; ++c) han.push_back(c);
  std::size_t checked = 0;
  for (std::size_t i = 0; i < han.size(); i += 3) {
    // Three neighbours, one far ideograph, spaces in varying places.
    std::string name = utf8(han[i]);
    if (i + 1 < han.size()) name += (i % 2 == 0 ? " " : "") + utf8(han[i + 1]);
    if (i + 2 < han.size()) name += utf8(han[i + 2]);
    name += (i % 5 == 0 ? "  " : " ") + utf8(han[(i * 7919) % han.size()]);
    ASSERT_EQ(to_ascii_upper(name), to_ascii_upper_uncached(name)) << name;
    ++checked;
  }
  EXPECT_GT(checked, 9000U);
  for (const char* name : {"藏文", "重庆", "沈阳", "秘鲁", "西藏 文化", "习近平", "习近平 ", " 李明", "金正恩", "修平 太一 高橋",
                           "山田 花子", "王　伟", "王,伟", "株式会社 東芝"}) {
    EXPECT_EQ(to_ascii_upper(name), to_ascii_upper_uncached(name)) << name;
    EXPECT_EQ(to_ascii_upper(name), to_ascii_upper(name)) << name;  // Again, from the table.
  }
  EXPECT_EQ(normalise_name("习近平").text(), "XI JIN PING");
}

}  // namespace
}  // namespace sm::screen
