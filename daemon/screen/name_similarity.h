#pragma once

#include <string>
#include <string_view>

namespace sm::screen {

// The outcome of comparing two names outside any list, for the `compare` command and quality tests.
struct NameComparison {
  double score = 0.0;  // 0..1, on the same scale as Match::score.
  std::string left_normalised;
  std::string right_normalised;
  std::string explanation;  // Which tokens aligned and how ("tokens 0.93 [PUTIN~PUDIN 0.86, VLADIMIR~VLADIMIR 1.00]").
};

// Compares two names with the screener's normaliser and scorer. Without list statistics, token weights come
// from a fixed table: particles and common organisation words ("AL", "BANK", "TRADING") count less, single
// letters (initials) little. Thread-safe.
NameComparison compare_names(std::string_view a, std::string_view b);

}  // namespace sm::screen
