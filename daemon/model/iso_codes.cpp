#include "model/iso_codes.h"

#include <unicode/ucurr.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace sm {
namespace {

Result<nlohmann::json> read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error("iso_codes_missing", "cannot open " + path + " (install Debian's iso-codes package)");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return make_error("iso_codes_malformed", path + ": " + e.what());
  }
}

// The currency ICU/CLDR lists as in use today for a region, e.g. "RU" -> "RUB".
std::string icu_currency_for_region(const std::string& alpha2) {
  const std::string locale = "und_" + alpha2;
  UChar buffer[4] = {};
  UErrorCode status = U_ZERO_ERROR;
  const int32_t len = ucurr_forLocale(locale.c_str(), buffer, 4, &status);
  if (U_FAILURE(status) || len != 3) return {};
  std::string out;
  for (int i = 0; i < 3; ++i) out += static_cast<char>(buffer[i]);
  return out;
}

}  // namespace

Result<IsoCodes> IsoCodes::load(const std::string& dir) {
  IsoCodes codes;
  auto currencies = read_json(dir + "/iso_4217.json");
  if (!currencies) return currencies.error();
  auto countries = read_json(dir + "/iso_3166-1.json");
  if (!countries) return countries.error();
  try {
    for (const auto& c : currencies->at("4217")) codes.currencies_.insert(c.at("alpha_3").get<std::string>());
    for (const auto& c : countries->at("3166-1")) {
      auto alpha2 = c.at("alpha_2").get<std::string>();
      std::string currency = icu_currency_for_region(alpha2);
      if (!currency.empty()) codes.national_currency_.emplace(alpha2, std::move(currency));
      codes.countries_.insert(std::move(alpha2));
    }
  } catch (const nlohmann::json::exception& e) {
    return make_error("iso_codes_malformed", dir + ": " + e.what());
  }
  if (codes.currencies_.empty() || codes.countries_.empty()) {
    return make_error("iso_codes_malformed", dir + ": no currencies or countries found");
  }
  return codes;
}

std::string IsoCodes::normalise_currency(std::string_view code) {
  std::string out(code);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (out == "CNH") out = "CNY";  // Offshore renminbi: a market code, not ISO 4217; it is renminbi.
  return out;
}

bool IsoCodes::is_currency(std::string_view code) const { return currencies_.contains(std::string(code)); }

bool IsoCodes::is_country(std::string_view alpha2) const { return countries_.contains(std::string(alpha2)); }

const std::string& IsoCodes::national_currency(std::string_view alpha2) const {
  static const std::string kNone;
  auto it = national_currency_.find(std::string(alpha2));
  return it == national_currency_.end() ? kNone : it->second;
}

}  // namespace sm
