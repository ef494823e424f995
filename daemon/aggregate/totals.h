#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/decimal.h"
#include "sanctions/v1/aggregate.pb.h"
#include "sanctions/v1/alert.pb.h"

namespace sm::aggregate {

// Exact addition that keeps the left value on overflow (9.2 trillion units: never reached by a sane window).
inline Decimal plus(Decimal a, Decimal b) { return a.checked_add(b).value_or(a); }

// Adds `v` under `name` in a vector sorted by name.
void add_sorted(std::vector<std::pair<std::string, Decimal>>& sorted, std::string_view name, Decimal v);

// The additive part of an aggregate, without the window's identity and without counterparty exposure: what a
// pane, a window partial and a merged window hold alike. Shares are derived from it when it is written out.
struct Totals {
  std::int64_t event_count = 0;
  std::int64_t unvalued_lines = 0;
  Decimal total;
  Decimal total_ex_energy;
  Decimal national_ex_energy;
  std::array<Decimal, 7> by_class{};      // Indexed by CurrencyClass.
  std::array<std::int64_t, 5> by_tier{};  // Indexed by RiskTier.
  std::vector<std::pair<std::string, Decimal>> by_group;  // Sorted by group; a handful.

  void add(const Totals& other);
  // Sets the totals and the shares in `a`, amounts in `currency` (two fractional digits); the rest of `a` is kept.
  void write(sanctions::v1::Aggregate& a, const std::string& currency) const;
  // Reads what write() wrote. False if an amount, a currency class or a tier does not parse.
  bool read(const sanctions::v1::Aggregate& a);
};

// A corridor ("CN-RU") held inline, so that keys made from it allocate nothing; longer text is cut to 7 chars.
using Corridor = std::array<char, 8>;
Corridor corridor_of(std::string_view text);
inline std::string_view corridor_view(const Corridor& c) { return std::string_view(c.data()); }

// One window of one corridor: [start, start + size), a window of the spec (size, advance). Ordered by spec, start,
// then corridor (the order in which both stages publish).
struct WindowKey {
  std::int64_t size_ms = 0;
  std::int64_t advance_ms = 0;
  std::int64_t start_ms = 0;
  Corridor corridor{};
  auto operator<=>(const WindowKey&) const = default;
  std::int64_t end_ms() const { return start_ms + size_ms; }
};

}  // namespace sm::aggregate
