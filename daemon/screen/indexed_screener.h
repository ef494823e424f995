#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "screen/list_entry.h"
#include "screen/name_index.h"
#include "screen/name_scorer.h"
#include "screen/screener.h"

namespace sm::screen {

// The Screener behind Screener::load(): entries of all lists in one vector, identifier maps for exact
// BIC/IMO/registration look-ups, and a NameIndex for names. Matching: identifiers first (score 1.0), then
// name candidates from the index ranked by IDF-weighted token overlap, then score_names() on the best of them.
class IndexedScreener final : public Screener {
 public:
  struct ListedEntry {
    ListEntry entry;
    std::uint16_t list = 0;  // Index into config().lists.
  };

  struct Options {
    // Stop admitting new candidate names once no name not yet found could rank among the names scored in
    // full (results are the same either way; off only to test that).
    bool prune_candidates = true;
  };

  IndexedScreener(ScreenConfig config, std::vector<ListedEntry> entries, std::vector<ListLoadSummary> summaries,
                  std::string version, Options options);
  IndexedScreener(ScreenConfig config, std::vector<ListedEntry> entries, std::vector<ListLoadSummary> summaries,
                  std::string version)
      : IndexedScreener(std::move(config), std::move(entries), std::move(summaries), std::move(version), Options()) {}

  std::vector<Match> screen(const Query& query, double min_score, std::size_t limit) const override;
  std::vector<Match> match_names(const Query& query, double min_score, std::size_t limit) const override;
  std::vector<Match> match_identifiers(const Query& query) const override;
  const std::string& version() const override { return version_; }
  const std::vector<ListLoadSummary>& summaries() const override { return summaries_; }
  const ScreenConfig& config() const override { return config_; }
  std::vector<std::string> entry_names(const std::vector<std::string>& programs, std::size_t limit) const override;
  void for_each_entry(const std::function<void(const std::string& list_id, const ListEntry& entry)>& visit) const override;

  std::size_t entry_count() const { return entries_.size(); }
  std::size_t indexed_name_count() const { return index_.names().size(); }
  // Queries so far in which the admission cut-off (Options::prune_candidates) stopped admitting names.
  std::uint64_t candidate_cutoffs() const { return cutoffs_.load(std::memory_order_relaxed); }

 private:
  struct IdRef {
    std::uint32_t entry;
    std::uint32_t identifier;  // Index into the entry's identifiers.
  };

  Match make_match(std::uint32_t entry, double score, std::string matched_on) const;
  void find_identifiers(const Query& query, std::unordered_map<std::uint32_t, Match>& found) const;
  void find_names(const Query& query, double min_score, std::unordered_map<std::uint32_t, Match>& found) const;

  ScreenConfig config_;
  Options options_;
  mutable std::atomic<std::uint64_t> cutoffs_{0};
  std::vector<ListEntry> entries_;  // All lists, in configuration order; the index refers to positions here.
  std::vector<std::uint16_t> entry_list_;
  std::vector<ListLoadSummary> summaries_;
  std::string version_;
  NameIndex index_;
  // Each vocabulary token as the scorer takes it (views into index_), in one array: a candidate's tokens are
  // gathered with one memory access each.
  std::vector<WeightedToken> scored_tokens_;
  std::unordered_map<std::string, std::vector<IdRef>> bic_;  // Keyed by the first 8 characters.
  std::unordered_map<std::string, std::vector<IdRef>> imo_;
  std::unordered_map<std::string, std::vector<IdRef>> registration_;
};

}  // namespace sm::screen
