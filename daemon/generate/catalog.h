#pragma once

// The generator's fixed tables: goods by HS 2022 code, corridors with their goods and currency mixes, banks,
// and the word lists that invented company names are built from. Internal to the generate module (the unit
// tests read it too). Every HS code here was checked by hand against HS 2022; a unit test checks it again
// against the nomenclature file.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "generate/random.h"

namespace sm::generate::catalog {

enum class Group : std::uint8_t {
  kEnergy,  // HS chapter 27: crude, products, LNG and gas, coal.
  kChpl,    // Common High Priority List items.
  kAircraft,
  kMachinery,
  kCars,
  kFish,
  kPork,
  kDairy,
  kSoybeans,
  kConfectionery,
  kFurniture,
  kFertiliser,
  kTimber,
};
inline constexpr std::size_t kGroupCount = 13;
std::string_view group_name(Group g);

// One HS 6-digit code with a plausible shipment size: quantity in `unit` and USD price per unit in cents.
struct Good {
  std::string_view hs;
  Group group;
  std::string_view description;  // Short, as an invoice would word it.
  std::string_view unit;
  std::int64_t qty_lo, qty_hi;
  std::int64_t price_lo_cents, price_hi_cents;
  std::uint32_t weight;  // Relative frequency within its group.
};
std::span<const Good> goods();
// A good of `group`, by weight.
const Good& pick_good(Group group, Rng& rng);

// Settlement mix: an ISO code (or "CNH"), or the channels "NETTING" / "BARTER" that may carry no currency.
struct CurrencyShare {
  std::string_view code;
  std::uint32_t weight;
};

struct Corridor {
  std::string_view origin, destination;
  std::uint32_t weight;
  std::array<std::uint32_t, kGroupCount> goods_mix;  // Weights by Group.
  std::span<const CurrencyShare> energy_currencies;  // Settlement of chapter-27 cargoes.
  std::span<const CurrencyShare> other_currencies;   // Everything else.
  std::uint32_t transit_percent;                     // Share of shipments routed through third countries.
  std::span<const std::string_view> transit;         // Candidate transit countries.
};
std::span<const Corridor> corridors();

// How many units of `currency` one US dollar buys, in ten-thousandths (fixed, for plausible magnitudes).
std::int64_t usd_rate_e4(std::string_view currency);

struct BankInfo {
  std::string_view country;
  std::string_view name;
  std::string_view code;      // 4 letters, the BIC's bank code.
  std::string_view location;  // 2 alphanumerics, the BIC's location code.
};
// Invented banks of `country` (empty if none).
std::span<const BankInfo> banks(std::string_view country);

// An invented company of `country`: name (Latin, or for some Russian, Belarusian, Kazakh, Chinese and Hong Kong
// companies native script), registration id in the country's usual form, and a city-level address.
struct Company {
  std::string name;
  std::string registration_id;
  std::string address;
};
Company company(std::string_view country, Rng& rng);

// A plausible vessel name ("ARCTIC VOYAGER") and flag.
std::string vessel_name(Rng& rng);
std::string_view vessel_flag(Rng& rng);

// Appends the IMO check digit to 6 digits: the weighted sum (7..2) modulo 10.
char imo_check_digit(std::string_view six_digits);

}  // namespace sm::generate::catalog
