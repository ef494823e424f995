#include "generate/spelling.h"

#include <algorithm>
#include <vector>

namespace sm::generate {
namespace {

struct LegalForm {
  std::string_view form;  // Upper case, words separated by single spaces, no punctuation.
  std::string_view alternatives[3];  // "" drops the form.
};

// Longest first, so that "PUBLIC JOINT STOCK COMPANY" is found before "JOINT STOCK COMPANY".
constexpr LegalForm kForms[] = {
    {"PUBLIC JOINT STOCK COMPANY", {"PAO", "PJSC", ""}},
    {"OPEN JOINT STOCK COMPANY", {"OAO", "OJSC", ""}},
    {"CLOSED JOINT STOCK COMPANY", {"ZAO", "CJSC", ""}},
    {"LIMITED LIABILITY COMPANY", {"OOO", "LLC", ""}},
    {"JOINT STOCK COMPANY", {"AO", "JSC", ""}},
    {"COMPANY LIMITED", {"CO., LTD.", "LIMITED", ""}},
    {"CO LTD", {"CO., LTD.", "COMPANY LIMITED", ""}},
    {"LLC", {"OOO", "LIMITED LIABILITY COMPANY", ""}},
    {"OOO", {"LLC", "LIMITED LIABILITY COMPANY", ""}},
    {"JSC", {"AO", "JOINT STOCK COMPANY", ""}},
    {"AO", {"JSC", "JOINT STOCK COMPANY", ""}},
    {"PJSC", {"PAO", "PUBLIC JOINT STOCK COMPANY", ""}},
    {"PAO", {"PJSC", "PUBLIC JOINT STOCK COMPANY", ""}},
    {"OAO", {"OJSC", "OPEN JOINT STOCK COMPANY", ""}},
    {"ZAO", {"CJSC", "CLOSED JOINT STOCK COMPANY", ""}},
    {"LIMITED", {"LTD", "LTD.", ""}},
    {"LTD", {"LIMITED", "LTD.", ""}},
    {"GMBH", {"G.M.B.H.", "GESELLSCHAFT MBH", ""}},
    {"INC", {"INCORPORATED", "INC.", ""}},
    {"CORPORATION", {"CORP.", "CORP", ""}},
};

bool is_ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The word as compared with legal forms: ASCII upper case, punctuation removed ("Co.," -> "CO").
std::string bare(std::string_view word) {
  std::string out;
  for (const char c : word) {
    if (is_ascii_letter(c) || (c >= '0' && c <= '9')) out.push_back(upper(c));
    else if (static_cast<unsigned char>(c) >= 0x80) out.push_back(c);
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

struct Found {
  std::size_t at = 0, length = 0;  // Word positions of the legal form; length 0 when none.
  const LegalForm* form = nullptr;
};

Found find_form(const std::vector<std::string>& words) {
  std::vector<std::string> bares;
  bares.reserve(words.size());
  for (const auto& w : words) bares.push_back(bare(w));
  for (const auto& f : kForms) {
    const auto parts = split(f.form);
    if (parts.size() >= words.size()) continue;  // Never the whole name.
    for (std::size_t at = 0; at + parts.size() <= words.size(); ++at) {
      if (std::equal(parts.begin(), parts.end(), bares.begin() + static_cast<std::ptrdiff_t>(at))) {
        return {at, parts.size(), &f};
      }
    }
  }
  return {};
}

// One typo in a word of five or more ASCII letters: swap two inner letters, drop one, or double one.
void typo(std::string& word, Rng& rng) {
  const std::size_t n = word.size();
  const std::size_t i = 1 + rng.below(n - 3);  // 1 .. n-3: never the first or last letter.
  switch (rng.below(3)) {
    case 0: std::swap(word[i], word[i + 1]); break;
    case 1: word.erase(i, 1); break;
    default: word.insert(i, 1, word[i]); break;
  }
}

bool typo_candidate(std::string_view word) {
  return word.size() >= 5 && std::all_of(word.begin(), word.end(), is_ascii_letter);
}

}  // namespace

std::string vary_listed_name(std::string_view name, Rng& rng) {
  // Every draw below happens whatever the outcome, so one name's spelling does not depend on another's.
  const std::uint64_t keep = rng.below(100);
  const std::uint64_t form_roll = rng.below(100), form_choice = rng.below(3), form_move = rng.below(100);
  const std::uint64_t swap_roll = rng.below(100), swap_at = rng.next();
  const std::uint64_t typo_roll = rng.below(100), typo_word = rng.next();
  const std::uint64_t punct_roll = rng.below(100), punct_kind = rng.below(3);
  const std::uint64_t case_roll = rng.below(100);
  std::uint64_t typo_state = rng.next();
  if (keep < 25) return std::string(name);

  std::vector<std::string> words = split(name);
  if (words.empty()) return std::string(name);
  Found found = find_form(words);

  // Legal form: changed or dropped, and sometimes moved to the other end ("OOO X" <-> "X LLC").
  if (found.form != nullptr && form_roll < 60) {
    const auto replacement = split(found.form->alternatives[form_choice]);
    const auto first = words.begin() + static_cast<std::ptrdiff_t>(found.at);
    words.erase(first, first + static_cast<std::ptrdiff_t>(found.length));
    found.length = replacement.size();
    if (form_move < 30) found.at = found.at == 0 ? words.size() : 0;
    words.insert(words.begin() + static_cast<std::ptrdiff_t>(found.at), replacement.begin(), replacement.end());
    if (found.length == 0) found.form = nullptr;
  }
  // The core: the words that are not the legal form.
  std::vector<std::size_t> core;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (found.form == nullptr || i < found.at || i >= found.at + found.length) core.push_back(i);
  }
  if (swap_roll < 20 && core.size() >= 2) {
    const std::size_t k = swap_at % (core.size() - 1);
    std::swap(words[core[k]], words[core[k + 1]]);
  }
  if (typo_roll < 25) {
    std::vector<std::size_t> candidates;
    for (const auto i : core) {
      if (typo_candidate(words[i])) candidates.push_back(i);
    }
    if (!candidates.empty()) {
      Rng typo_rng(typo_state);
      typo(words[candidates[typo_word % candidates.size()]], typo_rng);
    }
  }
  if (punct_roll < 30 && !core.empty()) {
    switch (punct_kind) {
      case 0:  // Quotes around the core, as Russian documents write names.
        words[core.front()].insert(words[core.front()].begin(), '"');  // (insert(0, "\"") trips GCC 12 -Wrestrict)
        words[core.back()].push_back('"');
        break;
      case 1:  // A comma between the core and a trailing legal form, else a trailing period.
        if (found.form != nullptr && found.at > core.back()) words[core.back()].push_back(',');
        else words.back().push_back('.');
        break;
      default:
        words.back().push_back('.');
        break;
    }
  }

  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  }
  if (case_roll < 30) {  // Title case.
    bool start = true;
    for (char& c : out) {
      if (is_ascii_letter(c)) {
        c = start ? upper(c) : lower(c);
        start = false;
      } else {
        start = c == ' ' || c == '"' || c == '-';
      }
    }
  } else if (case_roll < 45) {
    for (char& c : out) c = lower(c);
  }
  return out;
}

}  // namespace sm::generate
