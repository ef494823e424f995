// Regression guard for screen(): a fixed, varied set of queries built deterministically from the real lists and
// the name-match files (damaged listed names and aliases, listed names written in Cyrillic, unlisted names in
// several scripts, UN positives, banks with a BIC, vessels with an IMO, registration numbers) is screened, and
// the full result (list and entry ids, matched_on, score rounded to 1e-9) is compared with the results recorded
// in screen_regression_expected.txt. The file holds one block per query: a header line with the query number,
// a hash of the query and the threshold, then one line per match. Queries themselves are not recorded (they
// come from the shared data); a failure prints them.
//
// Regenerate (only when a change of results is intended and explained):
//   SM_SCREEN_REGRESSION_WRITE=1 ctest --test-dir build -R ScreenRegression
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "model/hash.h"
#include "model/csv_reader.h"
#include "screen/list_loader.h"
#include "screen/screener.h"
#include "testing/test_paths.h"

namespace sm::screen {
namespace {

ScreenConfig real_config() {
  const std::string d = sm::testing::shared_data_dir() + "/sanctions/";
  ScreenConfig c;
  c.lists = {{"OFAC-SDN", "ofac-csv", d + "ofac-sdn"},
             {"OFAC-CONS", "ofac-csv", d + "ofac-cons"},
             {"US-CSL", "csl-csv", d + "us-csl/consolidated.csv"}};
  return c;
}

struct Case {
  Query query;
  double min_score = 0.85;
  std::string what;  // How the query was made, for failure messages.
};

// Rows of a CSV file with a header (skipped), or with '#' comment lines (skipped).
std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  const std::string text = sm::testing::read_file(path);
  std::vector<std::vector<std::string>> rows;
  CsvReader reader(text);
  std::vector<std::string> f;
  std::string problem;
  bool first = true;
  while (true) {
    const auto st = reader.next(f, problem);
    if (st == CsvReader::Status::kEnd) break;
    if (st != CsvReader::Status::kRecord || f.empty() || f[0].empty() || f[0][0] == '#') continue;
    if (first) {
      first = false;
      if (f[0] == "full_name" || f[0] == "case_group") continue;
    }
    rows.push_back(f);
  }
  return rows;
}

// Document-like damage to a listed name, chosen by `n`.
std::string damage(std::string name, std::size_t n) {
  switch (n % 7) {
    case 0: {  // First word moved to the end.
      const auto sp = name.find(' ');
      if (sp != std::string::npos) name = name.substr(sp + 1) + " " + name.substr(0, sp);
      break;
    }
    case 1:  // Two letters swapped.
      if (name.size() > 5) std::swap(name[3], name[4]);
      break;
    case 2:  // A letter dropped.
      if (name.size() > 6) name.erase(name.size() / 2, 1);
      break;
    case 3:  // A legal form added.
      name += " LLC";
      break;
    case 4:  // Lower case, a letter doubled.
      for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (name.size() > 4) name.insert(2, 1, name[2]);
      break;
    case 5: {  // Last word dropped.
      const auto sp = name.rfind(' ');
      if (sp != std::string::npos && sp > 3) name.resize(sp);
      break;
    }
    default:  // As listed.
      break;
  }
  return name;
}

std::string to_cyrillic(const std::string& latin) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance("Latin-Cyrillic", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) return latin;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(latin);
  u.toLower();
  t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::vector<Case> build_cases() {
  std::vector<Case> cases;
  auto add = [&](SubjectKind kind, std::string name, std::string what, double min = 0.85) {
    Case c;
    c.query.kind = kind;
    c.query.name = std::move(name);
    c.min_score = min;
    c.what = std::move(what);
    cases.push_back(std::move(c));
    return &cases.back();
  };

  std::vector<ListEntry> entries;
  for (const ListSource& src : real_config().lists) {
    auto loaded = load_list(src);
    if (!loaded) return {};
    for (auto& e : loaded->entries) entries.push_back(std::move(e));
  }

  // Listed names and aliases, damaged; every type of entry, every list.
  std::size_t n = 0;
  std::size_t made = 0;
  for (std::size_t i = 0; i < entries.size(); i += 97) {
    const ListEntry& e = entries[i];
    if (e.names.empty()) continue;
    const EntryName& name = e.names[(i / 97) % e.names.size()];
    const SubjectKind kind = e.type == EntryType::kVessel ? SubjectKind::kVessel
                             : (made % 5 == 0)            ? SubjectKind::kBank
                                                          : SubjectKind::kParty;
    add(kind, damage(name.text, n++), "listed " + e.id, made % 3 == 0 ? 0.6 : 0.85);
    ++made;
  }
  // Listed people written in Cyrillic.
  std::size_t people = 0;
  for (std::size_t i = 0; i < entries.size() && people < 40; i += 53) {
    const ListEntry& e = entries[i];
    if (e.type != EntryType::kPerson || e.names.empty()) continue;
    add(SubjectKind::kParty, to_cyrillic(e.names.front().text), "cyrillic " + e.id);
    ++people;
  }
  // Banks with a BIC (as listed, with the head-office branch, with a foreign branch), names as listed or not.
  std::size_t banks = 0;
  for (std::size_t i = 0; i < entries.size() && banks < 40; ++i) {
    const ListEntry& e = entries[i];
    for (const Identifier& id : e.identifiers) {
      if (id.kind != IdentifierKind::kBic || e.names.empty()) continue;
      if (i % 3 != 0 && banks > 5) break;
      std::string bic = id.value;
      if (banks % 3 == 1 && bic.size() == 8) bic += "XXX";
      if (banks % 3 == 2 && bic.size() == 8) bic += "123";
      Case* c = add(SubjectKind::kBank, banks % 2 == 0 ? damage(e.names.front().text, banks) : "Unrelated Trading Ltd",
                    "bic " + e.id);
      c->query.bic = bic;
      ++banks;
      break;
    }
  }
  // Vessels with an IMO.
  std::size_t vessels = 0;
  for (std::size_t i = 0; i < entries.size() && vessels < 40; ++i) {
    const ListEntry& e = entries[i];
    for (const Identifier& id : e.identifiers) {
      if (id.kind != IdentifierKind::kImo || e.names.empty()) continue;
      if (i % 2 != 0 && vessels > 5) break;
      Case* c = add(SubjectKind::kVessel, vessels % 2 == 0 ? "MV " + damage(e.names.front().text, vessels) : "OCEAN STAR",
                    "imo " + e.id, vessels % 4 == 0 ? 0.6 : 0.85);
      c->query.imo = (vessels % 3 == 0 ? "IMO " : "") + id.value;
      ++vessels;
      break;
    }
  }
  // Registration numbers, with the listed country, another one or none.
  std::size_t regs = 0;
  for (std::size_t i = 0; i < entries.size() && regs < 24; i += 7) {
    const ListEntry& e = entries[i];
    for (const Identifier& id : e.identifiers) {
      if (id.kind != IdentifierKind::kRegistration || e.names.empty()) continue;
      Case* c = add(SubjectKind::kParty, e.names.front().text, "registration " + e.id);
      c->query.registration_id = id.value;
      c->query.country = regs % 3 == 0 ? id.country : regs % 3 == 1 ? "ZZ" : "";
      ++regs;
      break;
    }
  }

  const std::string nm = sm::testing::shared_data_dir() + "/name-match/";
  // Unlisted people in several scripts.
  const auto negatives = csv_rows(nm + "yente-negatives_global.csv");
  for (std::size_t i = 0; i < negatives.size(); i += 9) add(SubjectKind::kParty, negatives[i][0], "negative", i % 2 == 0 ? 0.85 : 0.6);
  const auto negatives_us = csv_rows(nm + "yente-negatives_us.csv");
  for (std::size_t i = 0; i < negatives_us.size(); i += 25) add(SubjectKind::kParty, negatives_us[i][0], "negative us");
  // UN-listed people, as UN writes them.
  const auto positives = csv_rows(nm + "yente-positives_un_untreated.csv");
  for (std::size_t i = 0; i < positives.size(); i += 8) add(SubjectKind::kParty, positives[i][0], "un positive", 0.7);
  // Labelled name pairs, both sides.
  const auto pairs = csv_rows(nm + "nomenklatura-cases.csv");
  for (std::size_t i = 0; i < pairs.size(); i += 9) {
    if (pairs[i].size() < 4) continue;
    const SubjectKind kind = pairs[i][1] == "Vessel" ? SubjectKind::kVessel
                             : pairs[i][1] == "Company" || pairs[i][1] == "Organization" ? SubjectKind::kBank
                                                                                            : SubjectKind::kParty;
    add(kind, pairs[i][2], "nomenklatura");
    add(SubjectKind::kParty, pairs[i][3], "nomenklatura", 0.7);
  }
  // Cross-script pairs: the non-Latin query.
  for (const auto& row : csv_rows(nm + "watchman-cross_script_pairs.csv")) add(SubjectKind::kParty, row[0], "cross-script", 0.7);
  return cases;
}

std::string kind_name(SubjectKind k) {
  switch (k) {
    case SubjectKind::kBank: return "bank";
    case SubjectKind::kVessel: return "vessel";
    case SubjectKind::kParty: return "party";
  }
  return "?";
}

// The header line of a query's block: number, hash of everything the query carries, kind and threshold.
std::string header(std::size_t n, const Case& c) {
  Fnv1a64 h;
  for (const std::string* s : {&c.query.name, &c.query.country, &c.query.registration_id, &c.query.bic, &c.query.imo}) {
    h.update(*s);
    h.update(std::string_view("\x1f", 1));
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, "Q%zu %s %s %.2f", n, h.hex().c_str(), kind_name(c.query.kind).c_str(), c.min_score);
  return buf;
}

std::string results(const std::vector<Match>& matches) {
  std::string out;
  for (const Match& m : matches) {
    char score[32];
    std::snprintf(score, sizeof score, "%.9f", m.score);
    out += "  " + m.list_id + ":" + m.entry_id + " " + score + " " + m.matched_on + "\n";
  }
  return out;
}

// Blocks keyed by header line.
std::vector<std::pair<std::string, std::string>> parse_blocks(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> blocks;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == 'Q') blocks.emplace_back(line, std::string());
    else if (!blocks.empty()) blocks.back().second += line + "\n";
  }
  return blocks;
}

