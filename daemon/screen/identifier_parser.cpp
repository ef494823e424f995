#include "screen/identifier_parser.h"

#include <array>
#include <cctype>
#include <string>

#include "screen/country_names.h"

namespace sm::screen {
namespace {

// Labels of company and tax registrations that a trade document may quote. Personal documents (passports,
// cedulas) are left out: trade events carry company numbers, and a personal number colliding with one would
// raise a false identifier match at score 1.0.
constexpr std::array<std::string_view, 34> kRegistrationLabels = {
    "Tax ID No.",
    "Registration Number",
    "Registration ID",
    "Company Number",
    "Business Registration Number",
    "Business Registration Document #",
    "Business Number",
    "Commercial Registry Number",
    "Commercial Registration Number",
    "Chamber of Commerce Number",
    "Government Gazette Number",
    "Unified Social Credit Code (USCC)",
    "Legal Entity Number",
    "NIT #",
    "RUC #",
    "RIF #",
    "C.R. No.",
    "V.A.T. Number",
    "VAT Number",
    "Trade License No.",
    "Matricula Mercantil No",
    "Folio Mercantil No.",
    "Identification Number",
    "Enterprise Number",
    "Certificate of Incorporation Number",
    "Public Registration Number",
    "Economic Register Number (CBLS)",
    "Registered Charity No.",
    "Trade Registry Number",
    "Commercial Register Number",
    "Central Registration System Number",
    "Financial Institution Number",
    "Tax Registration Number",
    "Company ID",
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '.' || s.back() == ':')) s.remove_suffix(1);
  return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != std::toupper(static_cast<unsigned char>(prefix[i]))) return false;
  }
  return true;
}

bool contains_nocase(std::string_view s, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (starts_with_nocase(s.substr(i), needle)) return true;
  }
  return false;
}

bool is_registration_label(std::string_view label) {
  const std::string_view t = trim(label);
  for (const auto l : kRegistrationLabels) {
    if (trim(l).size() == t.size() && starts_with_nocase(t, trim(l))) return true;
  }
  return false;
}

// "IMO 9187629" anywhere in `text` (vessel and ship-owner company numbers alike).
std::string find_imo(std::string_view text) {
  for (std::size_t i = 0; i + 3 <= text.size(); ++i) {
    if (!starts_with_nocase(text.substr(i), "IMO")) continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1])) != 0) continue;
    std::string digits;
    std::size_t j = i + 3;
    while (j < text.size() && (text[j] == ' ' || text[j] == ':')) ++j;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])) != 0) digits.push_back(text[j++]);
    if (digits.size() == 7 && (j == text.size() || std::isalnum(static_cast<unsigned char>(text[j])) == 0)) return digits;
  }
  return {};
}

void add(ParsedRemarks& out, IdentifierKind kind, std::string value, std::string country, std::string_view label) {
  if (value.empty()) return;
  for (const auto& id : out.identifiers) {
    if (id.kind == kind && id.value == value && id.country == country) return;
  }
  out.identifiers.push_back(Identifier{kind, std::move(value), std::move(country), std::string(trim(label))});
}

bool mentions_secondary_sanctions(std::string_view text) {
  return contains_nocase(text, "Secondary sanctions risk") || contains_nocase(text, "Subject to Secondary Sanctions");
}

}  // namespace

std::string canonical_bic(std::string_view bic) {
  std::string out;
  for (const char c : bic) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    else if (c != ' ' && c != '-') return {};
  }
  if (out.size() != 8 && out.size() != 11) return {};
  // Institution and country code are letters (ISO 9362); the location and branch are letters or digits.
  for (std::size_t i = 0; i < 6; ++i) {
    if (std::isalpha(static_cast<unsigned char>(out[i])) == 0) return {};
  }
  if (out.size() == 11 && out.compare(8, 3, "XXX") == 0) out.resize(8);
  return out;
}

