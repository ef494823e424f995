#include "aggregate/window_store.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace sm::aggregate {
namespace {

using google::protobuf::io::CodedOutputStream;
using sanctions::v1::Aggregate;
using sanctions::v1::Money;

constexpr std::string_view kStreamTimeKey = "t";
constexpr std::string_view kPanePrefix = "p|";
constexpr std::string_view kExposurePrefix = "x|";
constexpr std::int64_t kEarliest = std::numeric_limits<std::int64_t>::min();

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int64_t ms(EventTime t) { return t.time_since_epoch().count(); }

// The protobuf wire form, for EncodedPartial: a length-delimited field's tag, and a map<string, Money> entry,
// which is a message with the key as field 1 and the value as field 2.
constexpr std::uint32_t length_delimited(int field) { return (static_cast<std::uint32_t>(field) << 3U) | 2U; }
constexpr int kMapEntryKey = 1;
constexpr int kMapEntryValue = 2;

std::uint32_t bytes_field_size(int field, std::size_t size) {
  const auto n = static_cast<std::uint32_t>(size);
  return CodedOutputStream::VarintSize32(length_delimited(field)) + CodedOutputStream::VarintSize32(n) + n;
}

void write_bytes_field(CodedOutputStream& out, int field, std::string_view bytes) {
  out.WriteTag(length_delimited(field));
  out.WriteVarint32(static_cast<std::uint32_t>(bytes.size()));
  out.WriteRaw(bytes.data(), static_cast<int>(bytes.size()));
}

void append_messages(const std::vector<EncodedPartial>& encoded, std::vector<Aggregate>& out) {
  out.reserve(out.size() + encoded.size());
  for (const EncodedPartial& partial : encoded) out.push_back(partial.message());
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

// Takes "<field>|" off the front of `rest` into `out`; the last field of a key has no bar after it.
std::string_view next_field(std::string_view& rest) {
  const auto bar = rest.find('|');
  const std::string_view field = rest.substr(0, bar);
  rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
  return field;
}

void add_event(Totals& s, const EventContribution& event) {
  ++s.event_count;
  s.by_tier[static_cast<std::size_t>(event.tier)] += 1;
  const auto cls = static_cast<std::size_t>(event.currency_class);
  for (const LineContribution& line : event.lines) {
    if (!line.value) {
      ++s.unvalued_lines;
      continue;
    }
    const Decimal v = *line.value;
    s.total = plus(s.total, v);
    s.by_class[cls] = plus(s.by_class[cls], v);
    if (!line.energy) {
      s.total_ex_energy = plus(s.total_ex_energy, v);
      if (event.currency_class == sanctions::v1::NATIONAL) s.national_ex_energy = plus(s.national_ex_energy, v);
    }
    if (line.groups != nullptr) {
      for (const std::string& g : *line.groups) add_sorted(s.by_group, g, v);
    }
  }
}

}  // namespace

void EncodedPartial::serialise(std::string& out) const {
  head.SerializeToString(&out);
  out += exposure;
}

Aggregate EncodedPartial::message() const {
  Aggregate whole = head;
  if (!whole.MergeFromString(exposure)) throw std::logic_error("an encoded counterparty exposure does not parse");
  return whole;
}

std::string WindowSpec::name() const {
  return advance == size ? format_duration(size) : format_duration(size) + "/" + format_duration(advance);
}

Millis WindowSpec::pane() const { return Millis{std::gcd(size.count(), advance.count())}; }

std::optional<WindowSpec> parse_window_spec(std::string_view text) {
  const auto slash = text.find('/');
  const auto size = parse_duration(text.substr(0, slash));
  if (!size || size->count() <= 0) return std::nullopt;
  WindowSpec spec{*size, *size};
  if (slash != std::string_view::npos) {
    const auto advance = parse_duration(text.substr(slash + 1));
    if (!advance || advance->count() <= 0 || *advance > *size) return std::nullopt;
    spec.advance = *advance;
  }
  return spec;
}

WindowStore::WindowStore(std::vector<WindowSpec> windows, Millis grace, std::string reporting_currency)
    : specs_(std::move(windows)), grace_(grace), reporting_(std::move(reporting_currency)) {
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const std::int64_t pane = specs_[i].pane().count();
    auto group = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.pane_ms == pane; });
    if (group == groups_.end()) group = groups_.insert(groups_.end(), Group{pane, {}});
    group->specs.push_back(i);
    spec_group_.push_back(static_cast<std::size_t>(group - groups_.begin()));
  }
}

