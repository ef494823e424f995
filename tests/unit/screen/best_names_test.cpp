// BestNames (the screener's candidate selection) must keep exactly what selecting with std::nth_element and
// then sorting under outranks() keeps: the same names in the same order, with ties in rank value broken by
// name, whatever the order in which names are offered.
#include "screen/best_names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace sm::screen {
namespace {

std::vector<RankedName> reference(std::vector<RankedName> all, std::size_t k) {
  const std::size_t keep = std::min(all.size(), k);
  const auto kept_end = all.begin() + static_cast<std::ptrdiff_t>(keep);
  if (keep < all.size()) std::nth_element(all.begin(), kept_end, all.end(), outranks);
  std::sort(all.begin(), kept_end, outranks);
  all.resize(keep);
  return all;
}

void expect_same(const std::vector<RankedName>& offered, std::size_t k) {
  BestNames best(k);
  for (const RankedName& r : offered) best.offer(r.value, r.name);
  const std::vector<RankedName> want = reference(offered, k);
  ASSERT_EQ(best.size(), want.size()) << "k " << k << " of " << offered.size();
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(best.best()[i].name, want[i].name) << "position " << i << ", k " << k << " of " << offered.size();
    ASSERT_EQ(best.best()[i].value, want[i].value) << "position " << i;
  }
  if (best.full() && k > 0) {
    std::vector<float> values;
    values.reserve(offered.size());
    for (const RankedName& r : offered) values.push_back(r.value);
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k - 1), values.end(), std::greater<>());
    EXPECT_EQ(best.last_value(), values[k - 1]);  // What the admission cut-off compares with.
  }
}

TEST(ScreenBestNamesTest, KeepsWhatNthElementThenSortKeeps) {
  std::mt19937 rng(20261129);
  for (const std::size_t n : {0U, 1U, 23U, 24U, 25U, 100U, 1000U, 5000U}) {
    for (const std::size_t k : {0U, 1U, 5U, 24U, 64U}) {
      for (const int distinct_values : {3, 50, 1 << 20}) {  // Few values: many ties broken by name.
        std::vector<RankedName> offered;
        for (std::size_t i = 0; i < n; ++i) {
          const float v = static_cast<float>(rng() % static_cast<unsigned>(distinct_values)) / 7.0F;
          offered.push_back({v, static_cast<std::uint32_t>(rng() % 100000U)});
        }
        // Names are distinct in the screener (each found once); keep the first of any repeated.
        std::sort(offered.begin(), offered.end(), [](const RankedName& a, const RankedName& b) { return a.name < b.name; });
        offered.erase(std::unique(offered.begin(), offered.end(),
                                  [](const RankedName& a, const RankedName& b) { return a.name == b.name; }),
                      offered.end());
        std::shuffle(offered.begin(), offered.end(), rng);
        expect_same(offered, k);
        // Offered worst first (every name enters) and best first (every later name is turned away).
        std::sort(offered.begin(), offered.end(), [](const RankedName& a, const RankedName& b) { return outranks(b, a); });
        expect_same(offered, k);
        std::sort(offered.begin(), offered.end(), outranks);
        expect_same(offered, k);
      }
    }
  }
}

}  // namespace
}  // namespace sm::screen
