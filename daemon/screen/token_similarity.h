#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sm::screen {

// Similarity measures between normalised tokens (upper-case ASCII). All are symmetric and return 0..1.

double jaro_winkler(std::string_view a, std::string_view b);
std::size_t levenshtein(std::string_view a, std::string_view b);

// A coarse sound key that survives romanisation variants: vowels, H and W dropped, digraphs folded (KH/H,
// SH/S, PH/F, TH/T, TS/S, ...), C/K/Q, Z/S, V/F and D/T merged, doubled letters collapsed.
// "MOHAMMED" and "MUHAMMAD" share "MMT"; "USAMA" and "OSAMA" share "SM".
std::string phonetic_key(std::string_view token);

// How alike two tokens are: the mean of Jaro-Winkler and normalised Levenshtein similarity, so a long shared
// prefix alone ("ZUCKERMANN"/"ZUCKERBERG") does not look like a typo; raised to 0.88 when sound keys and first letters agree;
// digits must be equal. Single letters are handled by the name scorer (initials), here they score 0 unless equal.
double token_similarity(std::string_view a, std::string_view b);

// token_similarity() when the sound keys are already known (the index computes them once per token).
double token_similarity(std::string_view a, std::string_view b, std::string_view key_a, std::string_view key_b);

// How many of each letter a token has (digits in pairs, anything else together), for the cheap bound of
// token_similarity_at_least(): computed once per vocabulary token instead of once per pair compared.
struct LetterCounts {
  alignas(16) std::array<std::uint8_t, 32> n{};
};
// Counts of `token`; false (and no counts) for tokens over 127 characters, which the bound counts in full.
bool letter_counts(std::string_view token, LetterCounts& out);
// Adds `part` to `sum` class by class: the counts of a concatenation from its parts' (each count modulo 256,
// so exact while the whole has at most 127 characters, as letter_counts() requires).
void add_letter_counts(LetterCounts& sum, const LetterCounts& part);

// token_similarity() with keys, exactly, whenever that is at least `min`; otherwise some value below
// `min - 1e-6` (unrelated pairs are rejected on cheap bounds, before their edit distance is computed).
// `counts_a` and `counts_b`, when both given, are letter_counts() of a and b.
double token_similarity_at_least(std::string_view a, std::string_view b, std::string_view key_a, std::string_view key_b,
                                 double min, const LetterCounts* counts_a = nullptr, const LetterCounts* counts_b = nullptr);

}  // namespace sm::screen
