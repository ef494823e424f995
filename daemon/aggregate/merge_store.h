#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sanctions/v1/aggregate.pb.h"

namespace sm::aggregate {

// Stage 2 of the aggregation (docs/AGGREGATES.md): the partials of one partition of the partial-aggregates
// topic. Keeps the last partial per (window, corridor, source partition) and every source partition's watermark;
// a window's merged aggregate is the exact sum of its partials, final once every one of the announced number of
// source partitions has closed it. Totals do not depend on which instance counted which source partition.
//
// Transactions as in WindowStore: rollback() undoes everything since commit(); changelog() lists exactly those
// changes as state records for restore(). Not thread-safe.
class MergeStore {
 public:
  explicit MergeStore(int top_n);

  // A partial (source_partition set). Replaces that source's earlier partial of the window. False when it was
  // dropped: the window is already closed on every source partition (never after a correct stage 1).
  bool add_partial(sanctions::v1::Aggregate partial);
  // A source partition's progress; closed_through_ms never moves back (the largest one wins).
  void add_watermark(const sanctions::v1::PartitionWatermark& watermark);

  // Merged final aggregates of the windows closed on every source partition (and removes them), in key order.
  void take_closed(std::vector<sanctions::v1::Aggregate>& out);
  // Merged non-final aggregates of the windows changed since the last take_updates() (restored ones, and every
  // window after a rollback, included), in key order.
  void take_updates(std::vector<sanctions::v1::Aggregate>& out);

  void commit();
  void rollback();
  void changelog(std::vector<std::pair<std::string, std::string>>& out) const;
  bool restore(std::string_view key, std::string_view value);

  std::size_t open_windows() const { return windows_.size(); }
  // Windows end at or before this on every source partition; nullopt until all source partitions announced.
  std::optional<std::int64_t> closed_through() const;

  // The sum of `partials` (all of one window and corridor) with the top `top_n` counterparties, as published.
  static sanctions::v1::Aggregate merge(const std::vector<const sanctions::v1::Aggregate*>& partials, int top_n,
                                        bool final);

 private:
  struct Window {
    std::int64_t end_ms = 0;
    std::map<std::int32_t, sanctions::v1::Aggregate> partials;  // By source partition.
    bool undo_recorded = false;
    bool pending = false;
  };
  struct Watermarks {
    std::int32_t source_partitions = 0;
    std::map<std::int32_t, std::int64_t> closed_through;  // By source partition.
  };

  Window& touch(const std::string& key);
  sanctions::v1::Aggregate merged(const Window& window, bool final) const;

  int top_n_;
  std::map<std::string, Window> windows_;  // By output key "<size>|<start>|<corridor>".
  Watermarks watermarks_;
  std::vector<std::pair<std::string, std::optional<Window>>> undo_;
  std::optional<Watermarks> undo_watermarks_;
};

}  // namespace sm::aggregate
