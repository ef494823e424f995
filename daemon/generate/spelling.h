#pragma once

#include <string>
#include <string_view>

#include "generate/random.h"

namespace sm::generate {

// A listed name as it might be written on trade documents, drawn deterministically from `rng`.
// About a quarter of the time the name is returned unchanged. Otherwise any of: the legal form changed
// ("LIMITED LIABILITY COMPANY" -> "OOO" or "LLC", "LLC" -> "OOO", ...), dropped, or moved to the other end;
// two adjacent words swapped; one typo (swap, drop or doubling of a letter) in at most one word; extra
// punctuation (quotes, a comma before the legal form, a trailing period); case changed (title or lower).
// Guarantees, for callers that need to recognise the name again: words of four or fewer characters are never
// mistyped and never dropped unless they are a legal form; only ASCII letters change case; non-ASCII words are
// never mistyped.
std::string vary_listed_name(std::string_view name, Rng& rng);

}  // namespace sm::generate
