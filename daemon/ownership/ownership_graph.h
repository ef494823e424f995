#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/decimal.h"
#include "model/result.h"
#include "screen/list_entry.h"

namespace sm::ownership {

// Ownership and control around listed parties: who holds what share of whom (an ownership CSV file and the
// lists' own ownership relations) and who is linked to a listed entry ("Linked To", "Director of", ...), turned
// into a per-party judgement under OFAC's 50% rule.
//
// The rule implemented (OFAC, "Revised Guidance on Entities Owned by Persons Whose Property and Interests in
// Property Are Blocked", 13 August 2014, and FAQs 398-402):
//   - a listed party is blocked;
//   - an entity is blocked when the shares held in it directly by blocked parties add up to 50% or more
//     (aggregated across all blocked owners, exact decimal sum, so 49.999999% is not blocked);
//   - "indirectly" means through an entity that is itself blocked: its whole holding counts, not multiplied
//     down (X holds 60% of B, B holds 25% of A: 25% of A counts as blocked); a holding through an entity that
//     is not blocked does not count at all (no look-through multiplication).
// Blocked status is the least fixed point of these rules, so ownership cycles neither loop nor block anyone by
// themselves.

// A listed party as the lists know it.
struct ListedRef {
  std::string list_id;   // "OFAC-SDN"
  std::string entry_id;  // "12345"
  std::string name;      // The entry's primary name.
};

// `owner` holds `share` percent of `owned`.
struct Holding {
  std::string owner;
  std::string owned;
  Decimal share;               // Percent, 0 < share <= 100, exact.
  std::string owner_list_id;   // The owner's listing as the record declares it; "" when not declared.
  std::string owner_entry_id;
  std::string source;          // Where the record comes from: the file's own source column, or "<file>:<line>".
};

// A party linked to a listed entry without a known share.
struct Link {
  std::string party;
  ListedRef listed;
  std::string relation;  // As the list words it: "Linked To", "Director of", "Owned or Controlled By".
};

struct OwnershipData {
  std::vector<Holding> holdings;
  std::vector<Link> links;
  std::size_t rows_read = 0;
  std::vector<std::string> problems;  // "<file>:<line>: <reason>" of each row skipped.
};

// Reads an ownership CSV (RFC 4180, header row first). Columns, in any order: owner_name, owned_name,
// share_percent (required); owner_list_id, owner_entry_id, source (optional). A malformed row is reported in
// `problems` and skipped; a missing required column or an unknown one fails the whole file.
Result<OwnershipData> parse_ownership_csv(std::string_view text, const std::string& source);
Result<OwnershipData> load_ownership_file(const std::string& path);

// Adds what one list entry states about its relations: "Owns" with a share becomes a holding of the entry;
// every other relation (with or without a share) makes the other party linked to the entry.
void add_list_relations(OwnershipData& data, const std::string& list_id, const screen::ListEntry& entry);

// The key parties are compared by: the normalised name (screen::normalise_name, legal forms set aside).
std::string party_key(std::string_view name);

// What is known about one party that is not itself listed.
struct Control {
  bool blocked = false;      // Blocked under the 50% rule.
  Decimal listed_share;      // Percent held directly by blocked parties (for a blocked party: by those that block it).
  std::string path;          // "ACME LLC <- 30% OWNER A (OFAC-SDN 12345) + 25% HOLDCO B [<- 60% OWNER A (OFAC-SDN 12345)]"
  std::vector<std::string> links;  // "Linked To EXAMPLE TRADING LLC (SAMPLE 90001)"
};

// Ownership data judged against the lists. Immutable once built; find() is thread-safe.
class ControlIndex {
 public:
  // Says whether a party named in the ownership data is listed; `list_id`/`entry_id` are what the record
  // declares ("" when it declares nothing). Called once per distinct owner.
  using ResolveListed =
      std::function<std::optional<ListedRef>(const std::string& name, const std::string& list_id, const std::string& entry_id)>;

  static ControlIndex build(const OwnershipData& data, const ResolveListed& resolve);

  // The judgement on a party, by name as written; nullptr when no blocked party owns any of it and it has no link.
  const Control* find(std::string_view party_name) const;
  // The same by party_key(party_name), for a caller that remembers keys.
  const Control* find_by_key(const std::string& key) const;
  bool empty() const { return by_key_.empty(); }
  std::size_t size() const { return by_key_.size(); }
  // Rows skipped on reading and inconsistent data (shares over 100%, a holding stated twice differently).
  const std::vector<std::string>& problems() const { return problems_; }
  void add_problems(std::vector<std::string> more) { problems_.insert(problems_.begin(), more.begin(), more.end()); }

 private:
  std::unordered_map<std::string, Control> by_key_;
  std::vector<std::string> problems_;
};

// "30", "12.5", "49.999999": a percentage without trailing zeros.
std::string format_percent(Decimal share);

}  // namespace sm::ownership