void WindowStore::set_parallel_for(ParallelFor parallel_for) { parallel_for_ = std::move(parallel_for); }

WindowStore::Party WindowStore::intern(std::string_view name) {
  if (const auto it = parties_.find(name); it != parties_.end()) return it->second;
  const auto party = static_cast<Party>(names_.size());
  names_.emplace_back(name);
  parties_.emplace(names_.back(), party);
  return party;
}

WindowStore::Pane& WindowStore::touch(const PaneKey& key) {
  auto [it, inserted] = panes_.try_emplace(key);
  Pane& pane = it->second;
  if (!pane.logged) {
    pane_undo_.push_back(PaneUndo{key, inserted ? std::nullopt : std::optional<Totals>(pane.totals)});
    pane.logged = true;
  }
  pane.pending = true;
  return pane;
}

WindowStore::Exposure& WindowStore::touch(const PaneKey& key, Pane& pane, Party party) {
  auto [it, inserted] = pane.exposure.try_emplace(party);
  if (!it->second.logged) {
    exposure_undo_.push_back(
        ExposureUndo{key, party, inserted ? std::nullopt : std::optional<Decimal>(it->second.value)});
    it->second.logged = true;
  }
  return it->second;
}

void WindowStore::drop(std::map<PaneKey, Pane>::iterator it) {
  const Pane& pane = it->second;
  if (!pane.logged) pane_undo_.push_back(PaneUndo{it->first, pane.totals});
  for (const auto& [party, e] : pane.exposure) {
    if (!e.logged) exposure_undo_.push_back(ExposureUndo{it->first, party, e.value});
  }
  panes_.erase(it);
}

AddOutcome WindowStore::add(const EventContribution& event) {
  AddOutcome outcome;
  const std::int64_t t = ms(event.time);
  if (!stream_time_ || event.time > *stream_time_) {
    if (!undo_stream_time_) undo_stream_time_ = stream_time_;
    const std::optional<std::int64_t> before = stream_time_ ? std::optional(ms(*stream_time_)) : std::nullopt;
    stream_time_ = event.time;
    // Before the event is added: a window closing now must not see it.
    close_windows(before, t);
  }
  const std::int64_t now = ms(*stream_time_);
  const std::int64_t grace = grace_.count();

  // Lateness per window, in configuration order; a pane is updated when some window holding the event is open.
  group_open_.assign(groups_.size(), 0);
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const std::int64_t size = specs_[i].size.count();
    const std::int64_t advance = specs_[i].advance.count();
    for (std::int64_t start = floor_div(t, advance) * advance; start > t - size; start -= advance) {
      if (start + size + grace <= now) {
        outcome.late_windows.push_back(specs_[i].name() + "@" + format_rfc3339(EventTime{Millis{start}}));
        continue;
      }
      ++outcome.windows_updated;
      group_open_[spec_group_[i]] = 1;
    }
  }

  Decimal event_value;
  event_parties_.clear();
  if (!event.counterparties.empty()) {
    for (const LineContribution& line : event.lines) {
      if (line.value) event_value = plus(event_value, *line.value);
    }
    for (std::string_view c : event.counterparties) {
      if (c.empty()) continue;
      const Party party = intern(c);
      if (std::find(event_parties_.begin(), event_parties_.end(), party) == event_parties_.end()) {
        event_parties_.push_back(party);
      }
    }
  }
  const Corridor corridor = corridor_of(event.corridor);
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (group_open_[g] == 0) continue;
    const std::int64_t length = groups_[g].pane_ms;
    const PaneKey key{length, floor_div(t, length) * length, corridor};
    Pane& pane = touch(key);
    add_event(pane.totals, event);
    for (const Party party : event_parties_) {
      Exposure& e = touch(key, pane, party);
      e.value = plus(e.value, event_value);
    }
  }
  return outcome;
}

