#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "model/result.h"

namespace sm {

// ISO 4217 currencies and ISO 3166-1 alpha-2 countries, read from Debian's iso-codes JSON files, with each
// country's currency in use taken from ICU's CLDR data. Immutable after load; safe to share across threads.
class IsoCodes {
 public:
  static constexpr std::string_view kDefaultDir = "/usr/share/iso-codes/json";

  // Loads iso_4217.json and iso_3166-1.json from `dir`. Fails with the path and reason if either is
  // missing or malformed.
  static Result<IsoCodes> load(const std::string& dir = std::string(kDefaultDir));

  // Upper-cases and maps market aliases onto their ISO code ("cnh" -> "CNY"). Does not validate.
  static std::string normalise_currency(std::string_view code);

  bool is_currency(std::string_view code) const;  // Expects a normalised code.
  bool is_country(std::string_view alpha2) const;
  // The currency in use in `alpha2` ("RU" -> "RUB", "DE" -> "EUR"), or "" when ICU has none.
  const std::string& national_currency(std::string_view alpha2) const;

  std::size_t currency_count() const { return currencies_.size(); }
  std::size_t country_count() const { return countries_.size(); }

 private:
  std::unordered_set<std::string> currencies_;
  std::unordered_set<std::string> countries_;
  std::unordered_map<std::string, std::string> national_currency_;
};

}  // namespace sm
