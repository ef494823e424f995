#include "aggregate/merge_store.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "model/decimal.h"
#include "model/event_time.h"

namespace sm::aggregate {
namespace {

using sanctions::v1::Aggregate;

constexpr std::string_view kPanePrefix = "p|";
constexpr std::string_view kFinalPrefix = "f|";
constexpr std::string_view kWatermarkPrefix = "w|";

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

std::string_view next_field(std::string_view& rest) {
  const auto bar = rest.find('|');
  const std::string_view field = rest.substr(0, bar);
  rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
  return field;
}

std::optional<std::int64_t> ms_of(const std::string& rfc3339) {
  const auto t = parse_rfc3339(rfc3339);
  if (!t) return std::nullopt;
  return t->time_since_epoch().count();
}

bool parse_corridor(std::string_view text, Corridor& out) {
  if (text.empty() || text.size() >= out.size()) return false;
  out = corridor_of(text);
  return true;
}

}  // namespace

MergeStore::MergeStore(std::vector<WindowSpec> windows, int top_n)
    : specs_(std::move(windows)), top_n_(std::max(0, top_n)) {}

std::optional<std::int64_t> MergeStore::closed_through() const {
  const auto& w = watermarks_;
  if (w.source_partitions <= 0) return std::nullopt;
  std::int64_t low = std::numeric_limits<std::int64_t>::max();
  for (std::int32_t p = 0; p < w.source_partitions; ++p) {
    const auto it = w.closed_through.find(p);
    if (it == w.closed_through.end()) return std::nullopt;
    low = std::min(low, it->second);
  }
  return low;
}

std::optional<MergeStore::Part> MergeStore::part_of(const Aggregate& partial, std::string record) {
  Part part;
  if (!part.totals.read(partial)) return std::nullopt;
  part.exposure.reserve(partial.counterparty_exposure().size());
  for (const auto& [name, money] : partial.counterparty_exposure()) {
    const auto amount = Decimal::parse(money.amount());
    if (!amount) return std::nullopt;
    part.exposure.emplace_back(name, *amount);
  }
  std::sort(part.exposure.begin(), part.exposure.end());
  part.record = std::move(record);
  if (currency_.empty()) currency_ = partial.total_value().currency();
  return part;
}

template <typename Key>
MergeStore::Slot& MergeStore::touch(std::map<Key, Sources>& map, std::vector<Undo<Key>>& undo, const Key& key,
                                    std::int32_t source) {
  auto [it, inserted] = map[key].try_emplace(source);
  Slot& slot = it->second;
  if (!slot.logged) {
    undo.push_back(Undo<Key>{key, source, inserted ? std::nullopt : std::optional<Part>(slot.part)});
    slot.logged = true;
  }
  return slot;
}

template <typename Key>
void MergeStore::erase(std::map<Key, Sources>& map, std::vector<Undo<Key>>& undo,
                       typename std::map<Key, Sources>::iterator it) {
  for (auto& [source, slot] : it->second) {
    if (!slot.logged) undo.push_back(Undo<Key>{it->first, source, std::move(slot.part)});
  }
  map.erase(it);
}

template <typename Key>
void MergeStore::roll_back(std::map<Key, Sources>& map, std::vector<Undo<Key>>& undo) {
  for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
    if (it->before) {
      map[it->key][it->source] = Slot{std::move(*it->before), false};
    } else if (auto at = map.find(it->key); at != map.end()) {
      at->second.erase(it->source);
      if (at->second.empty()) map.erase(at);
    }
  }
  undo.clear();
  for (auto& [key, sources] : map) {
    for (auto& [source, slot] : sources) slot.logged = false;
  }
}

void MergeStore::mark_windows_of(const PaneKey& pane) {
  for (const WindowSpec& spec : specs_) {
    if (spec.pane().count() != pane.length_ms) continue;
    const std::int64_t size = spec.size.count();
    const std::int64_t advance = spec.advance.count();
    for (std::int64_t w = floor_div(pane.start_ms, advance) * advance; w > pane.start_ms - size; w -= advance) {
      pending_.insert(WindowKey{size, advance, w, pane.corridor});
    }
  }
}

