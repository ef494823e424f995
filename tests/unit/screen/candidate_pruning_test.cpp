// The admission cut-off of candidate generation (IndexedScreener::Options::prune_candidates) must never change
// a result: every labelled query of the name-match data (yente's UN positives, treated and untreated, and
// negatives; both sides of nomenklatura's pairs) is screened against SDN + CONS + CSL + UN with and without it,
// and the full results (entries, matched names, scores to the last bit, in order) must be equal, at the alert
// threshold and at a low one (more matches compared). It must also have cut somewhere, or the test says nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "screen/indexed_screener.h"
#include "screen/list_loader.h"
#include "screen/name_normaliser.h"
#include "screen/name_scorer.h"
#include "screen/token_similarity.h"
#include "testing/csv_rows.h"
#include "testing/test_paths.h"

namespace sm::screen {
namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& rel) {
  return sm::testing::csv_rows_after_header(sm::testing::shared_data_dir() + "/name-match/" + rel);
}

ScreenConfig lists() {
  const std::string d = sm::testing::shared_data_dir() + "/sanctions/";
  ScreenConfig c;
  c.lists = {{"OFAC-SDN", "ofac-csv", d + "ofac-sdn"},
             {"OFAC-CONS", "ofac-csv", d + "ofac-cons"},
             {"US-CSL", "csl-csv", d + "us-csl/consolidated.csv"},
             {"UN", "un-xml", d + "un/UN_consolidated.xml"}};
  return c;
}

std::unique_ptr<IndexedScreener> build(const ScreenConfig& config, bool prune) {
  std::vector<IndexedScreener::ListedEntry> entries;
  for (std::size_t l = 0; l < config.lists.size(); ++l) {
    auto loaded = load_list(config.lists[l]);
    if (!loaded) return nullptr;
    for (auto& e : loaded->entries) entries.push_back({std::move(e), static_cast<std::uint16_t>(l)});
  }
  IndexedScreener::Options options;
  options.prune_candidates = prune;
  return std::make_unique<IndexedScreener>(config, std::move(entries), std::vector<ListLoadSummary>{}, "test", options);
}

std::string describe(const std::vector<Match>& matches) {
  std::string out;
  for (const Match& m : matches) {
    char score[32];
    std::snprintf(score, sizeof score, "%a", m.score);  // Every bit.
    out += m.list_id + ":" + m.entry_id + " " + score + " " + m.matched_on + " [" + m.query_normalised + "|" +
           m.entry_normalised + "]\n";
  }
  return out;
}

TEST(ScreenCandidatePruningTest, CutOffNeverChangesResultsOnLabelledData) {
  const ScreenConfig config = lists();
  const auto pruned = build(config, true);
  const auto exhaustive = build(config, false);
  ASSERT_NE(pruned, nullptr);
  ASSERT_NE(exhaustive, nullptr);

  std::vector<std::string> queries;
  for (const char* file : {"yente-positives_un_untreated.csv", "yente-positives_un_treated.csv",
                           "yente-negatives_global.csv", "yente-negatives_us.csv"}) {
    for (const auto& row : read_csv(file)) {
      if (!row.empty() && !row[0].empty()) queries.push_back(row[0]);
    }
  }
  for (const auto& row : read_csv("nomenklatura-cases.csv")) {
    if (row.size() >= 4) {
      queries.push_back(row[2]);
      queries.push_back(row[3]);
    }
  }
  ASSERT_GT(queries.size(), 5000U);

  std::size_t with_matches = 0;
  for (const std::string& name : queries) {
    for (const double threshold : {0.85, 0.5}) {
      Query q;
      q.name = name;
      const auto a = pruned->screen(q, threshold, 50);
      const auto b = exhaustive->screen(q, threshold, 50);
      with_matches += a.empty() ? 0 : 1;
      ASSERT_EQ(describe(a), describe(b)) << "query: " << name << " at " << threshold;
    }
  }
  std::printf("%zu queries, %zu screenings with matches, cut-off applied in %llu\n", queries.size(), with_matches,
              static_cast<unsigned long long>(pruned->candidate_cutoffs()));
  EXPECT_GT(with_matches, 1000U);
  EXPECT_GT(pruned->candidate_cutoffs(), 500U);  // The cut-off was exercised, not just compiled.
  EXPECT_EQ(exhaustive->candidate_cutoffs(), 0U);
}

// score_names() with a floor stops comparing a candidate once a bound of its score falls below the floor.
// Over both orders of every nomenklatura pair, with weights that vary from token to token (as IDF weights do)
// and with and without initials: at each floor the result is the exact score when that reaches the floor,
// and below the floor otherwise; with a pair cache shared by one query's candidates as the screener uses it.
TEST(ScreenCandidatePruningTest, ScoreBoundNeverDropsAScoreThatReachesTheFloor) {
  struct Side {
    NormalisedName name;
    std::vector<std::string> keys;
    std::vector<LetterCounts> letters;
    std::vector<WeightedToken> tokens;
  };
  std::unordered_map<std::string, std::uint32_t> vocabulary;  // One id per distinct token, as the index gives.
  auto side = [&vocabulary](const std::string& text, std::uint32_t salt) {
    auto s = std::make_unique<Side>();
    s->name = normalise_name(text);
    s->keys.reserve(s->name.tokens.size());
    s->letters.resize(s->name.tokens.size());
    for (std::size_t i = 0; i < s->name.tokens.size(); ++i) {
      const std::string& t = s->name.tokens[i];
      s->keys.push_back(phonetic_key(t));
      const bool counted = letter_counts(t, s->letters[i]);
      const double weight = 0.05 + static_cast<double>((std::hash<std::string>()(t) + salt) % 96) / 100.0;
      const std::uint32_t id = vocabulary.emplace(t, static_cast<std::uint32_t>(vocabulary.size())).first->second;
      s->tokens.push_back({t, s->keys[i], weight, id, counted ? &s->letters[i] : nullptr});
    }
    return s;
  };
  std::size_t reached = 0;
  std::size_t missed = 0;
  TokenPairCache cache;
  for (const auto& row : read_csv("nomenklatura-cases.csv")) {
    if (row.size() < 4) continue;
    for (const bool swap : {false, true}) {
      const auto a = side(swap ? row[3] : row[2], 0);
      const auto b = side(swap ? row[2] : row[3], 7);
      for (const bool initials : {true, false}) {
        const double exact = score_names(a->tokens, b->tokens, initials);
        for (const double floor : {0.5, 0.75, 0.85, 0.9}) {
          cache.start(0);
          // A few other candidates first, so that the cache holds the query's pairs and joined tokens.
          static_cast<void>(score_names(a->tokens, a->tokens, initials, nullptr, &cache, floor));
          const double cached = score_names(a->tokens, b->tokens, initials, nullptr, &cache, floor);
          const double plain = score_names(a->tokens, b->tokens, initials, nullptr, nullptr, floor);
          if (exact >= floor) {
            ++reached;
            ASSERT_EQ(plain, exact) << row[2] << " | " << row[3] << " at " << floor;
            ASSERT_EQ(cached, exact) << row[2] << " | " << row[3] << " at " << floor;
          } else {
            ++missed;
            ASSERT_LT(plain, floor) << row[2] << " | " << row[3] << " at " << floor;
            ASSERT_LT(cached, floor) << row[2] << " | " << row[3] << " at " << floor;
          }
        }
      }
    }
  }
  EXPECT_GT(reached, 1000U);
  EXPECT_GT(missed, 1000U);
}

}  // namespace
}  // namespace sm::screen
