#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sm::screen {

// The one entity model every list loader produces: what the matcher needs of a listed party, nothing more.

enum class EntryType : std::uint8_t { kUnknown, kPerson, kOrganisation, kVessel, kAircraft };
enum class NameKind : std::uint8_t { kPrimary, kAka, kFka, kNka };

struct EntryName {
  std::string text;  // As published ("BANCO NACIONAL DE CUBA", "HANIYA, Ismail").
  NameKind kind = NameKind::kPrimary;
};

enum class IdentifierKind : std::uint8_t { kBic, kImo, kRegistration };

// An identifier parsed from a list. `value` is canonical: BIC upper-case letters and digits (8 or 11), IMO the
// seven digits, registration numbers upper-case letters and digits without separators.
struct Identifier {
  IdentifierKind kind = IdentifierKind::kRegistration;
  std::string value;
  std::string country;  // ISO 3166-1 alpha-2 when the list says which country issued it, else "".
  std::string label;    // The list's own label ("Tax ID No.", "Registration Number"), for explanations.
};

struct ListEntry {
  std::string id;      // The list's own id (OFAC ent_num, CSL _id).
  std::string source;  // Sub-list, where the list has them (CSL "source" column).
  EntryType type = EntryType::kUnknown;
  std::vector<EntryName> names;  // names[0] is the primary name.
  std::vector<std::string> programs;
  std::vector<Identifier> identifiers;
  bool secondary_sanctions_risk = false;
};

}  // namespace sm::screen
