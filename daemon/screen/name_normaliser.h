#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sm::screen {

// A name reduced to what matching compares: upper-case ASCII tokens in written order, with legal-form words
// ("LLC", "OOO", "JOINT STOCK COMPANY", "YOU XIAN GONG SI" = 有限公司) set aside as a weak signal.
struct NormalisedName {
  std::vector<std::string> tokens;
  std::vector<std::string> legal_forms;  // Canonical classes ("LLC", "JSC", "LTD", ...), in order found.
  bool only_legal_forms = false;         // The whole name was legal-form words ("CORP", "CO LTD"): no name.
  std::string text() const;              // Tokens joined by single spaces.
};

// Transliterates any script to Latin and folds to upper-case ASCII without diacritics ("Путин" -> "PUTIN",
// "习近平" -> "XI JIN PING"). Letters ICU cannot transliterate become spaces. Pure-ASCII input skips ICU.
// Thread-safe: each thread uses its own clone of the transliterator.
// Converts word by word (text between ASCII spaces), each non-ASCII word once per thread: converted words
// are remembered (bounded), so a word seen before costs a look-up. Words in Han ideographs only take a
// per-thread table of each ideograph's reading, filled from the transliterator. Same result as
// to_ascii_upper_uncached(), byte for byte.
std::string to_ascii_upper(std::string_view utf8);

// Empties this thread's remembered words (benchmarks measure first sightings with it).
void forget_converted_words();

// to_ascii_upper() always through the full transliterator (no per-character table), for tests.
std::string to_ascii_upper_uncached(std::string_view utf8);

// Normalises a name. Punctuation separates tokens, except apostrophes ("QA'IDA" -> "QAIDA") and dotted
// abbreviations ("L.L.C." -> "LLC"); "&" reads as "AND". Legal forms are moved out of `tokens` when
// `strip_legal_forms` is set and at least one other token remains.
NormalisedName normalise_name(std::string_view utf8, bool strip_legal_forms = true);

// Particles and common organisation words ("AL", "BIN", "DE", "BANK", "TRADING", "GROUP"): weak evidence
// when no list statistics say how common a token is.
bool is_generic_word(std::string_view token);

}  // namespace sm::screen
