#include "screen/name_normaliser.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace sm::screen {
namespace {

// Pre-rules: Cyrillic letters of non-Russian alphabets that ICU's Cyrillic-Latin leaves alone (Mongolian Ү
// and Ө, Kazakh Қ, Ғ, Ң, Ұ, Һ, Ә, Ukrainian Ґ, Є, Ї, І, Belarusian Ў). Then BGN/PCGN for Russian, which is
// how OFAC and most trade documents romanise Russian names ("Щербаков" -> "SHCHERBAKOV", not ISO 9's
// "ŠČERBAKOV"); then everything else to Latin, then ASCII. BGN writes a middle dot and a prime for
// disambiguation; those go.
constexpr const char16_t* kRules =
    u":: NFKC ;"
    u"Ү > U ; ү > u ; Ұ > U ; ұ > u ; Ө > O ; ө > o ; Қ > K ; қ > k ; Ғ > G ; ғ > g ; Ң > N ; ң > n ;"
    u"Һ > H ; һ > h ; Ә > A ; ә > a ; Ґ > G ; ґ > g ; Є > Ye ; є > ye ; Ї > Yi ; ї > yi ; І > I ; і > i ;"
    u"Ў > U ; ў > u ;"
    u":: Russian-Latin/BGN ;"
    u":: Any-Latin ;"
    u":: Latin-ASCII ;"
    u"\u00B7 > ; \u02B9 > ; \u02BA > ; \u02BB > ; \u02BC > ;";

std::unique_ptr<icu::Transliterator> make_prototype() {
  UParseError parse_error{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      "sm-name-ascii", icu::UnicodeString(kRules), UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status)) {
    // The compound without the custom rules is the next best; a build without transliteration data still
    // matches Latin names.
    status = U_ZERO_ERROR;
    t.reset(icu::Transliterator::createInstance("NFKC; Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
  }
  return t;
}

// Creating a transliterator from rules costs milliseconds and instances are not thread-safe: one prototype
// per process, one clone per thread.
// Latin letters with diacritics only (é, ł, ß): the full chain would give the same result, slower.
icu::Transliterator* thread_latin_transliterator() {
  static std::once_flag once;
  static std::unique_ptr<icu::Transliterator> prototype;
  std::call_once(once, [] {
    UErrorCode status = U_ZERO_ERROR;
    prototype.reset(icu::Transliterator::createInstance("NFKC; Latin-ASCII", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) prototype.reset();
  });
  thread_local std::unique_ptr<icu::Transliterator> local(prototype ? prototype->clone() : nullptr);
  // The analyzer takes the thread_local's destructor (at thread exit) for one run before this return.
  return local.get();  // NOLINT(clang-analyzer-cplusplus.NewDelete)
}

bool only_latin(const icu::UnicodeString& u) {
  for (int32_t i = 0; i < u.length(); ++i) {
    const char16_t c = u.charAt(i);
    // Basic Latin, Latin-1, Latin Extended-A/B, combining marks, Latin Extended Additional, punctuation.
    const bool latin = c < 0x0250 || (c >= 0x0300 && c < 0x0370) || (c >= 0x1E00 && c < 0x1F00) || (c >= 0x2000 && c < 0x2070);
    if (!latin) return false;
  }
  return true;
}

// Thai words take ICU's Thai-Latin directly. The full chain reaches the same rules through Any-Latin, and for
// Thai text its script-run dispatch and the steps for other scripts (all of which leave Thai alone) take three
// quarters of the time: 13 instead of 53 us a word, and Thai names were the slowest first sightings. Same
// output, byte for byte, over every Thai word of the data (ScreenNameNormaliserTest.
// WordByWordConversionEqualsTheWholeText compares it with the full chain).
constexpr const char16_t* kThaiRules =
    u":: NFKC ;"
    u":: Thai-Latin ;"
    u":: Latin-ASCII ;"
    u"\u00B7 > ; \u02B9 > ; \u02BA > ; \u02BB > ; \u02BC > ;";

icu::Transliterator* thread_thai_transliterator() {
  static std::once_flag once;
  static std::unique_ptr<icu::Transliterator> prototype;
  std::call_once(once, [] {
    UParseError parse_error{};
    UErrorCode status = U_ZERO_ERROR;
    prototype.reset(icu::Transliterator::createFromRules("sm-thai-ascii", icu::UnicodeString(kThaiRules), UTRANS_FORWARD,
                                                         parse_error, status));
    if (U_FAILURE(status)) prototype.reset();  // Thai then goes through the full chain.
  });
  thread_local std::unique_ptr<icu::Transliterator> local(prototype ? prototype->clone() : nullptr);
  // The analyzer takes the thread_local's destructor (at thread exit) for one run before this return.
  return local.get();  // NOLINT(clang-analyzer-cplusplus.NewDelete)
}

// Every code point of the Thai script.
bool only_thai(const icu::UnicodeString& u) {
  if (u.length() == 0) return false;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    UErrorCode status = U_ZERO_ERROR;
    if (uscript_getScript(c, &status) != USCRIPT_THAI || U_FAILURE(status)) return false;
  }
  return true;
}

icu::Transliterator* thread_transliterator() {
  static std::once_flag once;
  static std::unique_ptr<icu::Transliterator> prototype;
  std::call_once(once, [] { prototype = make_prototype(); });
  thread_local std::unique_ptr<icu::Transliterator> local(prototype ? prototype->clone() : nullptr);
  // The analyzer takes the thread_local's destructor (at thread exit) for one run before this return.
  return local.get();  // NOLINT(clang-analyzer-cplusplus.NewDelete)
}

char upper_ascii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_alnum_ascii(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }

struct LegalForm {
  std::array<std::string_view, 6> words;
  std::string_view canonical;
};

// Longest phrases first, so "OPEN JOINT STOCK COMPANY" wins over "COMPANY".
constexpr LegalForm kLegalForms[] = {
    {{"OBSHCHESTVO", "S", "OGRANICHENNOY", "OTVETSTVENNOSTYU"}, "LLC"},
    {{"OBSHCHESTVO", "S", "OGRANICHENNOI", "OTVETSTVENNOSTIU"}, "LLC"},
    {{"SOCIETATEA", "CU", "RASPUNDERE", "LIMITATA"}, "LLC"},
    {{"SOCIEDAD", "DE", "RESPONSABILIDAD", "LIMITADA"}, "LLC"},
    {{"GESELLSCHAFT", "MIT", "BESCHRANKTER", "HAFTUNG"}, "LLC"},
    {{"PUBLICHNOE", "AKTSIONERNOE", "OBSHCHESTVO"}, "JSC"},
    {{"OTKRYTOE", "AKTSIONERNOE", "OBSHCHESTVO"}, "JSC"},
    {{"ZAKRYTOE", "AKTSIONERNOE", "OBSHCHESTVO"}, "JSC"},
    {{"OPEN", "JOINT", "STOCK", "COMPANY"}, "JSC"},
    {{"CLOSED", "JOINT", "STOCK", "COMPANY"}, "JSC"},
    {{"PUBLIC", "JOINT", "STOCK", "COMPANY"}, "JSC"},
    {{"GU", "FEN", "YOU", "XIAN", "GONG", "SI"}, "JSC"},
    {{"YOU", "XIAN", "ZE", "REN", "GONG", "SI"}, "LLC"},
    {{"S", "DE", "RL", "DE", "CV"}, "LLC"},
    {{"PUBLIC", "LIMITED", "COMPANY"}, "PLC"},
    {{"LIMITED", "LIABILITY", "COMPANY"}, "LLC"},
    {{"LIMITED", "LIABILITY", "PARTNERSHIP"}, "LLP"},
    {{"JOINT", "STOCK", "COMPANY"}, "JSC"},
    {{"AKTSIONERNOE", "OBSHCHESTVO"}, "JSC"},
    {{"YOU", "XIAN", "GONG", "SI"}, "LLC"},
    {{"ZHU", "SHI", "HUI", "SHE"}, "KK"},
    {{"KABUSHIKI", "KAISHA"}, "KK"},
    {{"SA", "DE", "CV"}, "SA"},
    {{"S", "DE", "RL"}, "LLC"},
    {{"SDN", "BHD"}, "LTD"},
    {{"SP", "Z", "O", "O"}, "LLC"},
    {{"PTY", "LTD"}, "LTD"},
    {{"CO", "LTD"}, "LTD"},
    {{"GONG", "SI"}, "CO"},
    {{"LLC"}, "LLC"},   {{"OOO"}, "LLC"},    {{"TOO"}, "LLC"},     {{"GMBH"}, "LLC"},  {{"SRL"}, "LLC"},
    {{"SARL"}, "LLC"},  {{"SPZOO"}, "LLC"},  {{"KFT"}, "LLC"},     {{"DOO"}, "LLC"},   {{"SRO"}, "LLC"},
    {{"BV"}, "LLC"},    {{"LLP"}, "LLP"},    {{"LP"}, "LP"},       {{"JSC"}, "JSC"},   {{"OJSC"}, "JSC"},
    {{"CJSC"}, "JSC"},  {{"PJSC"}, "JSC"},   {{"OAO"}, "JSC"},     {{"ZAO"}, "JSC"},   {{"PAO"}, "JSC"},
    {{"AO"}, "JSC"},    {{"AG"}, "JSC"},     {{"AKTIENGESELLSCHAFT"}, "JSC"},          {{"SA"}, "SA"},
    {{"SAS"}, "SA"},    {{"NV"}, "JSC"},     {{"SPA"}, "JSC"},     {{"AB"}, "JSC"},    {{"AS"}, "JSC"},
    {{"OY"}, "JSC"},    {{"OYJ"}, "JSC"},    {{"KK"}, "KK"},       {{"KG"}, "LP"},     {{"PLC"}, "PLC"},
    {{"LTD"}, "LTD"},   {{"LIMITED"}, "LTD"}, {{"LTDA"}, "LTD"},   {{"PTY"}, "LTD"},   {{"BHD"}, "LTD"},
    {{"TBK"}, "LTD"},   {{"FZE"}, "FZE"},    {{"FZCO"}, "FZE"},    {{"FZC"}, "FZE"},   {{"DMCC"}, "FZE"},
    {{"INC"}, "INC"},   {{"INCORPORATED"}, "INC"}, {{"CORP"}, "CORP"}, {{"CORPORATION"}, "CORP"},
    {{"CO"}, "CO"},     {{"COMPANY"}, "CO"}, {{"EOOD"}, "LLC"},    {{"OOD"}, "LLC"},   {{"EAD"}, "JSC"},
};

std::size_t phrase_length(const LegalForm& f) {
  std::size_t n = 0;
  while (n < f.words.size() && !f.words[n].empty()) ++n;
  return n;
}

constexpr std::string_view kGenericWords[] = {
    "AL",        "EL",          "BIN",        "BEN",      "IBN",       "BINT",     "ABU",       "UMM",
    "DE",        "DA",          "DO",         "DOS",      "DAS",       "DEL",      "LA",        "LE",
    "VAN",       "VON",         "DER",        "DEN",      "THE",       "AND",      "OF",        "FOR",
    "BANK",      "TRADING",     "TRADE",      "GROUP",    "HOLDING",   "HOLDINGS", "INTERNATIONAL",
    "INDUSTRIES", "INDUSTRIAL", "INDUSTRY",   "SERVICES", "SERVICE",   "ENTERPRISE", "ENTERPRISES",
    "IMPORT",    "EXPORT",      "GENERAL",    "NATIONAL", "GLOBAL",    "SHIPPING", "LOGISTICS", "TECHNOLOGY",
    "TECHNOLOGIES", "ELECTRONICS", "ENGINEERING", "INVESTMENT", "INVESTMENTS", "MANAGEMENT", "PARTNERS",
    "COMMERCIAL", "DEVELOPMENT", "FOUNDATION", "ASSOCIATION", "ORGANIZATION", "ORGANISATION", "CENTER",
    "CENTRE",    "INSTITUTE",   "PLANT",      "FACTORY",  "ZAVOD",     "FIRM",     "SHIPPING",  "MARINE",
};

void split_ascii(const std::string& ascii, std::vector<std::string>& tokens) {
  std::size_t i = 0;
  while (i < ascii.size()) {
    const char c = ascii[i];
    if (c == '&') {
      tokens.emplace_back("AND");
      ++i;
      continue;
    }
    if (!is_alnum_ascii(c) && c != '.' && c != '\'' && c != '`') {
      ++i;
      continue;
    }
    // A chunk of letters, digits, dots and apostrophes.
    std::string chunk;
    while (i < ascii.size() && (is_alnum_ascii(ascii[i]) || ascii[i] == '.' || ascii[i] == '\'' || ascii[i] == '`')) {
      if (ascii[i] != '\'' && ascii[i] != '`') chunk.push_back(ascii[i]);
      ++i;
    }
    // "L.L.C." and "U.S." are abbreviations: single letters joined by dots make one token.
    bool dotted = chunk.size() >= 3;
    for (std::size_t k = 0; dotted && k < chunk.size(); ++k) {
      dotted = (k % 2 == 0) ? is_letter(chunk[k]) : chunk[k] == '.';
    }
    std::string token;
    for (const char ch : chunk) {
      if (ch == '.' && !dotted) {
        if (!token.empty()) tokens.push_back(std::move(token));
        token.clear();
      } else if (ch != '.') {
        token.push_back(ch);
      }
    }
    if (!token.empty()) tokens.push_back(std::move(token));
  }
}

}  // namespace

std::string NormalisedName::text() const {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

namespace {

// Han ideographs whose reading ICU's Han-Latin takes character by character: the CJK Unified Ideographs and
// Extension A, which NFKC leaves alone, less the four that Han-Latin reads differently before certain
// characters (藏 zang before 文, 重 chong before 庆, 沈 shen before 阳, 秘 bi before 鲁).
bool per_character_han(UChar32 c) {
  if (!((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))) return false;
  return c != 0x85CF && c != 0x91CD && c != 0x6C88 && c != 0x79D8;
}

// `source` through `t` (none: as it is), then folded to upper-case ASCII.
std::string ascii_upper_with(const icu::UnicodeString& source, icu::Transliterator* t) {
  icu::UnicodeString u = source;
  if (t != nullptr) t->transliterate(u);
  std::string converted;
  u.toUTF8String(converted);
  std::string out;
  out.reserve(converted.size());
  for (const char c : converted) {
    // What is still outside ASCII (scripts without a Latin transform) separates tokens rather than joining them.
    out.push_back(static_cast<unsigned char>(c) < 0x80 ? upper_ascii(c) : ' ');
  }
  return out;
}

std::string icu_ascii_upper(const icu::UnicodeString& source) {
  return ascii_upper_with(source, only_latin(source) ? thread_latin_transliterator() : thread_transliterator());
}

// Chinese and Japanese names are written in Han ideographs, which the full transliterator converts slowly
// (hundreds of microseconds a name). Han-Latin reads the ideographs above one by one and separates adjacent
// ones by a space, so a name made of them and spaces only is converted from each ideograph's reading, kept per
// thread. Returns false (and leaves `out` alone) for any other text.
bool han_ascii_upper(const icu::UnicodeString& u, std::string& out) {
  bool any = false;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    if (c != ' ' && !per_character_han(c)) return false;
    any = any || c != ' ';
    i += U16_LENGTH(c);
  }
  if (!any) return false;
  constexpr std::size_t kMaxCached = 30000;  // Ideographs, a few dozen bytes each.
  thread_local std::unordered_map<UChar32, std::string> readings;
  std::string result;
  bool previous_han = false;
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (c == ' ') {
      result.push_back(' ');
      previous_han = false;
      continue;
    }
    if (previous_han) result.push_back(' ');
    previous_han = true;
    if (const auto it = readings.find(c); it != readings.end()) {
      result += it->second;
      continue;
    }
    std::string reading = icu_ascii_upper(icu::UnicodeString(c));
    result += reading;
    if (readings.size() < kMaxCached) readings.emplace(c, std::move(reading));
  }
  out = std::move(result);
  return true;
}

}  // namespace

