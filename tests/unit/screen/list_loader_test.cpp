#include "screen/list_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "screen/identifier_parser.h"
#include "testing/test_paths.h"

namespace sm::screen {
namespace {

std::string data(const std::string& rel) { return sm::testing::shared_data_dir() + "/sanctions/" + rel; }

const ListEntry* find_entry(const LoadedList& list, const std::string& id) {
  for (const auto& e : list.entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

bool has_identifier(const ListEntry& e, IdentifierKind kind, const std::string& value, const std::string& country = "") {
  return std::any_of(e.identifiers.begin(), e.identifiers.end(), [&](const Identifier& i) {
    return i.kind == kind && i.value == value && (country.empty() || i.country == country);
  });
}

TEST(ScreenListLoaderTest, OfacSdnRealFiles) {
  auto list = load_list({"OFAC-SDN", "ofac-csv", data("ofac-sdn")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.entries, 8976U);  // SOURCES.md
  EXPECT_EQ(list->summary.rejected_rows, 0U) << (list->summary.problems.empty() ? "" : list->summary.problems[0]);
  EXPECT_GE(list->summary.names, 8976U + 11000U);
  EXPECT_GT(list->summary.identifiers, 1000U);
  std::size_t persons = 0, vessels = 0, aircraft = 0;
  for (const auto& e : list->entries) {
    persons += e.type == EntryType::kPerson;
    vessels += e.type == EntryType::kVessel;
    aircraft += e.type == EntryType::kAircraft;
  }
  EXPECT_EQ(persons, 4620U);
  EXPECT_EQ(vessels, 406U);
  EXPECT_EQ(aircraft, 277U);

  const ListEntry* bank = find_entry(*list, "16681");  // BANK ROSSIYA
  ASSERT_NE(bank, nullptr);
  EXPECT_EQ(bank->names[0].text, "BANK ROSSIYA");
  EXPECT_TRUE(has_identifier(*bank, IdentifierKind::kBic, "ROSYRU2P"));
  EXPECT_TRUE(has_identifier(*bank, IdentifierKind::kRegistration, "7831000122", "RU"));
  EXPECT_TRUE(std::any_of(bank->names.begin(), bank->names.end(), [](const EntryName& n) { return n.kind == NameKind::kFka; }));
  const ListEntry* vessel = find_entry(*list, "15036");  // ARTAVIL
  ASSERT_NE(vessel, nullptr);
  EXPECT_EQ(vessel->type, EntryType::kVessel);
  EXPECT_TRUE(has_identifier(*vessel, IdentifierKind::kImo, "9187629"));
  EXPECT_TRUE(vessel->secondary_sanctions_risk);  // "Subject to Secondary Sanctions"
  const ListEntry* daesong = find_entry(*list, "12312");
  ASSERT_NE(daesong, nullptr);
  EXPECT_TRUE(daesong->secondary_sanctions_risk);  // "Secondary sanctions risk: North Korea ..."
  EXPECT_EQ(daesong->programs, std::vector<std::string>{"DPRK"});
  const ListEntry* cuba = find_entry(*list, "36");
  ASSERT_NE(cuba, nullptr);
  EXPECT_FALSE(cuba->secondary_sanctions_risk);
}

TEST(ScreenListLoaderTest, OfacConsolidatedLayoutIsDetected) {
  auto list = load_list({"OFAC-CONS", "ofac-csv", data("ofac-cons")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.entries, 442U);
  EXPECT_EQ(list->summary.rejected_rows, 0U);
}

TEST(ScreenListLoaderTest, ConsolidatedScreeningListRealFile) {
  auto list = load_list({"US-CSL", "csl-csv", data("us-csl/consolidated.csv")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.entries + list->summary.rejected_rows, 14160U);
  EXPECT_GE(list->summary.entries, 14000U);
  const auto el = std::count_if(list->entries.begin(), list->entries.end(), [](const ListEntry& e) {
    return e.source == "Entity List (EL) - Bureau of Industry and Security";
  });
  EXPECT_EQ(el, 2001);
  const auto bics = std::count_if(list->entries.begin(), list->entries.end(), [](const ListEntry& e) {
    return std::any_of(e.identifiers.begin(), e.identifiers.end(), [](const Identifier& i) { return i.kind == IdentifierKind::kBic; });
  });
  EXPECT_GT(bics, 100);
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST(ScreenListLoaderTest, MalformedRowsAreSkippedAndReported) {
  const std::string dir = sm::testing::temp_dir("screen_malformed_ofac");
  write(dir + "/sdn.csv",
        "1,\"GOOD ONE LLC\",-0- ,\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"SWIFT/BIC GOODRU2X.\"\r\n"
        "2,\"TOO FEW\",-0- \r\n"
        "x3,\"BAD NUMBER\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "4,\"BROKEN \"QUOTE\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "5,\"SECOND GOOD\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a");
  write(dir + "/alt.csv", "1,10,\"aka\",\"GOOD ALIAS\",-0- \r\n99,11,\"aka\",\"ORPHAN\",-0- \r\n");
  auto list = load_list({"T", "ofac-csv", dir});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.entries, 2U);
  EXPECT_EQ(list->summary.names, 3U);
  EXPECT_EQ(list->summary.identifiers, 1U);
  EXPECT_EQ(list->summary.rejected_rows, 4U);
  ASSERT_EQ(list->summary.problems.size(), 4U);
  EXPECT_EQ(list->summary.problems[0], "sdn.csv:2: expected 12 fields, found 3");
  EXPECT_EQ(list->summary.problems[1], "sdn.csv:3: entry number is not a number");
  EXPECT_EQ(list->summary.problems[2].rfind("sdn.csv:4: ", 0), 0U);
  EXPECT_EQ(list->summary.problems[3], "alt.csv:2: alias for unknown entry 99");
}

TEST(ScreenListLoaderTest, MissingOrEmptyListsFail) {
  const std::string dir = sm::testing::temp_dir("screen_empty_ofac");
  EXPECT_FALSE(load_list({"T", "ofac-csv", dir}).ok());
  write(dir + "/sdn.csv", "garbage\r\n");
  const auto r = load_list({"T", "ofac-csv", dir});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "list_empty");
  EXPECT_FALSE(load_list({"T", "csl-csv", dir + "/none.csv"}).ok());
  EXPECT_FALSE(load_list({"T", "xml", dir}).ok());
}

TEST(ScreenListLoaderTest, CslColumnsFoundByName) {
  const std::string dir = sm::testing::temp_dir("screen_csl");
  write(dir + "/csl.csv",
        "name,_id,source,type,programs,alt_names,ids,remarks\n"
        "\"EXAMPLE, \"\"ONE\"\"\",a1,Entity List (EL) - Bureau of Industry and Security,,,\"ALIAS A; ALIAS B\","
        "\"RU, 1027700000000, Registration Number; EXAMPLRU, SWIFT/BIC\",\n"
        "short,row\n"
        ",a3,src,Entity,,,,\n");
  auto list = load_list({"CSL", "csl-csv", dir + "/csl.csv"});
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list->entries.size(), 1U);
  EXPECT_EQ(list->entries[0].names.size(), 3U);
  EXPECT_TRUE(has_identifier(list->entries[0], IdentifierKind::kRegistration, "1027700000000", "RU"));
  EXPECT_TRUE(has_identifier(list->entries[0], IdentifierKind::kBic, "EXAMPLRU"));
  EXPECT_EQ(list->summary.rejected_rows, 2U);
  EXPECT_EQ(list->summary.problems[0], "csl.csv:3: expected 8 fields, found 2");
  EXPECT_EQ(list->summary.problems[1], "csl.csv:4: entry without a name");
}

TEST(ScreenIdentifierParserTest, RemarksAndCanonicalForms) {
  ParsedRemarks p;
  parse_ofac_remarks("SWIFT/BIC HAVIGB2L; Company Number 01074897 (United Kingdom); Company Number IMO 5055293; "
                     "alt. SWIFT/BIC TOOLONG123456; Tax ID No. 12-34 (Jalisco).", p);
  ASSERT_EQ(p.identifiers.size(), 4U);
  EXPECT_EQ(p.identifiers[0].value, "HAVIGB2L");
  EXPECT_EQ(p.identifiers[1].country, "GB");
  EXPECT_EQ(p.identifiers[2].kind, IdentifierKind::kImo);
  EXPECT_EQ(p.identifiers[3].value, "1234");
  EXPECT_EQ(p.identifiers[3].country, "");
  EXPECT_FALSE(p.secondary_sanctions_risk);
  EXPECT_EQ(canonical_bic("havi gb2l xxx"), "HAVIGB2L");
  EXPECT_EQ(canonical_bic("HAVIGB2L001"), "HAVIGB2L001");
  EXPECT_EQ(canonical_bic("HAVIGB2"), "");
  EXPECT_EQ(canonical_imo("IMO 9187629"), "9187629");
  EXPECT_EQ(canonical_imo("918762"), "");
}

}  // namespace
}  // namespace sm::screen
