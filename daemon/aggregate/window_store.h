#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aggregate/totals.h"
#include "model/decimal.h"
#include "model/event_time.h"
#include "sanctions/v1/aggregate.pb.h"
#include "sanctions/v1/alert.pb.h"

namespace google::protobuf::io {
class CodedOutputStream;
}

namespace sm::aggregate {

// An epoch-aligned event-time window shape: [n*advance, n*advance + size). Tumbling when advance == size.
struct WindowSpec {
  Millis size{3'600'000};
  Millis advance{3'600'000};
  // "1h" for tumbling windows, "30d/1d" for hopping ones.
  std::string name() const;
  // The length of the panes that tile every window of this shape: gcd(size, advance) (the advance when it
  // divides the size, as in "30d/1d").
  Millis pane() const;
};

// Parses "1h" (tumbling) or "30d/1d" (hopping: size/advance, advance <= size).
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

// A partial whose counterparty exposure is already in protobuf wire form: a day's close on one partition writes
// some 20,000 exposure entries, and as a protobuf map each would be built (three allocations), then serialised
// and freed. `head` is the partial without counterparty_exposure; `exposure` holds that map's entries encoded
// as fields of Aggregate, so that head's serialisation followed by `exposure` is the whole partial's (a parser
// merges map entries wherever in the message they come).
struct EncodedPartial {
  sanctions::v1::Aggregate head;
  std::string exposure;
  // The whole partial's bytes, into `out` (replaced).
  void serialise(std::string& out) const;
  // The whole partial as a message.
  sanctions::v1::Aggregate message() const;
};

// Stage 1 of the aggregation for one input partition (one stream-time clock), as *panes*: per pane length
// (WindowSpec::pane(); shapes with equal pane length share panes), pane start and corridor, the totals of the
// events in it. An event updates one pane per distinct pane length; a window is the sum of its panes.
//
// Stream time is the largest event time seen. A window closes once stream time reaches its end plus `grace`;
// an event is late for the windows already closed: it is listed for them, and is added to its panes only if
// some window holding it is still open. When a window closes its sum is taken at once (take_closed()), so that
// later additions to its panes (for longer windows still open) never reach it. A pane is dropped when the last
// window holding it has closed.
//
// Transactions: changes since the last commit() can be undone with rollback(); changelog() lists exactly
// those changes as state records (docs/AGGREGATES.md: one per changed pane, one per changed counterparty of a
// pane), and restore() rebuilds the same state from them. Not thread-safe.
class WindowStore {
 public:
  WindowStore(std::vector<WindowSpec> windows, Millis grace, std::string reporting_currency);

  AddOutcome add(const EventContribution& event);

  // Calls work(i) for every i in [0, n), perhaps on several threads at once, and returns when all have returned.
  using ParallelFor = std::function<void(std::size_t n, const std::function<void(std::size_t)>& work)>;
  // Lets add() sum the counterparty exposure of the windows it closes with `parallel_for` (each call sums one
  // window, reading the panes they share) when there are kParallelSumEntries or more entries to sum: at a day
  // boundary with 29 days of history, one partition's sums take ~17 ms on one thread and ~10 on two
  // (aggregate_bench DayClose). Unset (the default), they are summed one after another on the caller's thread.
  void set_parallel_for(ParallelFor parallel_for);
  static constexpr std::size_t kParallelSumEntries = 4096;

  // Final window partials (PARTIAL_FINAL_WINDOW, final) of the windows stream time closed since the last call
  // that hold an event of their corridor, in key order (size, advance, start, corridor).
  void take_closed(std::vector<EncodedPartial>& out);
  // Pane partials (PARTIAL_PANE, not final, the pane's complete state) of the panes changed since the last
  // take_updates(), in key order. Restored panes count as changed, and so does every pane after a rollback (the
  // updates taken in the aborted transaction were never published).
  void take_updates(std::vector<EncodedPartial>& out);
  // Every window not closed yet as final (end of a replayed file), in key order; the store is then empty.
  void take_all_final(std::vector<EncodedPartial>& out);
  // The same three as whole messages (EncodedPartial::message()).
  void take_closed(std::vector<sanctions::v1::Aggregate>& out);
  void take_updates(std::vector<sanctions::v1::Aggregate>& out);
  void take_all_final(std::vector<sanctions::v1::Aggregate>& out);

  void commit();
  void rollback();
  // State changed since the last commit, as (key, value) records; an empty value deletes the key.
  void changelog(std::vector<std::pair<std::string, std::string>>& out) const;
  // Replays one changelog record (restore on partition assignment). False if the record is malformed or of an
  // older format (the per-window records before panes): such state cannot be restored.
  bool restore(std::string_view key, std::string_view value);

