#include "aggregate/totals.h"

#include <algorithm>

namespace sm::aggregate {
namespace {

void set_money(sanctions::v1::Money* money, const std::string& currency, Decimal amount) {
  money->set_currency(currency);
  money->set_amount(amount.to_string(2));
}

std::optional<Decimal> amount_of(const sanctions::v1::Money& money) {
  if (money.amount().empty()) return Decimal{};
  return Decimal::parse(money.amount());
}

}  // namespace

void add_sorted(std::vector<std::pair<std::string, Decimal>>& sorted, std::string_view name, Decimal v) {
  auto at = std::lower_bound(sorted.begin(), sorted.end(), name,
                             [](const auto& entry, std::string_view n) { return entry.first < n; });
  if (at == sorted.end() || at->first != name) at = sorted.emplace(at, std::string(name), Decimal{});
  at->second = plus(at->second, v);
}

void Totals::add(const Totals& o) {
  event_count += o.event_count;
  unvalued_lines += o.unvalued_lines;
  total = plus(total, o.total);
  total_ex_energy = plus(total_ex_energy, o.total_ex_energy);
  national_ex_energy = plus(national_ex_energy, o.national_ex_energy);
  for (std::size_t i = 0; i < by_class.size(); ++i) by_class[i] = plus(by_class[i], o.by_class[i]);
  for (std::size_t i = 0; i < by_tier.size(); ++i) by_tier[i] += o.by_tier[i];
  for (const auto& [group, value] : o.by_group) add_sorted(by_group, group, value);
}

void Totals::write(sanctions::v1::Aggregate& a, const std::string& currency) const {
  a.set_event_count(event_count);
  set_money(a.mutable_total_value(), currency, total);
  for (std::size_t i = 1; i < by_class.size(); ++i) {
    if (by_class[i].is_zero()) continue;
    set_money(&(*a.mutable_value_by_currency_class())[sanctions::v1::CurrencyClass_Name(static_cast<int>(i))],
              currency, by_class[i]);
  }
  for (const auto& [group, value] : by_group) set_money(&(*a.mutable_value_by_product_group())[group], currency, value);
  for (std::size_t i = 1; i < by_tier.size(); ++i) {
    if (by_tier[i] == 0) continue;
    (*a.mutable_alerts_by_tier())[sanctions::v1::RiskTier_Name(static_cast<int>(i))] = by_tier[i];
  }
  a.set_national_currency_share(Decimal::ratio(by_class[sanctions::v1::NATIONAL], total));
  a.set_national_currency_share_ex_energy(Decimal::ratio(national_ex_energy, total_ex_energy));
  a.set_usd_share(Decimal::ratio(by_class[sanctions::v1::USD], total));
  a.set_unvalued_line_items(unvalued_lines);
  set_money(a.mutable_total_value_ex_energy(), currency, total_ex_energy);
  set_money(a.mutable_national_value_ex_energy(), currency, national_ex_energy);
}

bool Totals::read(const sanctions::v1::Aggregate& a) {
  *this = Totals{};
  event_count = a.event_count();
  unvalued_lines = a.unvalued_line_items();
  const auto t = amount_of(a.total_value());
  const auto t_ex = amount_of(a.total_value_ex_energy());
  const auto n_ex = amount_of(a.national_value_ex_energy());
  if (!t || !t_ex || !n_ex) return false;
  total = *t;
  total_ex_energy = *t_ex;
  national_ex_energy = *n_ex;
  for (const auto& [name, money] : a.value_by_currency_class()) {
    sanctions::v1::CurrencyClass c{};
    const auto amount = amount_of(money);
    if (!sanctions::v1::CurrencyClass_Parse(name, &c) || !amount) return false;
    by_class[static_cast<std::size_t>(c)] = *amount;
  }
  for (const auto& [group, money] : a.value_by_product_group()) {
    const auto amount = amount_of(money);
    if (!amount) return false;
    by_group.emplace_back(group, *amount);
  }
  std::sort(by_group.begin(), by_group.end());
  for (const auto& [name, count] : a.alerts_by_tier()) {
    sanctions::v1::RiskTier tier{};
    if (!sanctions::v1::RiskTier_Parse(name, &tier)) return false;
    by_tier[static_cast<std::size_t>(tier)] = count;
  }
  return true;
}

Corridor corridor_of(std::string_view text) {
  Corridor c{};
  std::copy_n(text.data(), std::min(text.size(), c.size() - 1), c.begin());
  return c;
}

}  // namespace sm::aggregate