TEST(ScreenRegressionTest, ResultsMatchRecorded) {
  auto loaded = Screener::load(real_config());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const Screener& s = **loaded;
  const std::vector<Case> cases = build_cases();
  ASSERT_GE(cases.size(), 500U);

  std::string actual;
  std::vector<std::pair<std::string, std::string>> got;
  std::size_t with_matches = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto m = s.screen(cases[i].query, cases[i].min_score, 10);
    with_matches += m.empty() ? 0 : 1;
    got.emplace_back(header(i, cases[i]), results(m));
    actual += got.back().first + "\n" + got.back().second;
  }
  // Varied: many queries find something, many find nothing.
  EXPECT_GT(with_matches, cases.size() / 4);
  EXPECT_LT(with_matches, cases.size() * 3 / 4);

  const std::string path = sm::testing::repo_dir() + "/tests/unit/screen/screen_regression_expected.txt";
  if (std::getenv("SM_SCREEN_REGRESSION_WRITE") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "wrote " << path;
  }
  const auto expected = parse_blocks(sm::testing::read_file(path));
  ASSERT_EQ(expected.size(), got.size()) << "the query set changed; " << path << " is out of date";
  std::size_t changed = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(expected[i].first, got[i].first) << "query " << i << " (" << cases[i].what << ") differs from the recorded one";
    if (expected[i].second != got[i].second) {
      ++changed;
      ADD_FAILURE() << got[i].first << " [" << kind_name(cases[i].query.kind) << "] \"" << cases[i].query.name
                    << "\" (" << cases[i].what << ")\nexpected:\n"
                    << expected[i].second << "actual:\n"
                    << got[i].second;
    }
  }
  EXPECT_EQ(changed, 0U);
}

}  // namespace
}  // namespace sm::screen
