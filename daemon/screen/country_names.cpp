#include "screen/country_names.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cctype>
#include <unordered_map>

namespace sm::screen {
namespace {

std::string upper_letters(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::unordered_map<std::string, std::string> build_table() {
  std::unordered_map<std::string, std::string> table;
  for (const char* const* cc = icu::Locale::getISOCountries(); *cc != nullptr; ++cc) {
    icu::UnicodeString display;
    icu::Locale("", *cc).getDisplayCountry(icu::Locale::getEnglish(), display);
    std::string utf8;
    display.toUTF8String(utf8);
    table.emplace(upper_letters(utf8), *cc);
  }
  // OFAC's spellings that differ from CLDR's English names.
  static constexpr std::pair<const char*, const char*> kOfac[] = {
      {"Korea, North", "KP"}, {"Korea, South", "KR"}, {"Burma", "MM"}, {"Russia", "RU"},
      {"Iran", "IR"},         {"Syria", "SY"},        {"Venezuela", "VE"}, {"Bolivia", "BO"},
      {"Tanzania", "TZ"},     {"Vietnam", "VN"},      {"Laos", "LA"},      {"Moldova", "MD"},
      {"Macau", "MO"},        {"Hong Kong", "HK"},    {"Taiwan", "TW"},    {"Czech Republic", "CZ"},
      {"Turkey", "TR"},       {"Congo, Democratic Republic of the", "CD"}, {"Congo, Republic of the", "CG"},
      {"Cote d Ivoire", "CI"}, {"Palestinian", "PS"}, {"West Bank", "PS"}, {"Gaza", "PS"},
      {"United States", "US"}, {"United Kingdom", "GB"}, {"Kyrgyzstan", "KG"}, {"Brunei", "BN"},
      {"The Bahamas", "BS"},  {"The Gambia", "GM"},   {"Micronesia, Federated States of", "FM"},
      {"Region: Crimea", "UA"}, {"Curacao", "CW"},    {"Sint Maarten", "SX"}, {"Netherlands Antilles", "AN"},
  };
  for (const auto& [name, code] : kOfac) table[upper_letters(name)] = code;
  // The UN list's formal names.
  static constexpr std::pair<const char*, const char*> kUn[] = {
      {"Iran (Islamic Republic of)", "IR"}, {"Democratic People's Republic of Korea", "KP"},
      {"Republic of Korea", "KR"}, {"United Kingdom of Great Britain and Northern Ireland", "GB"},
      {"Russian Federation", "RU"}, {"Syrian Arab Republic", "SY"}, {"United Republic of Tanzania", "TZ"},
      {"United States of America", "US"}, {"Türkiye", "TR"}, {"Democratic Republic of the Congo", "CD"},
      {"Lao People's Democratic Republic", "LA"}, {"Republic of Moldova", "MD"}, {"Viet Nam", "VN"},
      {"Bolivia (Plurinational State of)", "BO"}, {"Venezuela (Bolivarian Republic of)", "VE"},
      {"State of Palestine", "PS"}, {"Congo", "CG"},
  };
  for (const auto& [name, code] : kUn) table[upper_letters(name)] = code;
  return table;
}

}  // namespace

std::string country_code_for_name(std::string_view english_name) {
  static const std::unordered_map<std::string, std::string> table = build_table();
  const auto it = table.find(upper_letters(english_name));
  return it == table.end() ? std::string() : it->second;
}

}  // namespace sm::screen