void WindowStore::close_windows(std::optional<std::int64_t> from, std::optional<std::int64_t> to) {
  const std::int64_t grace = grace_.count();
  for (const Group& group : groups_) {
    const std::int64_t length = group.pane_ms;
    bool closed_any = false;
    for (const std::size_t i : group.specs) {
      const std::int64_t size = specs_[i].size.count();
      const std::int64_t advance = specs_[i].advance.count();
      // Window starts whose close (start + size + grace) is in (from, to].
      const std::int64_t lo = from ? (floor_div(*from - size - grace, advance) + 1) * advance : kEarliest;
      const std::int64_t hi = to ? floor_div(*to - size - grace, advance) * advance : std::numeric_limits<std::int64_t>::max();
      if (lo > hi) continue;
      closed_any = true;
      // Their panes start in [lo, hi + size).
      for (auto it = panes_.lower_bound(PaneKey{length, lo, {}});
           it != panes_.end() && it->first.length_ms == length && (!to || it->first.start_ms < hi + size); ++it) {
        const std::int64_t p = it->first.start_ms;
        for (std::int64_t w = std::min(floor_div(p, advance) * advance, hi); w > p - size && w >= lo; w -= advance) {
          Sum& sum = closing_[WindowKey{size, advance, w, it->first.corridor}];
          sum.totals.add(it->second.totals);
          if (it->second.exposure.empty()) continue;
          if (sum.panes.empty()) summing_.push_back(&sum);
          sum.panes.push_back(&it->second);
        }
      }
    }
    if (!closed_any) continue;
    std::size_t entries = 0;  // Counted only when they could be summed on several threads.
    if (parallel_for_ && summing_.size() > 1) {
      for (const Sum* sum : summing_) {
        for (const Pane* pane : sum->panes) entries += pane->exposure.size();
      }
    }
    if (entries >= kParallelSumEntries) {
      parallel_for_(summing_.size(), [this](std::size_t i) { sum_exposure(*summing_[i]); });
    } else {
      for (Sum* sum : summing_) sum_exposure(*sum);
    }
    summing_.clear();
    // Drop the panes whose last window (the latest start holding them, for every shape) has closed.
    for (auto it = panes_.lower_bound(PaneKey{length, kEarliest, {}});
         it != panes_.end() && it->first.length_ms == length && (!to || it->first.start_ms < *to - grace);) {
      const std::int64_t p = it->first.start_ms;
      const bool held = to && std::any_of(group.specs.begin(), group.specs.end(), [&](std::size_t i) {
        const std::int64_t advance = specs_[i].advance.count();
        return floor_div(p, advance) * advance + specs_[i].size.count() + grace > *to;
      });
      if (held) {
        ++it;
      } else {
        drop(it++);
      }
    }
  }
}

