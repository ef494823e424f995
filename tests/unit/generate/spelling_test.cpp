#include "generate/spelling.h"

#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace sm::generate {
namespace {

const std::set<std::string> kFormWords = {"LIMITED", "LIABILITY", "COMPANY", "OOO", "LLC", "JOINT", "STOCK", "AO",
                                          "JSC", "PUBLIC", "PJSC", "PAO", "CO", "LTD"};

// The upper-cased words of `name` without punctuation, legal-form words removed.
std::vector<std::string> core_words(const std::string& name) {
  std::string clean;
  for (const char c : name) {
    clean.push_back(std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : ' ');
  }
  std::istringstream in(clean);
  std::vector<std::string> words;
  for (std::string w; in >> w;) {
    if (!kFormWords.count(w)) words.push_back(w);
  }
  return words;
}

TEST(VaryListedName, DocumentLikeVariationsWithAtMostOneTypo) {
  const std::string name = "LIMITED LIABILITY COMPANY TORGOVY DOM SEVERNAYA VERF";
  const auto original = core_words(name);
  std::uint64_t state = 99;
  Rng rng(state);
  std::map<std::string, int> seen;
  int typos = 0, reordered = 0, form_changed = 0, lower = 0, quoted = 0;
  for (int i = 0; i < 4000; ++i) {
    const std::string v = vary_listed_name(name, rng);
    ++seen[v];
    const auto words = core_words(v);
    ASSERT_EQ(words.size(), original.size()) << v;
    // The same words, in the same or a swapped order, with one of them mistyped at most.
    std::multiset<std::string> a(original.begin(), original.end()), b(words.begin(), words.end());
    std::vector<std::string> only_b;
    std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
    ASSERT_LE(only_b.size(), 1u) << v;
    if (!only_b.empty()) {
      ++typos;
      EXPECT_GE(only_b[0].size(), 4u) << v;
      EXPECT_NE(only_b[0], "DOM") << v;  // Short words are never mistyped.
    }
    reordered += only_b.empty() && words != original;
    form_changed += v.find("LIMITED LIABILITY COMPANY") == std::string::npos &&
                    v.find("Limited Liability Company") == std::string::npos &&
                    v.find("limited liability company") == std::string::npos;
    lower += v.find("dom") != std::string::npos;
    quoted += v.find('"') != std::string::npos;
  }
  EXPECT_GT(seen[name], 800);  // About a quarter unchanged.
  EXPECT_LT(seen[name], 1400);
  EXPECT_GT(seen.size(), 200u);
  EXPECT_GT(typos, 300);
  EXPECT_GT(reordered, 200);
  EXPECT_GT(form_changed, 1000);
  EXPECT_GT(lower, 100);
  EXPECT_GT(quoted, 100);
}

TEST(VaryListedName, ChangesTheLegalFormToItsRussianAndEnglishEquivalents) {
  std::uint64_t state = 7;
  Rng rng(state);
  std::set<std::string> forms;
  for (int i = 0; i < 2000; ++i) {
    const std::string v = vary_listed_name("ALFA TRADE LLC", rng);
    for (const char* f : {"OOO", "Ooo", "ooo", "LIMITED LIABILITY COMPANY", "Limited Liability Company"}) {
      if (v.find(f) != std::string::npos) forms.insert(f);
    }
    if (v.rfind("OOO ", 0) == 0) forms.insert("OOO in front");
  }
  EXPECT_TRUE(forms.count("OOO"));
  EXPECT_TRUE(forms.count("LIMITED LIABILITY COMPANY"));
  EXPECT_TRUE(forms.count("OOO in front"));
}

TEST(VaryListedName, LeavesNonLatinScriptUnmistypedAndIsDeterministic) {
  std::uint64_t s1 = 3, s2 = 3;
  Rng a(s1), b(s2);
  for (int i = 0; i < 500; ++i) {
    const std::string v = vary_listed_name("ООО «РОМАШКА»", a);
    EXPECT_EQ(v, vary_listed_name("ООО «РОМАШКА»", b));
    EXPECT_NE(v.find("РОМАШКА"), std::string::npos) << v;
  }
}

}  // namespace
}  // namespace sm::generate
