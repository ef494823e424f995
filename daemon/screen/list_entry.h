#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sm::screen {

// The one entity model every list loader produces: what the matcher needs of a listed party, nothing more.

enum class EntryType : std::uint8_t { kUnknown, kPerson, kOrganisation, kVessel, kAircraft };
// kWeak: a "low quality" alias (UN quality "Low", OFAC isLowQuality, FollowTheMoney weakAlias), such as a bare
// nickname; it is kept for explanations but is not matched on its own (NameIndex skips it).
enum class NameKind : std::uint8_t { kPrimary, kAka, kFka, kNka, kWeak };

struct EntryName {
  std::string text;  // As published ("BANCO NACIONAL DE CUBA", "HANIYA, Ismail").
  NameKind kind = NameKind::kPrimary;
  std::string script{};  // "" for Latin; else the writing system as the list names it ("Arabic", "Cyrillic").
};

enum class IdentifierKind : std::uint8_t { kBic, kImo, kRegistration };

// An identifier parsed from a list. `value` is canonical: BIC upper-case letters and digits (8 or 11), IMO the
// seven digits, registration numbers upper-case letters and digits without separators. Other numbers that
// identify a party exactly (INN, OGRN, MMSI, passports, national ids) are kRegistration, told apart by `label`.
struct Identifier {
  IdentifierKind kind = IdentifierKind::kRegistration;
  std::string value;
  std::string country;  // ISO 3166-1 alpha-2 when the list says which country issued it, else "".
  std::string label;    // The list's own label ("Tax ID No.", "Registration Number"), for explanations.
};

// A relation the list states between this entry and another ("Linked To", "Owned or Controlled By").
struct EntryRelation {
  std::string type;      // As the list words it; "Linked To" where the list gives no more.
  std::string entry_id;  // The other entry's id in the same list, when the list gives it; else "".
  std::string name;      // The other party's name as written.
  std::string share;     // Ownership share in percent as a decimal string ("51", "12.5") where the list gives it.
};

struct ListEntry {
  std::string id;      // The list's own id (OFAC ent_num, CSL _id).
  std::string source;  // Sub-list, where the list has them (CSL "source" column).
  EntryType type = EntryType::kUnknown;
  std::vector<EntryName> names;  // names[0] is the primary name.
  std::vector<std::string> programs;
  std::vector<Identifier> identifiers;
  bool secondary_sanctions_risk = false;
  std::vector<EntryRelation> relations;  // "Linked To" and ownership/control relations, as listed.
  std::string reference;                 // The list's citation number where it has one (UN "QDi.001").
};

}  // namespace sm::screen
