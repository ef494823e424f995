#include "aggregate/window_store.h"

#include <algorithm>
#include <charconv>

namespace sm::aggregate {
namespace {

using sanctions::v1::Aggregate;

constexpr std::string_view kStreamTimeKey = "t";

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

void set_money(sanctions::v1::Money* money, const std::string& currency, Decimal amount) {
  money->set_currency(currency);
  money->set_amount(amount.to_string(2));
}

std::optional<Decimal> money_amount(const sanctions::v1::Money& money) {
  if (money.amount().empty()) return Decimal{};
  return Decimal::parse(money.amount());
}

void add_to(std::vector<std::pair<std::string, Decimal>>& sorted, std::string_view name, Decimal v) {
  auto at = std::lower_bound(sorted.begin(), sorted.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  if (at == sorted.end() || at->first != name) at = sorted.emplace(at, std::string(name), Decimal{});
  at->second = at->second.checked_add(v).value_or(at->second);
}

}  // namespace

std::string WindowSpec::name() const {
  return advance == size ? format_duration(size) : format_duration(size) + "/" + format_duration(advance);
}

std::optional<WindowSpec> parse_window_spec(std::string_view text) {
  const auto slash = text.find('/');
  const auto size = parse_duration(text.substr(0, slash));
  if (!size) return std::nullopt;
  WindowSpec spec{*size, *size};
  if (slash != std::string_view::npos) {
    const auto advance = parse_duration(text.substr(slash + 1));
    if (!advance || *advance > *size) return std::nullopt;
    spec.advance = *advance;
  }
  return spec;
}

WindowStore::WindowStore(std::vector<WindowSpec> windows, Millis grace, std::string reporting_currency)
    : specs_(std::move(windows)), grace_(grace), reporting_(std::move(reporting_currency)) {}

WindowStore::Corridor WindowStore::corridor_of(std::string_view text) {
  Corridor c{};
  std::copy_n(text.data(), std::min(text.size(), c.size() - 1), c.begin());
  return c;
}

WindowStore::Slot& WindowStore::touch(const Key& key) {
  auto [it, inserted] = windows_.try_emplace(key);
  Slot& slot = it->second;
  if (!slot.undo_recorded) {
    undo_.emplace_back(key, inserted ? std::nullopt : std::optional<State>(slot.state));
    slot.undo_recorded = true;
  }
  slot.pending = true;
  return slot;
}

AddOutcome WindowStore::add(const EventContribution& event) {
  AddOutcome outcome;
  if (!stream_time_ || event.time > *stream_time_) {
    if (!undo_stream_time_) undo_stream_time_ = stream_time_;
    stream_time_ = event.time;
  }
  const std::int64_t t = event.time.time_since_epoch().count();
  const std::int64_t now = stream_time_->time_since_epoch().count();
  const Corridor corridor = corridor_of(event.corridor);
  Decimal event_value;
  std::vector<std::string_view> counterparties;
  if (!event.counterparties.empty()) {
    for (const LineContribution& line : event.lines) {
      if (line.value) event_value = event_value.checked_add(*line.value).value_or(event_value);
    }
    for (std::string_view c : event.counterparties) {
      if (!c.empty() && std::find(counterparties.begin(), counterparties.end(), c) == counterparties.end()) {
        counterparties.push_back(c);
      }
    }
  }
  for (const WindowSpec& spec : specs_) {
    const std::int64_t size = spec.size.count();
    const std::int64_t advance = spec.advance.count();
    // Windows [start, start + size) with start = n * advance containing t: from the last start <= t backwards.
    for (std::int64_t start = floor_div(t, advance) * advance; start > t - size; start -= advance) {
      if (start + size + grace_.count() <= now) {
        outcome.late_windows.push_back(spec.name() + "@" + format_rfc3339(EventTime{Millis{start}}));
        continue;
      }
      State& s = touch(Key{size, advance, start, corridor}).state;
      ++outcome.windows_updated;
      ++s.event_count;
      s.by_tier[static_cast<std::size_t>(event.tier)] += 1;
      for (std::string_view c : counterparties) add_to(s.exposure, c, event_value);
      for (const LineContribution& line : event.lines) {
        if (!line.value) {
          ++s.unvalued_lines;
          continue;
        }
        const Decimal v = *line.value;
        s.total = s.total.checked_add(v).value_or(s.total);
        s.by_class[static_cast<std::size_t>(event.currency_class)] =
            s.by_class[static_cast<std::size_t>(event.currency_class)].checked_add(v).value_or(s.by_class[static_cast<std::size_t>(event.currency_class)]);
        if (!line.energy) {
          s.total_ex_energy = s.total_ex_energy.checked_add(v).value_or(s.total_ex_energy);
          if (event.currency_class == sanctions::v1::NATIONAL) {
            s.national_ex_energy = s.national_ex_energy.checked_add(v).value_or(s.national_ex_energy);
          }
        }
        if (line.groups != nullptr) {
          for (const std::string& g : *line.groups) {
            auto at = std::lower_bound(s.by_group.begin(), s.by_group.end(), g,
                                       [](const auto& entry, const std::string& name) { return entry.first < name; });
            if (at == s.by_group.end() || at->first != g) at = s.by_group.emplace(at, g, Decimal{});
            at->second = at->second.checked_add(v).value_or(at->second);
          }
        }
      }
    }
  }
  return outcome;
}

Aggregate WindowStore::to_proto(const Key& key, const State& s, bool final) const {
  Aggregate a;
  a.set_window_start(format_rfc3339(EventTime{Millis{key.start_ms}}));
  a.set_window_end(format_rfc3339(EventTime{Millis{key.start_ms + key.size_ms}}));
  a.set_window_size(WindowSpec{Millis{key.size_ms}, Millis{key.advance_ms}}.name());
  a.set_corridor(key.corridor_string());
  a.set_event_count(s.event_count);
  set_money(a.mutable_total_value(), reporting_, s.total);
  for (std::size_t i = 1; i < s.by_class.size(); ++i) {
    if (s.by_class[i].is_zero()) continue;
    set_money(&(*a.mutable_value_by_currency_class())[sanctions::v1::CurrencyClass_Name(static_cast<int>(i))],
              reporting_, s.by_class[i]);
  }
  for (const auto& [group, value] : s.by_group) {
    set_money(&(*a.mutable_value_by_product_group())[group], reporting_, value);
  }
  for (std::size_t i = 1; i < s.by_tier.size(); ++i) {
    if (s.by_tier[i] == 0) continue;
    (*a.mutable_alerts_by_tier())[sanctions::v1::RiskTier_Name(static_cast<int>(i))] = s.by_tier[i];
  }
  a.set_national_currency_share(Decimal::ratio(s.by_class[sanctions::v1::NATIONAL], s.total));
  a.set_national_currency_share_ex_energy(Decimal::ratio(s.national_ex_energy, s.total_ex_energy));
  a.set_usd_share(Decimal::ratio(s.by_class[sanctions::v1::USD], s.total));
  a.set_final(final);
  a.set_unvalued_line_items(s.unvalued_lines);
  set_money(a.mutable_total_value_ex_energy(), reporting_, s.total_ex_energy);
  set_money(a.mutable_national_value_ex_energy(), reporting_, s.national_ex_energy);
  for (const auto& [name, value] : s.exposure) {
    set_money(&(*a.mutable_counterparty_exposure())[name], reporting_, value);
  }
  return a;
}

void WindowStore::take_closed(std::vector<Aggregate>& out) {
  if (!stream_time_) return;
  const std::int64_t now = stream_time_->time_since_epoch().count();
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (it->first.start_ms + it->first.size_ms + grace_.count() <= now) {
      const Key key = it->first;
      touch(key);
      out.push_back(to_proto(key, windows_.at(key).state, true));
      it = windows_.erase(windows_.find(key));
    } else {
      ++it;
    }
  }
}

void WindowStore::take_updates(std::vector<Aggregate>& out) {
  for (auto& [key, slot] : windows_) {
    if (!slot.pending) continue;
    out.push_back(to_proto(key, slot.state, false));
    slot.pending = false;
  }
}

void WindowStore::take_all_final(std::vector<Aggregate>& out) {
  std::vector<Key> keys;
  keys.reserve(windows_.size());
  for (const auto& [key, slot] : windows_) keys.push_back(key);
  for (const Key& key : keys) out.push_back(to_proto(key, touch(key).state, true));
  windows_.clear();
}

void WindowStore::commit() {
  for (const auto& [key, before] : undo_) {
    if (auto it = windows_.find(key); it != windows_.end()) it->second.undo_recorded = false;
  }
  undo_.clear();
  undo_stream_time_.reset();
}

void WindowStore::rollback() {
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) {
    auto& [key, before] = *it;
    if (before) {
      Slot& slot = windows_[key];
      slot.state = std::move(*before);
      slot.pending = true;
    } else {
      windows_.erase(key);
    }
  }
  // Updates taken since the commit went out in the aborted transaction too: publish every open window again.
  for (auto& [key, slot] : windows_) {
    slot.undo_recorded = false;
    slot.pending = true;
  }
  undo_.clear();
  if (undo_stream_time_) stream_time_ = *undo_stream_time_;
  undo_stream_time_.reset();
}

