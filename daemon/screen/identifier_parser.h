#pragma once

#include <string_view>
#include <vector>

#include "screen/list_entry.h"

namespace sm::screen {

// What the matcher takes from free-text remarks and id columns.
struct ParsedRemarks {
  std::vector<Identifier> identifiers;
  bool secondary_sanctions_risk = false;
  std::vector<std::string> linked_to;  // Names after "Linked To:", without the closing full stop.
};

// Parses OFAC remarks ("SWIFT/BIC HAVIGB2L; Vessel Registration Identification IMO 9187629; Tax ID No.
// 7744001497 (Russia); Secondary sanctions risk: ..."). Unknown parts are ignored; malformed values (a BIC
// of the wrong length) are dropped. Appends to `out`.
void parse_ofac_remarks(std::string_view remarks, ParsedRemarks& out);

// Parses one item of the CSL `ids` column: "country, number, type" with the country and extra date fields
// optional ("RU, 7736640919, Tax ID No.", "AIIFIQBA, SWIFT/BIC", "IMO 8898831, Vessel Registration
// Identification"). Appends to `out`.
void parse_csl_id(std::string_view item, ParsedRemarks& out);

// Canonical forms of what a query carries: "" when the value cannot be such an identifier.
std::string canonical_bic(std::string_view bic);  // 8 or 11 characters; a "XXX" branch reduces to 8.
std::string canonical_imo(std::string_view imo);  // Seven digits; "IMO" prefix and spaces tolerated.
std::string canonical_registration(std::string_view number);  // Letters and digits, at least 4, one digit.

}  // namespace sm::screen