void WindowStore::sum_exposure(Sum& sum) const {
  // Scratch of one thread (set_parallel_for() may sum several windows at once): per party its 1-based place in
  // `summed` (0: not in it yet), and the sums. Flat arrays, since a close sums thousands of entries a window.
  thread_local std::vector<std::uint32_t> slots;
  thread_local std::vector<std::pair<Party, Decimal>> summed;
  if (slots.size() < names_.size()) slots.resize(names_.size(), 0);
  summed.clear();
  for (const std::pair<Party, Decimal>& entry : sum.exposure) {  // None so far: a window closes once.
    summed.push_back(entry);
    slots[entry.first] = static_cast<std::uint32_t>(summed.size());
  }
  // Pane by pane in start order, as the panes of a window were always added up (plus() keeps the left value on
  // overflow, so the order is part of the result).
  for (const Pane* pane : sum.panes) {
    for (const auto& [party, e] : pane->exposure) {
      std::uint32_t& slot = slots[party];
      if (slot == 0) {
        summed.emplace_back(party, e.value);
        slot = static_cast<std::uint32_t>(summed.size());
      } else {
        Decimal& total = summed[slot - 1].second;
        total = plus(total, e.value);
      }
    }
  }
  for (const auto& entry : summed) slots[entry.first] = 0;
  std::sort(summed.begin(), summed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  sum.exposure.assign(summed.begin(), summed.end());
  sum.panes.clear();
}

void WindowStore::write(const WindowKey& key, const Totals& totals, bool final, Aggregate& a) const {
  a.set_window_start(format_rfc3339(EventTime{Millis{key.start_ms}}));
  a.set_window_end(format_rfc3339(EventTime{Millis{key.end_ms()}}));
  a.set_window_size(WindowSpec{Millis{key.size_ms}, Millis{key.advance_ms}}.name());
  a.set_corridor(std::string(corridor_view(key.corridor)));
  totals.write(a, reporting_);
  a.set_final(final);
}

void WindowStore::encode_exposure(Party party, const Decimal& value, CodedOutputStream& out) const {
  const std::string_view name = names_[party];
  const std::string amount = value.to_string(2);
  const std::uint32_t money = bytes_field_size(Money::kCurrencyFieldNumber, reporting_.size()) +
                              bytes_field_size(Money::kAmountFieldNumber, amount.size());
  const std::uint32_t entry = bytes_field_size(kMapEntryKey, name.size()) +
                              CodedOutputStream::VarintSize32(length_delimited(kMapEntryValue)) +
                              CodedOutputStream::VarintSize32(money) + money;
  out.WriteTag(length_delimited(Aggregate::kCounterpartyExposureFieldNumber));
  out.WriteVarint32(entry);
  write_bytes_field(out, kMapEntryKey, name);
  out.WriteTag(length_delimited(kMapEntryValue));
  out.WriteVarint32(money);
  write_bytes_field(out, Money::kCurrencyFieldNumber, reporting_);
  write_bytes_field(out, Money::kAmountFieldNumber, amount);
}

void WindowStore::take_closed(std::vector<EncodedPartial>& out) {
  for (const auto& [key, sum] : closing_) {
    EncodedPartial& partial = out.emplace_back();
    write(key, sum.totals, true, partial.head);
    partial.head.set_partial_kind(sanctions::v1::PARTIAL_FINAL_WINDOW);
    google::protobuf::io::StringOutputStream stream(&partial.exposure);
    CodedOutputStream coded(&stream);
    for (const auto& [party, value] : sum.exposure) encode_exposure(party, value, coded);
  }
  closing_.clear();
}

void WindowStore::take_updates(std::vector<EncodedPartial>& out) {
  for (auto& [key, pane] : panes_) {
    if (!pane.pending) continue;
    EncodedPartial& partial = out.emplace_back();
    write(WindowKey{key.length_ms, key.length_ms, key.start_ms, key.corridor}, pane.totals, false, partial.head);
    partial.head.set_partial_kind(sanctions::v1::PARTIAL_PANE);
    google::protobuf::io::StringOutputStream stream(&partial.exposure);
    CodedOutputStream coded(&stream);
    for (const auto& [party, e] : pane.exposure) encode_exposure(party, e.value, coded);
    pane.pending = false;
  }
}

void WindowStore::take_all_final(std::vector<EncodedPartial>& out) {
  close_windows(stream_time_ ? std::optional(ms(*stream_time_)) : std::nullopt, std::nullopt);
  take_closed(out);
}

void WindowStore::take_closed(std::vector<Aggregate>& out) {
  std::vector<EncodedPartial> encoded;
  take_closed(encoded);
  append_messages(encoded, out);
}

void WindowStore::take_updates(std::vector<Aggregate>& out) {
  std::vector<EncodedPartial> encoded;
  take_updates(encoded);
  append_messages(encoded, out);
}

void WindowStore::take_all_final(std::vector<Aggregate>& out) {
  std::vector<EncodedPartial> encoded;
  take_all_final(encoded);
  append_messages(encoded, out);
}

void WindowStore::commit() {
  for (const PaneUndo& u : pane_undo_) {
    if (auto it = panes_.find(u.key); it != panes_.end()) it->second.logged = false;
  }
  for (const ExposureUndo& u : exposure_undo_) {
    if (auto it = panes_.find(u.key); it != panes_.end()) {
      if (auto e = it->second.exposure.find(u.party); e != it->second.exposure.end()) e->second.logged = false;
    }
  }
  pane_undo_.clear();
  exposure_undo_.clear();
  undo_stream_time_.reset();
}

void WindowStore::rollback() {
  // Totals first (re-creating dropped panes), then their exposure entries; each list newest first.
  for (auto it = pane_undo_.rbegin(); it != pane_undo_.rend(); ++it) {
    if (it->before) {
      panes_[it->key].totals = std::move(*it->before);
    } else {
      panes_.erase(it->key);
    }
  }
  for (auto it = exposure_undo_.rbegin(); it != exposure_undo_.rend(); ++it) {
    if (it->before) {
      panes_[it->key].exposure[it->party] = Exposure{*it->before, false};
    } else if (auto pane = panes_.find(it->key); pane != panes_.end()) {
      pane->second.exposure.erase(it->party);
    }
  }
  // Updates taken since the commit went out in the aborted transaction too: publish every pane again.
  for (auto& [key, pane] : panes_) {
    pane.logged = false;
    pane.pending = true;
    for (auto& [party, e] : pane.exposure) e.logged = false;
  }
  pane_undo_.clear();
  exposure_undo_.clear();
  closing_.clear();
  if (undo_stream_time_) stream_time_ = *undo_stream_time_;
  undo_stream_time_.reset();
}

void WindowStore::changelog(std::vector<std::pair<std::string, std::string>>& out) const {
  if (undo_stream_time_ && stream_time_) {
    out.emplace_back(std::string(kStreamTimeKey), std::to_string(ms(*stream_time_)));
  }
  const auto pane_key = [](std::string_view prefix, const PaneKey& k) {
    std::string s(prefix);
    s += std::to_string(k.length_ms);
    s += '|';
    s += std::to_string(k.start_ms);
    s += '|';
    s += corridor_view(k.corridor);
    return s;
  };
  std::vector<PaneKey> panes;
  panes.reserve(pane_undo_.size());
  for (const PaneUndo& u : pane_undo_) panes.push_back(u.key);
  std::sort(panes.begin(), panes.end());
  panes.erase(std::unique(panes.begin(), panes.end()), panes.end());
  for (const PaneKey& k : panes) {
    std::string value;
    if (const auto it = panes_.find(k); it != panes_.end()) {
      Aggregate a;
      it->second.totals.write(a, reporting_);
      a.SerializeToString(&value);
    }
    out.emplace_back(pane_key(kPanePrefix, k), std::move(value));
  }
  std::vector<std::pair<PaneKey, Party>> entries;
  entries.reserve(exposure_undo_.size());
  for (const ExposureUndo& u : exposure_undo_) entries.emplace_back(u.key, u.party);
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  for (const auto& [k, party] : entries) {
    std::string value;
    if (const auto it = panes_.find(k); it != panes_.end()) {
      if (const auto e = it->second.exposure.find(party); e != it->second.exposure.end()) {
        value = std::to_string(e->second.value.micros());
      }
    }
    out.emplace_back(pane_key(kExposurePrefix, k) + "|" + names_[party], std::move(value));
  }
}

bool WindowStore::restore(std::string_view key, std::string_view value) {
  if (key == kStreamTimeKey) {
    std::int64_t t = 0;
    if (!parse_i64(value, t)) return false;
    stream_time_ = EventTime{Millis{t}};
    return true;
  }
  const bool is_pane = key.starts_with(kPanePrefix);
  if (!is_pane && !key.starts_with(kExposurePrefix)) return false;
  // "p|<length>|<start>|<corridor>" or "x|<length>|<start>|<corridor>|<counterparty>"
  std::string_view rest = key.substr(2);
  PaneKey k;
  if (!parse_i64(next_field(rest), k.length_ms) || k.length_ms <= 0 || !parse_i64(next_field(rest), k.start_ms)) {
    return false;
  }
  const std::string_view corridor = next_field(rest);
  if (corridor.empty() || corridor.size() >= k.corridor.size() || (is_pane && !rest.empty())) return false;
  k.corridor = corridor_of(corridor);
  if (is_pane) {
    if (value.empty()) {
      panes_.erase(k);
      return true;
    }
    Aggregate a;
    Totals totals;
    if (!a.ParseFromArray(value.data(), static_cast<int>(value.size())) || !totals.read(a)) return false;
    Pane& pane = panes_[k];
    pane.totals = std::move(totals);
    // The committed state may never have been published (updates go out at most every emit interval).
    pane.pending = true;
    return true;
  }
  if (rest.empty()) return false;
  if (value.empty()) {
    if (auto it = panes_.find(k); it != panes_.end()) it->second.exposure.erase(intern(rest));
    return true;
  }
  std::int64_t micros = 0;
  if (!parse_i64(value, micros)) return false;
  Pane& pane = panes_[k];
  pane.exposure[intern(rest)].value = Decimal::from_micros(micros);
  pane.pending = true;
  return true;
}

std::string WindowStore::output_key(const Aggregate& aggregate) {
  return aggregate.window_size() + "|" + aggregate.window_start() + "|" + aggregate.corridor();
}

std::string WindowStore::merge_group(const Aggregate& partial) {
  if (partial.partial_kind() == sanctions::v1::PARTIAL_FINAL_WINDOW) {
    if (const auto spec = parse_window_spec(partial.window_size())) {
      return format_duration(spec->pane()) + "|" + partial.corridor();
    }
  }
  return partial.window_size() + "|" + partial.corridor();
}

}  // namespace sm::aggregate
