#include "screen/name_similarity.h"

#include <vector>

#include "screen/name_normaliser.h"
#include "screen/name_scorer.h"
#include "screen/token_similarity.h"

namespace sm::screen {
namespace {

constexpr double kGenericWeight = 0.4;
constexpr double kInitialWeight = 0.3;

double fixed_weight(const std::string& token) {
  if (token.size() == 1) return kInitialWeight;
  return is_generic_word(token) ? kGenericWeight : 1.0;
}

}  // namespace

NameComparison compare_names(std::string_view a, std::string_view b) {
  const NormalisedName na = normalise_name(a);
  const NormalisedName nb = normalise_name(b);
  std::vector<std::string> keys_a;
  std::vector<std::string> keys_b;
  for (const auto& t : na.tokens) keys_a.push_back(phonetic_key(t));
  for (const auto& t : nb.tokens) keys_b.push_back(phonetic_key(t));
  std::vector<WeightedToken> ta;
  std::vector<WeightedToken> tb;
  for (std::size_t i = 0; i < na.tokens.size(); ++i) ta.push_back({na.tokens[i], keys_a[i], fixed_weight(na.tokens[i])});
  for (std::size_t i = 0; i < nb.tokens.size(); ++i) tb.push_back({nb.tokens[i], keys_b[i], fixed_weight(nb.tokens[i])});
  NameComparison out;
  out.left_normalised = na.text();
  out.right_normalised = nb.text();
  out.score = score_names(ta, tb, /*initials=*/true, &out.explanation);
  return out;
}

}  // namespace sm::screen
