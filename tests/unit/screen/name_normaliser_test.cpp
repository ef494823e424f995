#include "screen/name_normaliser.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "model/csv_reader.h"
#include "screen/list_loader.h"
#include "testing/test_paths.h"

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


bool has_non_ascii(const std::string& s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

// Every name of the real lists, every cell of the name-match files, every text of the UN and OFAC XML lists
// (original scripts: Arabic, Cyrillic, Chinese ...) and names as the event generator writes them: converted
// word by word, first seen and remembered, each gives what the full transliterator gives for the whole text.
TEST(ScreenNameNormaliserTest, WordByWordConversionEqualsTheWholeText) {
  std::vector<std::string> texts = {"ООО «Ромашка Трейд»", "ТОО «Алтын Сауда»", "深圳华为(香港)贸易有限公司",
                                    "АО \"Пасит\"", "Ё Ёлкин  Е Ежов", "Йошкар Ола", "Сергей Ьвов ъ", "  Ёж ",
                                    "Ali  عبد  الله", "\xc3 x", "x \xcc\x81",
                                    // Thai words take their own transliterator: marks, digits, a sign of repetition.
                                    "สมชาย ใจดี", "กรุงเทพฯ ๑๒๓", "น้ำ ก๊ก เก๋ๆ", "ธนาคาร กสิกรไทย"};
  const std::string sanctions = sm::testing::shared_data_dir() + "/sanctions/";
  for (const ListSource& src : {ListSource{"SDN", "ofac-csv", sanctions + "ofac-sdn"},
                                ListSource{"CONS", "ofac-csv", sanctions + "ofac-cons"},
                                ListSource{"CSL", "csl-csv", sanctions + "us-csl/consolidated.csv"}}) {
    auto loaded = load_list(src);
    ASSERT_TRUE(loaded.ok()) << src.path;
    for (const auto& e : loaded->entries) {
      for (const auto& n : e.names) {
        if (has_non_ascii(n.text)) texts.push_back(n.text);
      }
    }
  }
  for (const auto& file : std::filesystem::directory_iterator(sm::testing::shared_data_dir() + "/name-match")) {
    const std::string content = sm::testing::read_file(file.path().string());
    CsvReader reader(content);
    std::vector<std::string> fields;
    std::string problem;
    while (reader.next(fields, problem) != CsvReader::Status::kEnd) {
      for (const auto& f : fields) {
        if (has_non_ascii(f)) texts.push_back(f);
      }
    }
  }
  for (const char* xml : {"/un/UN_consolidated.xml", "/ofac-enhanced/CONS_ENHANCED.XML"}) {
    const std::string content = sm::testing::read_file(sanctions + xml);
    ASSERT_FALSE(content.empty()) << xml;
    for (std::size_t open = content.find('>'); open != std::string::npos; open = content.find('>', open + 1)) {
      const std::size_t close = content.find('<', open);
      if (close == std::string::npos) break;
      std::string text = content.substr(open + 1, close - open - 1);
      if (text.size() < 300 && has_non_ascii(text)) texts.push_back(std::move(text));
    }
  }
  ASSERT_GT(texts.size(), 3000U);
  forget_converted_words();
  std::size_t differ = 0;
  for (int pass = 0; pass < 2; ++pass) {  // First sight, then from remembered words.
    for (const std::string& t : texts) {
      const std::string expected = to_ascii_upper_uncached(t);
      if (to_ascii_upper(t) != expected && ++differ < 20) ADD_FAILURE() << "\"" << t << "\" -> \"" << to_ascii_upper(t) << "\", whole: \"" << expected << "\"";
    }
  }
  EXPECT_EQ(differ, 0U);
}

}  // namespace
}  // namespace sm::screen
