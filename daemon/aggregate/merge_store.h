#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregate/totals.h"
#include "aggregate/window_store.h"
#include "sanctions/v1/aggregate.pb.h"

namespace sm::aggregate {

// Stage 2 of the aggregation (docs/AGGREGATES.md): the partials of one partition of the partial-aggregates
// topic. Keeps the last pane partial per (pane, corridor, source partition), the final window partials per
// (window, corridor, source partition) and every source partition's watermark. An open window's merged update
// is the exact sum over source partitions of its panes (or of that source's final partial once the window
// closed there); a window is final once every one of the announced number of source partitions has closed it,
// and its final record is the sum of the final partials. Totals do not depend on which instance counted which
// source partition. `windows` must be stage 1's window shapes.
//
// Transactions as in WindowStore: rollback() undoes everything since commit(); changelog() lists exactly those
// changes (one record per changed partial) for restore(). Not thread-safe.
class MergeStore {
 public:
  MergeStore(std::vector<WindowSpec> windows, int top_n);

  // A partial of stage 1 (partial_kind and source_partition set): replaces that source's earlier partial of the
  // same pane or window. False when it was dropped: unknown kind or pane length, an amount that does not parse,
  // or everything it could change is already final on every source partition (never after a correct stage 1).
  bool add_partial(const sanctions::v1::Aggregate& partial);
  // The same, with the bytes `partial` was parsed from, kept as its state record instead of serialising it again
  // (a day's final partials carry tens of thousands of exposure entries).
  bool add_partial(const sanctions::v1::Aggregate& partial, std::string_view record);
  // A source partition's progress; closed_through_ms never moves back (the largest one wins).
  void add_watermark(const sanctions::v1::PartitionWatermark& watermark);

  // Merged final aggregates of the windows closed on every source partition (and removes them, and the panes no
  // open window holds any more), in key order (size, advance, start, corridor).
  void take_closed(std::vector<sanctions::v1::Aggregate>& out);
  // Merged non-final aggregates of the open windows whose panes or final partials changed since the last
  // take_updates() (restored ones, and every window after a rollback, included), in key order.
  void take_updates(std::vector<sanctions::v1::Aggregate>& out);

  void commit();
  void rollback();
  void changelog(std::vector<std::pair<std::string, std::string>>& out) const;
  // False if the record is malformed or of an older format (whole-window partials before panes).
  bool restore(std::string_view key, std::string_view value);

  // Partials held: (pane, corridor) and (window, corridor) keys with at least one source partition's partial.
  std::size_t size() const { return panes_.size() + finals_.size(); }
  // Windows end at or before this on every source partition; nullopt until all source partitions announced.
  std::optional<std::int64_t> closed_through() const;

 private:
  struct PaneKey {  // Ordered by corridor before start: a window's panes are adjacent.
    std::int64_t length_ms = 0;
    Corridor corridor{};
    std::int64_t start_ms = 0;
    auto operator<=>(const PaneKey&) const = default;
  };
  struct Part {
    Totals totals;
    std::vector<std::pair<std::string, Decimal>> exposure;  // Sorted by counterparty.
    std::string record;  // The partial as received: its changelog value.
  };
  struct Slot {
    Part part;
    bool logged = false;  // Its pre-image is in the undo log already.
  };
  using Sources = std::map<std::int32_t, Slot>;
  struct Watermarks {
    std::int32_t source_partitions = 0;
    std::map<std::int32_t, std::int64_t> closed_through;  // By source partition.
  };
  template <typename Key>
  struct Undo {
    Key key;
    std::int32_t source = 0;
    std::optional<Part> before;  // nullopt: no partial of that source.
  };

  std::optional<Part> part_of(const sanctions::v1::Aggregate& partial, std::string record);
  template <typename Key>
  static Slot& touch(std::map<Key, Sources>& map, std::vector<Undo<Key>>& undo, const Key& key, std::int32_t source);
  template <typename Key>
  static void erase(std::map<Key, Sources>& map, std::vector<Undo<Key>>& undo, typename std::map<Key, Sources>::iterator it);
  template <typename Key>
  static void roll_back(std::map<Key, Sources>& map, std::vector<Undo<Key>>& undo);
  void mark_windows_of(const PaneKey& pane);
  std::int64_t last_end(const PaneKey& pane) const;  // The end of the latest window holding the pane.
  sanctions::v1::Aggregate merged(const WindowKey& window, bool final) const;

  std::vector<WindowSpec> specs_;
  int top_n_;
  std::string currency_;  // The reporting currency, as the partials carry it.
  std::map<PaneKey, Sources> panes_;
  std::map<WindowKey, Sources> finals_;
  std::set<WindowKey> pending_;  // Open windows to publish at the next take_updates().
  Watermarks watermarks_;
  std::optional<std::int64_t> dropped_through_;  // closed_through() when panes were last dropped.
  std::vector<Undo<PaneKey>> pane_undo_;
  std::vector<Undo<WindowKey>> final_undo_;
  std::optional<Watermarks> undo_watermarks_;
};

}  // namespace sm::aggregate
