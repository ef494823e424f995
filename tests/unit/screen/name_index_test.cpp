// NameIndex remembers at build() the variants of every vocabulary token; variants() must give exactly what
// searching the fuzzy doors gives (searched_variants(): the same tokens, similarities to the last bit, in the
// same order), for every token of SDN + CONS + CSL + UN, and search as before whenever what it remembered does
// not apply: tokens not listed as written, another sound key, another similarity.
#include "screen/name_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "screen/list_loader.h"
#include "screen/token_similarity.h"
#include "testing/test_paths.h"

namespace sm::screen {
namespace {

constexpr double kRemembered = 0.75;  // As the screener builds its index.

std::vector<ListEntry> all_lists() {
  const std::string d = sm::testing::shared_data_dir() + "/sanctions/";
  const std::vector<ListSource> sources = {{"OFAC-SDN", "ofac-csv", d + "ofac-sdn"},
                                           {"OFAC-CONS", "ofac-csv", d + "ofac-cons"},
                                           {"US-CSL", "csl-csv", d + "us-csl/consolidated.csv"},
                                           {"UN", "un-xml", d + "un/UN_consolidated.xml"}};
  std::vector<ListEntry> entries;
  for (const ListSource& source : sources) {
    auto loaded = load_list(source);
    if (!loaded) return {};
    for (auto& e : loaded->entries) entries.push_back(std::move(e));
  }
  return entries;
}

// Same tokens, same order, same similarity bits.
std::string differs(const std::vector<NameIndex::Variant>& got, const std::vector<NameIndex::Variant>& want) {
  if (got.size() != want.size()) return "sizes " + std::to_string(got.size()) + " vs " + std::to_string(want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].token != want[i].token || got[i].similarity != want[i].similarity) return "at " + std::to_string(i);
  }
  return {};
}

TEST(ScreenNameIndexTest, RememberedVariantsAreTheSearchedOnes) {
  const std::vector<ListEntry> entries = all_lists();
  ASSERT_GT(entries.size(), 20000U);
  NameIndex index;
  index.build(entries, kRemembered);
  ASSERT_GT(index.token_count(), 10000U);

  std::vector<NameIndex::Variant> got;
  std::vector<NameIndex::Variant> want;
  std::size_t with_variants = 0;
  std::size_t beyond_itself = 0;
  for (std::uint32_t id = 0; id < index.token_count(); ++id) {
    const std::string& t = index.token(id);
    const std::string& key = index.key(id);
    ASSERT_EQ(index.find(t), id);
    ASSERT_EQ(index.prefetch_variants(t, key), id);  // The screener passes it on to variants().
    index.variants(t, key, kRemembered, got);
    index.searched_variants(t, key, kRemembered, want);
    ASSERT_EQ(differs(got, want), "") << t;
    with_variants += got.empty() ? 0 : 1;
    beyond_itself += got.size() > 1 ? 1 : 0;

    if (id % 7 != 0) continue;  // The fallbacks on a sample: each is a search.
    // Another similarity, another key: searched, not remembered.
    index.variants(t, key, 0.85, got);
    index.searched_variants(t, key, 0.85, want);
    ASSERT_EQ(differs(got, want), "") << t << " at 0.85";
    index.variants(t, "", kRemembered, got);
    index.searched_variants(t, "", kRemembered, want);
    ASSERT_EQ(differs(got, want), "") << t << " without its key";
    // Not listed as written: a typo of a listed token.
    if (t.size() >= 5) {
      std::string typo = t;
      typo.erase(2, 1);
      typo += 'Q';
      if (index.find(typo) == NameIndex::kNotListed) {
        const std::string typo_key = phonetic_key(typo);
        ASSERT_EQ(index.prefetch_variants(typo, typo_key), NameIndex::kNotListed) << typo;
        index.variants(typo, typo_key, kRemembered, got);
        index.searched_variants(typo, typo_key, kRemembered, want);
        ASSERT_EQ(differs(got, want), "") << typo;
      }
    }
  }
  EXPECT_EQ(with_variants, index.token_count());  // Each listed token finds at least itself.
  EXPECT_GT(beyond_itself, 1000U);                // ... and many find neighbours, so the lists say something.
}

}  // namespace
}  // namespace sm::screen
