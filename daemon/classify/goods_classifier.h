#pragma once

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
  GoodsClass classify(std::string_view hs_code) const;

  const std::string& chpl_version() const { return chpl_version_; }
  std::size_t hs_code_count() const { return descriptions_.size(); }

 private:
  struct PrefixGroup {
    std::string prefix;
    std::string group;
  };
  std::unordered_map<std::string, std::string> descriptions_;  // HS 2022 code (2/4/6 digits) -> description.
  std::unordered_map<std::string, std::string> chpl_tiers_;    // hs6 -> tier.
  std::vector<PrefixGroup> prefix_groups_;                     // Longest prefixes first.
  std::string chpl_version_;
};

}  // namespace sm::classify
