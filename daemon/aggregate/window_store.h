#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/decimal.h"
#include "model/event_time.h"
#include "sanctions/v1/aggregate.pb.h"
#include "sanctions/v1/alert.pb.h"

namespace sm::aggregate {

// An epoch-aligned event-time window shape: [n*advance, n*advance + size). Tumbling when advance == size.
struct WindowSpec {
  Millis size{3'600'000};
  Millis advance{3'600'000};
  // "1h" for tumbling windows, "30d/1d" for hopping ones.
  std::string name() const;
};

// Parses "1h" (tumbling) or "30d/1d" (hopping: size/advance; advance must divide into size's range).
std::optional<WindowSpec> parse_window_spec(std::string_view text);

// One goods line's contribution, already valued in the reporting currency (nullopt: no rate for its currency).
struct LineContribution {
  std::optional<Decimal> value;
  bool energy = false;
  const std::vector<std::string>* groups = nullptr;  // Product groups; must outlive the add() call.
};

// One event's contribution to every window it falls in.
struct EventContribution {
  EventTime time;
  std::string_view corridor;  // "CN-RU"
  sanctions::v1::CurrencyClass currency_class = sanctions::v1::UNKNOWN;
  sanctions::v1::RiskTier tier = sanctions::v1::LOW;
  std::vector<LineContribution> lines;
  // Counterparty names whose exposure this event adds to (the caller passes them for HIGH and CRITICAL events
  // only); each distinct name gets the event's valued total once.
  std::vector<std::string_view> counterparties;
};

// What add() did with an event.
struct AddOutcome {
  int windows_updated = 0;
  std::vector<std::string> late_windows;  // Names+starts of windows already closed: "1h@2026-03-01T10:00:00Z".
};

// The open windows of one input partition (one stream-time clock), for every configured window shape and
// corridor. Stream time is the largest event time seen; a window closes once stream time reaches its end plus
// `grace`, and an event for a closed window is late: it is not added there, and the caller routes it.
//
// Transactions: changes since the last commit() can be undone with rollback(); changelog() lists exactly
// those changes as state records. Not thread-safe.
class WindowStore {
 public:
  WindowStore(std::vector<WindowSpec> windows, Millis grace, std::string reporting_currency);

  AddOutcome add(const EventContribution& event);

  // Final aggregates of the windows that stream time has closed (and removes them), in key order.
  void take_closed(std::vector<sanctions::v1::Aggregate>& out);
  // Non-final aggregates of the open windows changed since the last take_updates(), in key order. Restored
  // windows count as changed, and so does every open window after a rollback (the updates taken in the aborted
  // transaction were never published).
  void take_updates(std::vector<sanctions::v1::Aggregate>& out);
  // Every open window as final (end of a replayed file), in key order; the store is then empty.
  void take_all_final(std::vector<sanctions::v1::Aggregate>& out);

  void commit();
  void rollback();
  // State changed since the last commit, as (key, value) records; an empty value deletes the key.
  void changelog(std::vector<std::pair<std::string, std::string>>& out) const;
  // Replays one changelog record (restore on partition assignment). False if the record is malformed.
  bool restore(std::string_view key, std::string_view value);

  std::optional<EventTime> stream_time() const { return stream_time_; }
  std::size_t open_windows() const { return windows_.size(); }

  // The output key of an aggregate: "<window name>|<window start>|<corridor>".
  static std::string output_key(const sanctions::v1::Aggregate& aggregate);

 private:
  // Corridors are "XX-YY": held inline so that looking a window up allocates nothing.
  using Corridor = std::array<char, 8>;
  struct Key {
    std::int64_t size_ms = 0;
    std::int64_t advance_ms = 0;
    std::int64_t start_ms = 0;
    Corridor corridor{};
    auto operator<=>(const Key&) const = default;
    std::string corridor_string() const { return std::string(corridor.data()); }
  };
  struct State {
    std::int64_t event_count = 0;
    std::int64_t unvalued_lines = 0;
    Decimal total;
    Decimal total_ex_energy;
    Decimal national_ex_energy;
    std::array<Decimal, 7> by_class{};      // Indexed by CurrencyClass.
    std::array<std::int64_t, 5> by_tier{};  // Indexed by RiskTier.
    std::vector<std::pair<std::string, Decimal>> by_group;  // Sorted by group; a handful per window.
    std::vector<std::pair<std::string, Decimal>> exposure;  // Sorted by counterparty; HIGH/CRITICAL events only.
  };
  struct Slot {
    State state;
    bool undo_recorded = false;  // Its pre-image is in undo_ already.
    bool pending = false;        // Changed (or restored, or rolled back) since the last take_updates().
  };

  Slot& touch(const Key& key);  // Records the pre-image for rollback, marks the window for update.
  static Corridor corridor_of(std::string_view text);
  sanctions::v1::Aggregate to_proto(const Key& key, const State& state, bool final) const;
  static std::string state_key(const Key& key);

  std::vector<WindowSpec> specs_;
  Millis grace_;
  std::string reporting_;
  std::map<Key, Slot> windows_;
  std::optional<EventTime> stream_time_;

  // Pre-images since the last commit, oldest first (a key closed and reopened appears twice; rollback applies
  // them newest first, so the oldest wins).
  std::vector<std::pair<Key, std::optional<State>>> undo_;
  std::optional<std::optional<EventTime>> undo_stream_time_;
};

}  // namespace sm::aggregate