std::int64_t MergeStore::last_end(const PaneKey& pane) const {
  std::int64_t end = std::numeric_limits<std::int64_t>::min();
  for (const WindowSpec& spec : specs_) {
    if (spec.pane().count() != pane.length_ms) continue;
    const std::int64_t advance = spec.advance.count();
    end = std::max(end, floor_div(pane.start_ms, advance) * advance + spec.size.count());
  }
  return end;
}

bool MergeStore::add_partial(const Aggregate& partial) { return add_partial(partial, partial.SerializeAsString()); }

bool MergeStore::add_partial(const Aggregate& partial, std::string_view record) {
  const auto start = ms_of(partial.window_start());
  const auto end = ms_of(partial.window_end());
  Corridor corridor{};
  if (!start || !end || *end <= *start || !parse_corridor(partial.corridor(), corridor)) return false;
  const auto closed = closed_through();
  const std::int32_t source = partial.source_partition();
  if (partial.partial_kind() == sanctions::v1::PARTIAL_PANE) {
    const PaneKey key{*end - *start, corridor, *start};
    const std::int64_t last = last_end(key);
    if (last == std::numeric_limits<std::int64_t>::min() || (closed && last <= *closed)) return false;
    auto part = part_of(partial, std::string(record));
    if (!part) return false;
    touch(panes_, pane_undo_, key, source).part = std::move(*part);
    mark_windows_of(key);
    return true;
  }
  if (partial.partial_kind() == sanctions::v1::PARTIAL_FINAL_WINDOW) {
    const auto spec = parse_window_spec(partial.window_size());
    if (!spec || spec->size.count() != *end - *start) return false;
    const WindowKey key{spec->size.count(), spec->advance.count(), *start, corridor};
    if (closed && *end <= *closed && !finals_.contains(key)) return false;
    auto part = part_of(partial, std::string(record));
    if (!part) return false;
    touch(finals_, final_undo_, key, source).part = std::move(*part);
    pending_.insert(key);
    return true;
  }
  return false;
}

void MergeStore::add_watermark(const sanctions::v1::PartitionWatermark& watermark) {
  const auto current = watermarks_.closed_through.find(watermark.source_partition());
  const bool advances = current == watermarks_.closed_through.end() || watermark.closed_through_ms() > current->second;
  const bool more_sources = watermark.source_partitions() > watermarks_.source_partitions;
  if (!advances && !more_sources) return;
  if (!undo_watermarks_) undo_watermarks_ = watermarks_;
  if (advances) watermarks_.closed_through[watermark.source_partition()] = watermark.closed_through_ms();
  if (more_sources) watermarks_.source_partitions = watermark.source_partitions();
}

