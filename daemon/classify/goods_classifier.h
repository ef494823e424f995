#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/result.h"

namespace sm::classify {

struct GoodsConfig {
  std::string hs_nomenclature_csv;  // HS 2022 nomenclature (section,hscode,description,parent,level).
  std::string chpl_csv;             // Common High Priority List (hs6,chpl_tier,hs2022_description).
  std::string product_groups_toml;  // The repo's table of HS prefixes per product group, with sources.
};

// The judgement on one HS code.
struct GoodsClass {
  bool known = false;                 // The code (or its 4-digit heading for 4-digit codes) exists in HS 2022.
  std::string description;            // HS 2022 description of the most specific known level.
  std::vector<std::string> groups;    // Sorted, unique: "ENERGY", "CHPL", "CHPL_TIER_1", "AIRCRAFT", "FISH_SEAFOOD", ...
  std::string chpl_tier;              // "1", "2", "3.A", "3.B", "4.A", "4.B"; empty when not on the CHPL.
};

// Maps HS codes to product groups. Immutable after load; thread-safe.
class GoodsClassifier {
 public:
  static Result<GoodsClassifier> load(const GoodsConfig& config);

  // `hs_code` is digits only (4 to 10); longer national codes are judged on their first 6 digits.
  // Known: a 6-digit subheading of HS 2022, or for exactly 4 digits an HS 2022 heading. Anything else (5 digits,
  // non-digits, a subheading that does not exist, UN Comtrade's 99/9999/999999 "not specified" placeholders)
  // is known=false with groups {"UNKNOWN_HS"} and no description: reported, never guessed.
  // A heading gets the groups (and CHPL tier) that every one of its subheadings has, so "8542" is CHPL tier 1
  // while "8482" (only some bearings are listed) is not on the CHPL.
  GoodsClass classify(std::string_view hs_code) const { return lookup(hs_code); }

  // The same judgement without copying: the reference lives as long as the classifier. Hot-path form.
  const GoodsClass& lookup(std::string_view hs_code) const;

  const std::string& chpl_version() const { return chpl_version_; }
  std::size_t hs_code_count() const { return descriptions_.size(); }  // Chapters, headings and subheadings.
  std::size_t hs6_count() const { return hs6_count_; }                // Known 6-digit subheadings.
  std::size_t chpl_count() const { return chpl_tiers_.size(); }

 private:
  struct PrefixGroup {
    std::string prefix;
    std::string group;
    std::vector<std::string> exclude;  // Codes under `prefix` that are not in `group`.
  };
  std::unordered_map<std::string, std::string> descriptions_;  // HS 2022 code (2/4/6 digits) -> description.
  std::unordered_map<std::string, std::string> chpl_tiers_;    // hs6 -> tier.
  std::vector<PrefixGroup> prefix_groups_;                     // Longest prefixes first.
  std::string chpl_version_;
  // Every judgement precomputed at load: key = the 6-digit code as an integer, or kHeadingKey + the 4-digit
  // heading (so "8542" and "008542" cannot collide).
  static constexpr std::uint32_t kHeadingKey = 1'000'000;
  std::unordered_map<std::uint32_t, GoodsClass> classes_;
  std::size_t hs6_count_ = 0;
};

}  // namespace sm::classify
