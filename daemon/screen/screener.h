#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/result.h"

namespace sm::screen {

struct ListEntry;

// One configured sanctions list: where it is and how to read it.
struct ListSource {
  std::string id;      // Stable id that alerts carry: "OFAC-SDN", "OFAC-CONS", "US-CSL".
  std::string format;  // "ofac-csv" (a directory with sdn.csv/alt.csv/add.csv/sdn_comments.csv, or cons_*.csv),
                       // "csl-csv" (the US Consolidated Screening List CSV file), "un-xml" (UN Security Council
                       // Consolidated List XML), "ofac-xml" (OFAC enhanced XML), "ftm" (FollowTheMoney JSON lines).
  std::string path;    // Absolute, or already resolved by the configuration module.
};

struct ScreenConfig {
  std::vector<ListSource> lists;
  double alert_threshold = 0.85;     // A name match scoring at least this is reported.
  double critical_threshold = 0.95;  // ... and at least this makes the event CRITICAL (via the rules).
};

// What is screened: the name as written plus whatever identifiers the event carries.
enum class SubjectKind { kParty, kBank, kVessel };
struct Query {
  SubjectKind kind = SubjectKind::kParty;
  std::string name;
  std::string country;          // ISO 3166-1 alpha-2, may be empty.
  std::string registration_id;  // Tax/registration number, may be empty.
  std::string bic;              // Banks: SWIFT/BIC, may be empty.
  std::string imo;              // Vessels: IMO number (digits, "IMO" prefix tolerated), may be empty.
};

// A list entry that resembles the query, with the evidence.
struct Match {
  std::string list_id;     // ListSource::id.
  std::string entry_id;    // The list's own id (OFAC ent_num, CSL row id, ...).
  std::string entry_name;  // Primary name of the entry.
  std::string source;      // Sub-list where there is one ("Entity List (EL) - Bureau of Industry and Security").
  std::vector<std::string> programs;  // "RUSSIA-EO14024", "SDGT", ...
  double score = 0.0;                 // 0..1; 1.0 for an identifier match.
  std::string matched_on;             // "name:<the entry name or alias that matched>", "bic:<BIC>", "imo:<IMO>", "id:<number>".
  std::string query_normalised;       // The normalised form of the query name.
  std::string entry_normalised;       // The normalised form of the entry name that matched.
  bool secondary_sanctions_risk = false;  // OFAC remark "Secondary sanctions risk: ...".
  std::uint32_t entry_index = 0;          // Position in the loaded list set: equal scores rank by it.
};

// How many matches screen() and match_names() return unless told otherwise.
inline constexpr std::size_t kDefaultMatchLimit = 10;

// screen()'s result from its two halves: identifier matches, then name matches of entries no identifier
// matched; best score first, equal scores by entry_index; at most `limit`.
std::vector<Match> merge_matches(std::vector<Match> identifier_matches, const std::vector<Match>& name_matches,
                                 std::size_t limit);

// Counts from loading one list.
struct ListLoadSummary {
  std::string list_id;
  std::string path;
  std::size_t entries = 0;
  std::size_t names = 0;        // Primary names plus aliases.
  std::size_t identifiers = 0;  // BIC, IMO, registration numbers parsed.
  std::size_t records_read = 0;  // Records (rows, XML elements, JSON lines) seen, valid or not; 0 where not counted.
  std::size_t skipped = 0;       // Well-formed records that are not listed parties (FtM addresses, sanctions ...).
  std::size_t rejected_rows = 0;
  std::vector<std::string> problems;  // "<file>:<line>: <reason>", at most a few dozen kept.
};

// An immutable, indexed set of sanctions lists. Built once (or on reload, aside), then shared by all
// threads: screen() is const and thread-safe.
class Screener {
 public:
  // Loads every list in `config`. Fails if a list cannot be opened or has no entries; malformed rows are
  // skipped and reported in the summaries.
  static Result<std::shared_ptr<const Screener>> load(const ScreenConfig& config);

  virtual ~Screener() = default;

  // Matches scoring at least `min_score` (identifier matches always), best first, at most `limit`.
  virtual std::vector<Match> screen(const Query& query, double min_score, std::size_t limit = kDefaultMatchLimit) const = 0;

  // The two halves of screen(), for a caller that remembers the costly one: name matches depend only on the
  // query's name and kind (and min_score, limit), identifier matches only on its identifiers and country.
  // screen(q, s, l) == merge_matches(match_identifiers(q), match_names(q, s, l), l).
  virtual std::vector<Match> match_names(const Query& query, double min_score, std::size_t limit = kDefaultMatchLimit) const = 0;
  virtual std::vector<Match> match_identifiers(const Query& query) const = 0;

  // Content hash of the list files (hex); changes whenever any list changes.
  virtual const std::string& version() const = 0;
  virtual const std::vector<ListLoadSummary>& summaries() const = 0;
  virtual const ScreenConfig& config() const = 0;

  // Primary names of entries that carry any of `programs` (all entries when empty), for the event
  // generator's realistic listed counterparties. At most `limit`.
  virtual std::vector<std::string> entry_names(const std::vector<std::string>& programs, std::size_t limit) const = 0;

  // Every entry with the id of its list, in configuration order, for what is derived from the lists as a
  // whole (ownership and "Linked To" relations).
  virtual void for_each_entry(const std::function<void(const std::string& list_id, const ListEntry& entry)>& visit) const = 0;
};

}  // namespace sm::screen