Aggregate MergeStore::merged(const WindowKey& window, bool final) const {
  Totals totals;
  std::unordered_map<std::string_view, Decimal> exposure;
  const auto add = [&](const Part& part) {
    totals.add(part.totals);
    for (const auto& [name, value] : part.exposure) {
      Decimal& sum = exposure[name];
      sum = plus(sum, value);
    }
  };
  const auto finals = finals_.find(window);
  if (finals != finals_.end()) {
    for (const auto& [source, slot] : finals->second) add(slot.part);
  }
  if (!final) {
    // A source that closed the window counts with its final partial, or not at all (nothing of the corridor in
    // it then): its panes may since have grown for longer windows still open there.
    const std::int64_t pane = std::gcd(window.size_ms, window.advance_ms);
    for (auto it = panes_.lower_bound(PaneKey{pane, window.corridor, window.start_ms});
         it != panes_.end() && it->first.length_ms == pane && it->first.corridor == window.corridor &&
         it->first.start_ms < window.end_ms();
         ++it) {
      for (const auto& [source, slot] : it->second) {
        if (finals != finals_.end() && finals->second.contains(source)) continue;
        const auto closed = watermarks_.closed_through.find(source);
        if (closed != watermarks_.closed_through.end() && closed->second >= window.end_ms()) continue;
        add(slot.part);
      }
    }
  }

  Aggregate a;
  a.set_window_start(format_rfc3339(EventTime{Millis{window.start_ms}}));
  a.set_window_end(format_rfc3339(EventTime{Millis{window.end_ms()}}));
  a.set_window_size(WindowSpec{Millis{window.size_ms}, Millis{window.advance_ms}}.name());
  a.set_corridor(std::string(corridor_view(window.corridor)));
  totals.write(a, currency_);
  a.set_final(final);

  std::vector<std::pair<std::string_view, Decimal>> ranked(exposure.begin(), exposure.end());
  const auto limit = std::min(ranked.size(), static_cast<std::size_t>(top_n_));
  // Largest value first; equal values by name, so that every run and every partition layout agree.
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(limit), ranked.end(),
                    [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
  for (std::size_t i = 0; i < limit; ++i) {
    auto* top = a.add_top_counterparties();
    top->set_name(std::string(ranked[i].first));
    top->mutable_value()->set_currency(currency_);
    top->mutable_value()->set_amount(ranked[i].second.to_string(2));
  }
  return a;
}

void MergeStore::take_closed(std::vector<Aggregate>& out) {
  const auto closed = closed_through();
  if (!closed) return;
  for (auto it = finals_.begin(); it != finals_.end();) {
    if (it->first.end_ms() > *closed) {
      ++it;
      continue;
    }
    out.push_back(merged(it->first, true));
    erase(finals_, final_undo_, it++);
  }
  for (auto it = pending_.begin(); it != pending_.end();) {
    it = it->end_ms() <= *closed ? pending_.erase(it) : std::next(it);
  }
  // Pane partials go once no window holding them can change: only worth a look when a window end was passed.
  const bool passed_an_end = !dropped_through_ || std::any_of(specs_.begin(), specs_.end(), [&](const WindowSpec& s) {
    return floor_div(*closed - s.size.count(), s.advance.count()) !=
           floor_div(*dropped_through_ - s.size.count(), s.advance.count());
  });
  if (!passed_an_end) return;
  dropped_through_ = *closed;
  for (auto it = panes_.begin(); it != panes_.end();) {
    if (last_end(it->first) <= *closed) {
      erase(panes_, pane_undo_, it++);
    } else {
      ++it;
    }
  }
}

void MergeStore::take_updates(std::vector<Aggregate>& out) {
  const auto closed = closed_through();
  for (const WindowKey& window : pending_) {
    if (closed && window.end_ms() <= *closed) continue;
    Aggregate update = merged(window, false);
    // A pane can change only by events that were late for this window on every source that has them: nothing to
    // publish (replay has no such window), and a published window never shrinks back to nothing.
    if (update.event_count() == 0) continue;
    out.push_back(std::move(update));
  }
  pending_.clear();
}

void MergeStore::commit() {
  for (const auto& u : pane_undo_) {
    if (auto it = panes_.find(u.key); it != panes_.end()) {
      if (auto s = it->second.find(u.source); s != it->second.end()) s->second.logged = false;
    }
  }
  for (const auto& u : final_undo_) {
    if (auto it = finals_.find(u.key); it != finals_.end()) {
      if (auto s = it->second.find(u.source); s != it->second.end()) s->second.logged = false;
    }
  }
  pane_undo_.clear();
  final_undo_.clear();
  undo_watermarks_.reset();
}

void MergeStore::rollback() {
  roll_back(panes_, pane_undo_);
  roll_back(finals_, final_undo_);
  if (undo_watermarks_) watermarks_ = std::move(*undo_watermarks_);
  undo_watermarks_.reset();
  dropped_through_.reset();
  // Updates taken since the commit went out in the aborted transaction: publish every open window again.
  for (const auto& [key, sources] : panes_) mark_windows_of(key);
  for (const auto& [key, sources] : finals_) pending_.insert(key);
}

void MergeStore::changelog(std::vector<std::pair<std::string, std::string>>& out) const {
  if (undo_watermarks_) {
    for (const auto& [source, closed] : watermarks_.closed_through) {
      const auto before = undo_watermarks_->closed_through.find(source);
      if (before != undo_watermarks_->closed_through.end() && before->second == closed &&
          undo_watermarks_->source_partitions == watermarks_.source_partitions) {
        continue;
      }
      out.emplace_back(std::string(kWatermarkPrefix) + std::to_string(source),
                       std::to_string(watermarks_.source_partitions) + "|" + std::to_string(closed));
    }
  }
  const auto write = [&out](const auto& map, const auto& undo, auto key_text) {
    using Key = typename std::decay_t<decltype(undo)>::value_type;
    std::vector<std::pair<decltype(Key::key), std::int32_t>> keys;
    keys.reserve(undo.size());
    for (const auto& u : undo) keys.emplace_back(u.key, u.source);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& [key, source] : keys) {
      std::string value;
      if (const auto it = map.find(key); it != map.end()) {
        if (const auto s = it->second.find(source); s != it->second.end()) value = s->second.part.record;
      }
      out.emplace_back(key_text(key) + "|" + std::to_string(source), std::move(value));
    }
  };
  write(panes_, pane_undo_, [](const PaneKey& k) {
    return std::string(kPanePrefix) + std::to_string(k.length_ms) + "|" + std::to_string(k.start_ms) + "|" +
           std::string(corridor_view(k.corridor));
  });
  write(finals_, final_undo_, [](const WindowKey& k) {
    return std::string(kFinalPrefix) + std::to_string(k.size_ms) + "|" + std::to_string(k.advance_ms) + "|" +
           std::to_string(k.start_ms) + "|" + std::string(corridor_view(k.corridor));
  });
}

