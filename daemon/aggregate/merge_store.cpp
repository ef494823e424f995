#include "aggregate/merge_store.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "aggregate/window_store.h"
#include "model/decimal.h"
#include "model/event_time.h"

namespace sm::aggregate {
namespace {

using sanctions::v1::Aggregate;

constexpr std::string_view kPartialPrefix = "p|";
constexpr std::string_view kWatermarkPrefix = "w|";

bool parse_i64(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

Decimal amount_of(const sanctions::v1::Money& money) {
  // Partials are written by WindowStore with exact two-digit amounts; an unreadable one counts as zero rather
  // than stopping the merge (it cannot come from a correct stage 1).
  if (money.amount().empty()) return Decimal{};
  return Decimal::parse(money.amount()).value_or(Decimal{});
}

Decimal plus(Decimal a, Decimal b) { return a.checked_add(b).value_or(a); }

void set_money(sanctions::v1::Money* money, const std::string& currency, Decimal amount) {
  money->set_currency(currency);
  money->set_amount(amount.to_string(2));
}

std::int64_t end_ms_of(const Aggregate& a) {
  const auto end = parse_rfc3339(a.window_end());
  return end ? end->time_since_epoch().count() : std::numeric_limits<std::int64_t>::max();
}

}  // namespace

MergeStore::MergeStore(int top_n) : top_n_(std::max(0, top_n)) {}

MergeStore::Window& MergeStore::touch(const std::string& key) {
  auto [it, inserted] = windows_.try_emplace(key);
  Window& w = it->second;
  if (!w.undo_recorded) {
    undo_.emplace_back(key, inserted ? std::nullopt : std::optional<Window>(w));
    w.undo_recorded = true;
  }
  w.pending = true;
  return w;
}

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

bool MergeStore::add_partial(Aggregate partial) {
  const std::int64_t end = end_ms_of(partial);
  if (const auto closed = closed_through(); closed && end <= *closed && !windows_.contains(WindowStore::output_key(partial))) {
    return false;
  }
  Window& w = touch(WindowStore::output_key(partial));
  w.end_ms = end;
  const std::int32_t source = partial.source_partition();
  w.partials[source] = std::move(partial);
  return true;
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

Aggregate MergeStore::merge(const std::vector<const Aggregate*>& partials, int top_n, bool final) {
  Aggregate a;
  if (partials.empty()) return a;
  const Aggregate& first = *partials.front();
  const std::string currency = first.total_value().currency();
  a.set_window_start(first.window_start());
  a.set_window_end(first.window_end());
  a.set_window_size(first.window_size());
  a.set_corridor(first.corridor());
  Decimal total, total_ex, national_ex;
  std::int64_t events = 0, unvalued = 0;
  std::map<std::string, Decimal> classes, groups, exposure;
  std::map<std::string, std::int64_t> tiers;
  for (const Aggregate* p : partials) {
    events += p->event_count();
    unvalued += p->unvalued_line_items();
    total = plus(total, amount_of(p->total_value()));
    total_ex = plus(total_ex, amount_of(p->total_value_ex_energy()));
    national_ex = plus(national_ex, amount_of(p->national_value_ex_energy()));
    for (const auto& [k, m] : p->value_by_currency_class()) classes[k] = plus(classes[k], amount_of(m));
    for (const auto& [k, m] : p->value_by_product_group()) groups[k] = plus(groups[k], amount_of(m));
    for (const auto& [k, m] : p->counterparty_exposure()) exposure[k] = plus(exposure[k], amount_of(m));
    for (const auto& [k, n] : p->alerts_by_tier()) tiers[k] += n;
  }
  a.set_event_count(events);
  set_money(a.mutable_total_value(), currency, total);
  for (const auto& [k, v] : classes) set_money(&(*a.mutable_value_by_currency_class())[k], currency, v);
  for (const auto& [k, v] : groups) set_money(&(*a.mutable_value_by_product_group())[k], currency, v);
  for (const auto& [k, n] : tiers) (*a.mutable_alerts_by_tier())[k] = n;
  const auto class_value = [&](sanctions::v1::CurrencyClass c) {
    const auto it = classes.find(sanctions::v1::CurrencyClass_Name(c));
    return it == classes.end() ? Decimal{} : it->second;
  };
  a.set_national_currency_share(Decimal::ratio(class_value(sanctions::v1::NATIONAL), total));
  a.set_national_currency_share_ex_energy(Decimal::ratio(national_ex, total_ex));
  a.set_usd_share(Decimal::ratio(class_value(sanctions::v1::USD), total));
  a.set_final(final);
  a.set_unvalued_line_items(unvalued);
  set_money(a.mutable_total_value_ex_energy(), currency, total_ex);
  set_money(a.mutable_national_value_ex_energy(), currency, national_ex);

  std::vector<std::pair<std::string, Decimal>> ranked(exposure.begin(), exposure.end());
  const auto limit = std::min(ranked.size(), static_cast<std::size_t>(std::max(0, top_n)));
  // Largest value first; equal values by name, so that every run and every partition layout agree.
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(limit), ranked.end(),
                    [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
  for (std::size_t i = 0; i < limit; ++i) {
    auto* top = a.add_top_counterparties();
    top->set_name(ranked[i].first);
    set_money(top->mutable_value(), currency, ranked[i].second);
  }
  return a;
}

Aggregate MergeStore::merged(const Window& window, bool final) const {
  std::vector<const Aggregate*> partials;
  partials.reserve(window.partials.size());
  for (const auto& [source, p] : window.partials) partials.push_back(&p);
  return merge(partials, top_n_, final);
}

void MergeStore::take_closed(std::vector<Aggregate>& out) {
  const auto closed = closed_through();
  if (!closed) return;
  std::vector<std::string> done;
  for (const auto& [key, w] : windows_) {
    if (w.end_ms <= *closed) done.push_back(key);
  }
  for (const std::string& key : done) {
    out.push_back(merged(touch(key), true));
    windows_.erase(key);
  }
}

void MergeStore::take_updates(std::vector<Aggregate>& out) {
  for (auto& [key, w] : windows_) {
    if (!w.pending) continue;
    out.push_back(merged(w, false));
    w.pending = false;
  }
}

void MergeStore::commit() {
  for (auto& [key, w] : windows_) w.undo_recorded = false;
  undo_.clear();
  undo_watermarks_.reset();
}

void MergeStore::rollback() {
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
    if (it->second) {
      windows_[it->first] = std::move(*it->second);
    } else {
      windows_.erase(it->first);
    }
  }
  // Updates taken since the commit went out in the aborted transaction: publish every open window again.
  for (auto& [key, w] : windows_) {
    w.undo_recorded = false;
    w.pending = true;
  }
  undo_.clear();
  if (undo_watermarks_) watermarks_ = std::move(*undo_watermarks_);
  undo_watermarks_.reset();
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
  std::vector<std::string> keys;
  for (const auto& [key, before] : undo_) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const std::string& key : keys) {
    // Sources the committed state may hold for this window: those before this transaction and those now.
    std::map<std::int32_t, const Aggregate*> now;
    if (const auto it = windows_.find(key); it != windows_.end()) {
      for (const auto& [source, p] : it->second.partials) now[source] = &p;
    }
    std::vector<std::int32_t> gone;
    for (const auto& [k, before] : undo_) {
      if (k != key || !before) continue;
      for (const auto& [source, p] : before->partials) {
        if (!now.contains(source)) gone.push_back(source);
      }
    }
    std::sort(gone.begin(), gone.end());
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
    for (std::int32_t source : gone) {
      out.emplace_back(std::string(kPartialPrefix) + key + "|" + std::to_string(source), std::string());
    }
    for (const auto& [source, p] : now) {
      out.emplace_back(std::string(kPartialPrefix) + key + "|" + std::to_string(source), p->SerializeAsString());
    }
  }
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
  if (!key.starts_with(kPartialPrefix)) return false;
  const auto bar = key.rfind('|');
  std::int64_t source = 0;
  if (bar <= kPartialPrefix.size() || !parse_i64(key.substr(bar + 1), source)) return false;
  const std::string window_key(key.substr(kPartialPrefix.size(), bar - kPartialPrefix.size()));
  if (value.empty()) {
    if (auto it = windows_.find(window_key); it != windows_.end()) {
      it->second.partials.erase(static_cast<std::int32_t>(source));
      if (it->second.partials.empty()) windows_.erase(it);
    }
    return true;
  }
  Aggregate partial;
  if (!partial.ParseFromArray(value.data(), static_cast<int>(value.size()))) return false;
  Window& w = windows_[window_key];
  w.end_ms = end_ms_of(partial);
  w.partials[static_cast<std::int32_t>(source)] = std::move(partial);
  w.pending = true;  // The committed merge may never have been published (emit interval): publish it again.
  return true;
}

}  // namespace sm::aggregate