std::string to_ascii_upper_uncached(std::string_view utf8) {
  return icu_ascii_upper(icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))));
}

namespace {

bool all_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// One space-free word with non-ASCII characters, through the Han table or the full transliterator.
std::string word_ascii_upper(std::string_view word) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  std::string out;
  if (han_ascii_upper(u, out)) return out;
  if (only_thai(u)) {
    if (icu::Transliterator* thai = thread_thai_transliterator(); thai != nullptr) return ascii_upper_with(u, thai);
  }
  return icu_ascii_upper(u);
}

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// Converted words of this thread. Names repeat words far more than whole names ("ООО", "«Ромашка»", a
// surname), and a word costs the transliterator tens of microseconds; bounded, it starts afresh when full.
constexpr std::size_t kMaxRememberedWords = 50'000;
using WordMemo = std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>>;
WordMemo& word_memo() {
  thread_local WordMemo memo;
  return memo;
}

void append_word(std::string_view word, std::string& out) {
  if (all_ascii(word)) {
    for (const char c : word) out.push_back(upper_ascii(c));
    return;
  }
  WordMemo& memo = word_memo();
  if (const auto it = memo.find(word); it != memo.end()) {
    out += it->second;
    return;
  }
  std::string converted = word_ascii_upper(word);
  out += converted;
  if (memo.size() >= kMaxRememberedWords) memo.clear();
  memo.emplace(std::string(word), std::move(converted));
}

}  // namespace