std::string WindowStore::state_key(const Key& key) {
  return "w|" + std::to_string(key.size_ms) + "|" + std::to_string(key.advance_ms) + "|" +
         std::to_string(key.start_ms) + "|" + key.corridor_string();
}

void WindowStore::changelog(std::vector<std::pair<std::string, std::string>>& out) const {
  if (undo_stream_time_ && stream_time_) {
    out.emplace_back(std::string(kStreamTimeKey), std::to_string(stream_time_->time_since_epoch().count()));
  }
  std::vector<Key> keys;
  keys.reserve(undo_.size());
  for (const auto& [key, before] : undo_) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const Key& key : keys) {
    const auto it = windows_.find(key);
    out.emplace_back(state_key(key), it == windows_.end() ? std::string()
                                                          : to_proto(key, it->second.state, false).SerializeAsString());
  }
}

bool WindowStore::restore(std::string_view key, std::string_view value) {
  if (key == kStreamTimeKey) {
    std::int64_t ms = 0;
    if (!parse_i64(value, ms)) return false;
    stream_time_ = EventTime{Millis{ms}};
    return true;
  }
  // "w|<size>|<advance>|<start>|<corridor>"
  if (!key.starts_with("w|")) return false;
  Key k;
  std::string_view rest = key.substr(2);
  std::int64_t* fields[] = {&k.size_ms, &k.advance_ms, &k.start_ms};
  for (std::int64_t* field : fields) {
    const auto bar = rest.find('|');
    if (bar == std::string_view::npos || !parse_i64(rest.substr(0, bar), *field)) return false;
    rest = rest.substr(bar + 1);
  }
  if (rest.size() >= k.corridor.size()) return false;
  k.corridor = corridor_of(rest);
  if (value.empty()) {
    windows_.erase(k);
    return true;
  }
  Aggregate a;
  if (!a.ParseFromArray(value.data(), static_cast<int>(value.size()))) return false;
  State s;
  s.event_count = a.event_count();
  s.unvalued_lines = a.unvalued_line_items();
  const auto total = money_amount(a.total_value());
  const auto total_ex = money_amount(a.total_value_ex_energy());
  const auto national_ex = money_amount(a.national_value_ex_energy());
  if (!total || !total_ex || !national_ex) return false;
  s.total = *total;
  s.total_ex_energy = *total_ex;
  s.national_ex_energy = *national_ex;
  for (const auto& [name, money] : a.value_by_currency_class()) {
    sanctions::v1::CurrencyClass c{};
    const auto amount = money_amount(money);
    if (!sanctions::v1::CurrencyClass_Parse(name, &c) || !amount) return false;
    s.by_class[static_cast<std::size_t>(c)] = *amount;
  }
  for (const auto& [group, money] : a.value_by_product_group()) {
    const auto amount = money_amount(money);
    if (!amount) return false;
    s.by_group.emplace_back(group, *amount);
  }
  std::sort(s.by_group.begin(), s.by_group.end());
  for (const auto& [name, money] : a.counterparty_exposure()) {
    const auto amount = money_amount(money);
    if (!amount) return false;
    s.exposure.emplace_back(name, *amount);
  }
  std::sort(s.exposure.begin(), s.exposure.end());
  for (const auto& [name, count] : a.alerts_by_tier()) {
    sanctions::v1::RiskTier t{};
    if (!sanctions::v1::RiskTier_Parse(name, &t)) return false;
    s.by_tier[static_cast<std::size_t>(t)] = count;
  }
  // The committed state may never have been published (updates go out at most every emit interval): list it
  // in the next updates.
  Slot& slot = windows_[k];
  slot.state = std::move(s);
  slot.pending = true;
  return true;
}

std::string WindowStore::output_key(const Aggregate& aggregate) {
  return aggregate.window_size() + "|" + aggregate.window_start() + "|" + aggregate.corridor();
}

}  // namespace sm::aggregate
