#include "screen/token_similarity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

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

// The textbook dynamic programme, to check the bit-parallel distance against.
std::size_t reference_levenshtein(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
  }
  return d[a.size()][b.size()];
}

// Deterministic token-like strings over a small alphabet (so that pairs are often similar), 1..90 characters.
std::vector<std::string> sample_tokens() {
  std::vector<std::string> out;
  std::uint64_t x = 88172645463325252ULL;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const std::string alphabet = "AEIOUMNRSTKHLD1";
  for (int i = 0; i < 400; ++i) {
    const std::size_t len = 1 + next() % (i % 10 == 0 ? 90 : 12);
    std::string t;
    for (std::size_t k = 0; k < len; ++k) t.push_back(alphabet[next() % (i % 3 == 0 ? 5 : alphabet.size())]);
    out.push_back(t);
    if (t.size() > 3) {  // A near copy.
      t[next() % t.size()] = 'A';
      t.erase(next() % t.size(), 1);
      out.push_back(t);
    }
  }
  return out;
}

TEST(ScreenTokenSimilarityTest, BitParallelLevenshteinIsExact) {
  const auto tokens = sample_tokens();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    for (std::size_t j = i; j < tokens.size() && j < i + 40; ++j) {
      ASSERT_EQ(levenshtein(tokens[i], tokens[j]), reference_levenshtein(tokens[i], tokens[j])) << tokens[i] << " " << tokens[j];
    }
  }
  EXPECT_EQ(levenshtein("", "ABC"), 3U);
  EXPECT_EQ(levenshtein(std::string(70, 'A'), std::string(66, 'A') + "B"), 4U);
}

// Names written together run to hundreds of characters: the distance over several 64-bit words (the
// difference carried from word to word) against the textbook programme, at lengths around the word edges.
TEST(ScreenTokenSimilarityTest, BitParallelLevenshteinIsExactOverSeveralWords) {
  const auto tokens = sample_tokens();
  std::vector<std::string> longs;
  std::size_t k = 0;
  for (const std::size_t len : {63U, 64U, 65U, 100U, 127U, 128U, 129U, 191U, 192U, 193U, 250U, 300U}) {
    for (int copy = 0; copy < 4; ++copy) {
      std::string t;
      while (t.size() < len) t += tokens[k++ % tokens.size()];
      t.resize(len);
      longs.push_back(t);
      std::string near = t;  // A few edits apart, in different words of the column.
      near.erase(len / 3, 1);
      near[len / 2] = near[len / 2] == 'A' ? 'E' : 'A';
      near.insert(near.size() - 1, "K");
      longs.push_back(near);
    }
  }
  longs.push_back(std::string(130, 'A'));
  longs.push_back(std::string(65, 'A') + std::string(65, 'B'));
  for (std::size_t i = 0; i < longs.size(); ++i) {
    for (std::size_t j = i; j < longs.size() && j < i + 30; ++j) {
      ASSERT_EQ(levenshtein(longs[i], longs[j]), reference_levenshtein(longs[i], longs[j])) << longs[i] << " " << longs[j];
    }
    ASSERT_EQ(levenshtein(longs[i], tokens[i % tokens.size()]), reference_levenshtein(longs[i], tokens[i % tokens.size()]));
  }
}

// The textbook Jaro-Winkler (the first unmatched equal character in the window, scanning), to check the
// bit-parallel matching against.
double reference_jaro_winkler(std::string a, std::string b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a == b) return 1.0;
  const std::size_t window = std::max<std::size_t>(std::max(a.size(), b.size()) / 2, 1) - 1;
  a = a.substr(0, 64);
  b = b.substr(0, 64);
  std::vector<bool> ma(a.size());
  std::vector<bool> mb(b.size());
  double matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (std::size_t j = i > window ? i - window : 0; j < std::min(i + window + 1, b.size()); ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  double transpositions = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j++]) ++transpositions;
  }
  const double jaro = (matches / static_cast<double>(a.size()) + matches / static_cast<double>(b.size()) +
                       (matches - transpositions / 2.0) / matches) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

TEST(ScreenTokenSimilarityTest, BitParallelJaroWinklerIsExact) {
  auto tokens = sample_tokens();
  std::string joined;
  for (std::size_t i = 0; i < 60; ++i) {  // Over 64 characters: both sides cut at 64, the window from the whole.
    joined += tokens[i];
    tokens.push_back(joined);
  }
  tokens.push_back("\xC3\x89" "COLE");  // Any byte, not only ASCII.
  tokens.push_back("\xC3\x89" "COLES");
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    for (std::size_t j = i; j < tokens.size() && j < i + 40; ++j) {
      ASSERT_EQ(jaro_winkler(tokens[i], tokens[j]), reference_jaro_winkler(tokens[i], tokens[j])) << tokens[i] << " " << tokens[j];
      ASSERT_EQ(jaro_winkler(tokens[j], tokens[i]), reference_jaro_winkler(tokens[j], tokens[i])) << tokens[j] << " " << tokens[i];
    }
  }
}