  std::optional<EventTime> stream_time() const { return stream_time_; }
  std::size_t open_panes() const { return panes_.size(); }

  // The output key of an aggregate: "<window name>|<window start>|<corridor>" (for a pane partial, the pane's
  // length as its name).
  static std::string output_key(const sanctions::v1::Aggregate& aggregate);
  // The stage-2 group of a partial: "<pane length>|<corridor>". Every partial of a corridor's panes of one
  // length, and of the windows made of them, has the same group, so that one stage-2 partition merges them all.
  static std::string merge_group(const sanctions::v1::Aggregate& partial);

 private:
  struct PaneKey {
    std::int64_t length_ms = 0;
    std::int64_t start_ms = 0;
    Corridor corridor{};
    auto operator<=>(const PaneKey&) const = default;
  };
  using Party = std::uint32_t;  // An interned counterparty name: names_[party].
  struct Exposure {
    Decimal value;
    bool logged = false;  // Its pre-image is in exposure_undo_ already.
  };
  struct Pane {
    Totals totals;
    std::unordered_map<Party, Exposure> exposure;  // HIGH/CRITICAL events only.
    bool logged = false;   // The totals' pre-image is in pane_undo_ already.
    bool pending = false;  // Changed (or restored, or rolled back) since the last take_updates().
  };
  struct Sum {  // A closing window.
    Totals totals;
    std::vector<const Pane*> panes;  // With exposure, in start order; summed into `exposure` before any is dropped.
    std::vector<std::pair<Party, Decimal>> exposure;  // Sorted by party.
  };
  struct Group {  // The shapes sharing one pane length, as indexes into specs_.
    std::int64_t pane_ms = 0;
    std::vector<std::size_t> specs;
  };
  struct PaneUndo {
    PaneKey key;
    std::optional<Totals> before;  // nullopt: the pane did not exist.
  };
  struct ExposureUndo {
    PaneKey key;
    Party party = 0;
    std::optional<Decimal> before;  // nullopt: no entry.
  };

  Pane& touch(const PaneKey& key);  // Records the totals' pre-image for rollback, marks the pane for update.
  Exposure& touch(const PaneKey& key, Pane& pane, Party party);
  void drop(std::map<PaneKey, Pane>::iterator it);
  // Sums the windows closing at end + grace in (from, to] (nullopt: unbounded) into closing_, drops their panes
  // that no open window holds any more.
  void close_windows(std::optional<std::int64_t> from, std::optional<std::int64_t> to);
  // Sums the exposure of `sum.panes` into `sum.exposure` and forgets the panes.
  // Thread-safe for distinct sums: reads the panes and names, writes `sum` only.
  void sum_exposure(Sum& sum) const;
  Party intern(std::string_view name);
  void write(const WindowKey& key, const Totals& totals, bool final, sanctions::v1::Aggregate& a) const;
  // Appends the exposure entry `party` -> `value` to `out` in wire form.
  void encode_exposure(Party party, const Decimal& value, google::protobuf::io::CodedOutputStream& out) const;

  std::vector<WindowSpec> specs_;
  std::vector<Group> groups_;
  std::vector<std::size_t> spec_group_;  // specs_[i] is in groups_[spec_group_[i]].
  Millis grace_;
  std::string reporting_;
  std::map<PaneKey, Pane> panes_;
  std::map<WindowKey, Sum> closing_;  // Closed, not yet taken.
  std::optional<EventTime> stream_time_;

  // Counterparty names, interned: a pane's exposure is keyed by number, and an event's names are looked up
  // without building strings. Names are kept for the store's life.
  std::vector<std::string> names_;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Party, NameHash, std::equal_to<>> parties_;

  // Pre-images since the last commit, oldest first (a pane dropped and made again appears twice; rollback applies
  // them newest first, so the oldest wins). They are also the list of what changelog() writes.
  std::vector<PaneUndo> pane_undo_;
  std::vector<ExposureUndo> exposure_undo_;
  std::optional<std::optional<EventTime>> undo_stream_time_;

  // Scratch, reused across add() calls so that adding an event allocates nothing once warm.
  std::vector<char> group_open_;
  std::vector<Party> event_parties_;
  std::vector<Sum*> summing_;  // Scratch of close_windows(): the sums given panes in this call.
  ParallelFor parallel_for_;
};

}  // namespace sm::aggregate