bool MergeStore::restore(std::string_view key, std::string_view value) {
  if (key.starts_with(kWatermarkPrefix)) {
    std::int64_t source = 0, sources = 0, closed = 0;
    const auto bar = value.find('|');
    if (!parse_i64(key.substr(kWatermarkPrefix.size()), source) || bar == std::string_view::npos ||
        !parse_i64(value.substr(0, bar), sources) || !parse_i64(value.substr(bar + 1), closed)) {
      return false;
    }
    watermarks_.closed_through[static_cast<std::int32_t>(source)] = closed;
    watermarks_.source_partitions = std::max(watermarks_.source_partitions, static_cast<std::int32_t>(sources));
    return true;
  }
  const bool is_pane = key.starts_with(kPanePrefix);
  if (!is_pane && !key.starts_with(kFinalPrefix)) return false;
  // "p|<length>|<start>|<corridor>|<source>" or "f|<size>|<advance>|<start>|<corridor>|<source>"
  std::string_view rest = key.substr(2);
  std::int64_t length = 0, advance = 0, start = 0, source = 0;
  Corridor corridor{};
  if (!parse_i64(next_field(rest), length) || length <= 0 || (!is_pane && !parse_i64(next_field(rest), advance)) ||
      !parse_i64(next_field(rest), start) || !parse_corridor(next_field(rest), corridor) ||
      !parse_i64(next_field(rest), source) || !rest.empty() || (!is_pane && advance <= 0)) {
    return false;
  }
  std::optional<Part> part;
  if (!value.empty()) {
    Aggregate partial;
    if (!partial.ParseFromArray(value.data(), static_cast<int>(value.size()))) return false;
    part = part_of(partial, std::string(value));
    if (!part) return false;
  }
  const auto put = [&](auto& map, const auto& k) {
    if (part) {
      map[k][static_cast<std::int32_t>(source)] = Slot{std::move(*part), false};
    } else if (auto it = map.find(k); it != map.end()) {
      it->second.erase(static_cast<std::int32_t>(source));
      if (it->second.empty()) map.erase(it);
    }
  };
  // The committed merge may never have been published (emit interval): publish it again.
  if (is_pane) {
    const PaneKey k{length, corridor, start};
    put(panes_, k);
    if (!value.empty()) mark_windows_of(k);
  } else {
    const WindowKey k{length, advance, start, corridor};
    put(finals_, k);
    if (!value.empty()) pending_.insert(k);
  }
  return true;
}

}  // namespace sm::aggregate