std::string canonical_imo(std::string_view imo) {
  std::string digits;
  std::string_view s = imo;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  if (starts_with_nocase(s, "IMO")) s.remove_prefix(3);
  for (const char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) digits.push_back(c);
    else if (c != ' ' && c != ':' && c != '.') return {};
  }
  return digits.size() == 7 ? digits : std::string();
}

std::string canonical_registration(std::string_view number) {
  std::string out;
  bool digit = false;
  for (const char c : number) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      digit = digit || std::isdigit(static_cast<unsigned char>(c)) != 0;
    }
  }
  return (out.size() >= 4 && digit) ? out : std::string();
}

void parse_ofac_remarks(std::string_view remarks, ParsedRemarks& out) {
  if (mentions_secondary_sanctions(remarks)) out.secondary_sanctions_risk = true;
  while (!remarks.empty()) {
    const std::size_t semi = remarks.find(';');
    std::string_view part = trim(remarks.substr(0, semi));
    remarks = semi == std::string_view::npos ? std::string_view() : remarks.substr(semi + 1);
    if (starts_with_nocase(part, "alt. ")) part = trim(part.substr(5));
    if (part.empty()) continue;

    if (starts_with_nocase(part, "Linked To:")) {
      std::string_view name = trim(part.substr(10));
      if (!name.empty() && name.back() == '.') name.remove_suffix(1);  // The remark's closing full stop.
      if (!name.empty()) out.linked_to.emplace_back(name);
      continue;
    }
    if (const std::string imo = find_imo(part); !imo.empty()) {
      add(out, IdentifierKind::kImo, imo, "", "IMO");
      continue;
    }
    if (starts_with_nocase(part, "SWIFT/BIC ")) {
      add(out, IdentifierKind::kBic, canonical_bic(trim(part.substr(10))), "", "SWIFT/BIC");
      continue;
    }
    for (const auto label : kRegistrationLabels) {
      if (!starts_with_nocase(part, label) || part.size() <= label.size() || part[label.size()] != ' ') continue;
      std::string_view value = trim(part.substr(label.size()));
      std::string country;
      // A trailing "(Russia)" names the issuing country; "(Jalisco)" and the like are not countries.
      if (!value.empty() && value.back() == ')') {
        const std::size_t open = value.rfind('(');
        if (open != std::string_view::npos) {
          country = country_code_for_name(value.substr(open + 1, value.size() - open - 2));
          value = trim(value.substr(0, open));
        }
      }
      add(out, IdentifierKind::kRegistration, canonical_registration(value), country, label);
      break;
    }
  }
}

void parse_csl_id(std::string_view item, ParsedRemarks& out) {
  item = trim(item);
  if (item.empty()) return;
  if (mentions_secondary_sanctions(item)) out.secondary_sanctions_risk = true;
  // The type is the last comma-separated part; the number the one before it; a leading two-letter part is the
  // issuing country. Types may themselves contain commas only in descriptive entries we do not use.
  std::vector<std::string_view> parts;
  std::string_view rest = item;
  while (true) {
    const std::size_t comma = rest.find(',');
    parts.push_back(trim(rest.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  if (parts.size() < 2) return;
  const std::string_view type = parts.back();
  const std::string_view number = parts[parts.size() - 2];
  std::string country;
  if (parts.size() >= 3 && parts.front().size() == 2 && std::isupper(static_cast<unsigned char>(parts.front()[0])) != 0 &&
      std::isupper(static_cast<unsigned char>(parts.front()[1])) != 0) {
    country = std::string(parts.front());
  }
  if (const std::string imo = find_imo(number); !imo.empty()) {
    add(out, IdentifierKind::kImo, imo, "", "IMO");
  } else if (starts_with_nocase(type, "SWIFT/BIC")) {
    add(out, IdentifierKind::kBic, canonical_bic(number), "", "SWIFT/BIC");
  } else if (is_registration_label(type)) {
    add(out, IdentifierKind::kRegistration, canonical_registration(number), country, type);
  }
}

}  // namespace sm::screen