// Han-Latin reads these four ideographs by the ideograph that follows, even across a space ("西藏 文化").
bool has_context_reading(std::string_view utf8) {
  for (const std::string_view c : {"\u85CF", "\u91CD", "\u6C88", "\u79D8"}) {
    if (utf8.find(c) != std::string_view::npos) return true;
  }
  return false;
}

std::string to_ascii_upper(std::string_view utf8) {
  if (has_context_reading(utf8)) return word_ascii_upper(utf8);
  std::string out;
  out.reserve(utf8.size());
  // Word by word: apart from the ideographs above, the transliteration rules look no further than the
  // neighbouring letters, so text between ASCII spaces converts alone as it does in the whole name (checked
  // over every list name, the name-match data and the XML lists' original-script names by the normaliser tests).
  std::size_t i = 0;
  while (i < utf8.size()) {
    if (utf8[i] == ' ') {
      out.push_back(' ');
      ++i;
      continue;
    }
    std::size_t end = utf8.find(' ', i);
    if (end == std::string_view::npos) end = utf8.size();
    append_word(utf8.substr(i, end - i), out);
    i = end;
  }
  return out;
}

void forget_converted_words() { word_memo().clear(); }

NormalisedName normalise_name(std::string_view utf8, bool strip_legal_forms) {
  NormalisedName out;
  std::vector<std::string> all;
  split_ascii(to_ascii_upper(utf8), all);
  if (!strip_legal_forms) {
    out.tokens = std::move(all);
    return out;
  }
  std::vector<std::string> core;
  std::vector<std::string> forms;
  for (std::size_t i = 0; i < all.size();) {
    const LegalForm* found = nullptr;
    std::size_t found_len = 0;
    for (const auto& f : kLegalForms) {
      // Most words start no legal form: one character settles it before any phrase is compared.
      if (f.words[0][0] != all[i][0]) continue;
      const std::size_t n = phrase_length(f);
      if (n <= found_len || i + n > all.size()) continue;
      bool match = true;
      for (std::size_t k = 0; k < n && match; ++k) match = all[i + k] == f.words[k];
      if (match) {
        found = &f;
        found_len = n;
      }
    }
    if (found != nullptr) {
      forms.emplace_back(found->canonical);
      i += found_len;
    } else {
      core.push_back(all[i]);
      ++i;
    }
  }
  if (core.empty()) {
    out.only_legal_forms = !all.empty();
    out.tokens = std::move(all);  // A name made only of legal-form words keeps them as its name.
  } else {
    out.tokens = std::move(core);
    out.legal_forms = std::move(forms);
  }
  return out;
}

bool is_generic_word(std::string_view token) {
  return std::find(std::begin(kGenericWords), std::end(kGenericWords), token) != std::end(kGenericWords);
}

}  // namespace sm::screen