TEST(ScreenTokenSimilarityTest, ThresholdedSimilarityIsExactAboveItsThreshold) {
  const auto tokens = sample_tokens();
  for (const double min : {0.75, 0.9, 0.5}) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      for (std::size_t j = i; j < tokens.size() && j < i + 40; ++j) {
        const std::string& a = tokens[i];
        const std::string& b = tokens[j];
        const std::string ka = phonetic_key(a);
        const std::string kb = phonetic_key(b);
        const double exact = token_similarity(a, b, ka, kb);
        const double got = token_similarity_at_least(a, b, ka, kb, min);
        // The same with letter counts made beforehand, as the screener passes them for listed tokens.
        LetterCounts ca;
        LetterCounts cb;
        ASSERT_TRUE(letter_counts(a, ca) && letter_counts(b, cb));
        const double counted = token_similarity_at_least(a, b, ka, kb, min, &ca, &cb);
        if (exact >= min) {
          ASSERT_EQ(got, exact) << a << " " << b;
          ASSERT_EQ(counted, exact) << a << " " << b;
        } else {
          ASSERT_LT(got, min) << a << " " << b;
          ASSERT_LT(counted, min) << a << " " << b;
        }
      }
    }
  }
}

// The scorer adds up a name's tokens' letter counts for its tokens written together: the sum must be the
// counts of the concatenation, for every run of the sample's tokens up to letter_counts()' 127 characters.
TEST(ScreenTokenSimilarityTest, AddedLetterCountsAreTheConcatenationsCounts) {
  const auto tokens = sample_tokens();
  std::size_t compared = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string text;
    LetterCounts sum;
    for (std::size_t j = i; j < tokens.size() && text.size() + tokens[j].size() <= 127; ++j) {
      LetterCounts part;
      ASSERT_TRUE(letter_counts(tokens[j], part));
      add_letter_counts(sum, part);
      text += tokens[j];
      LetterCounts whole;
      ASSERT_TRUE(letter_counts(text, whole));
      ASSERT_EQ(sum.n, whole.n) << text;
      ++compared;
    }
  }
  EXPECT_GT(compared, 1000U);
}

// Names written together ("FEDERALSTATEUNITARY...") are compared as one string by the name scorer; Jaro-Winkler
// reads only their first 64 characters and the letter counts of strings over 127 characters are kept wide, so
// the cheap bounds are checked on such strings too: near copies (which must keep their exact value) and
// unrelated ones, around the thresholds the scorer uses (0.75 for tokens, 0.85 / 0.95 for joined names).
TEST(ScreenTokenSimilarityTest, ThresholdedSimilarityIsExactOnLongJoinedStrings) {
  const auto tokens = sample_tokens();
  std::vector<std::string> joined;
  for (std::size_t i = 0; i + 12 < tokens.size(); i += 3) {
    std::string t;
    for (std::size_t k = i; t.size() < 60 + (i % 7) * 25 && k < tokens.size(); ++k) t += tokens[k];
    joined.push_back(t);
    std::string near = t;
    near.erase(i % near.size(), 1);
    near[(i * 7) % near.size()] = 'A';
    joined.push_back(near);
    joined.push_back(near.substr(0, near.size() - near.size() / 9));
  }
  joined.push_back(std::string(150, 'A'));
  joined.push_back(std::string(140, 'A') + std::string(6, 'B'));
  joined.push_back(std::string(130, 'A') + std::string(70, 'N'));
  std::size_t above = 0;
  std::size_t below = 0;
  for (const double min : {0.75, 0.85 / 0.95, 0.5}) {
    for (std::size_t i = 0; i < joined.size(); ++i) {
      for (std::size_t j = i + 1; j < joined.size() && j < i + 12; ++j) {
        const std::string& a = joined[i];
        const std::string& b = joined[j];
        const double exact = token_similarity(a, b, {}, {});
        const double got = token_similarity_at_least(a, b, {}, {}, min);
        if (exact >= min) {
          ++above;
          ASSERT_EQ(got, exact) << a << " " << b;
        } else {
          ++below;
          ASSERT_LT(got, min) << a << " " << b;
        }
      }
    }
  }
  EXPECT_GT(above, 100U);  // Both sides of each threshold are exercised.
  EXPECT_GT(below, 100U);
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
