// The XML and FollowTheMoney loaders on the real UN and OFAC enhanced files and on a hand-written FtM fixture:
// names with their kinds and scripts, identifiers with countries, programs, relations, the secondary-sanctions
// flag, and malformed records reported with file and line while the rest loads.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "screen/list_loader.h"
#include "testing/test_paths.h"

namespace sm::screen {
namespace {

std::string data(const std::string& rel) { return sm::testing::shared_data_dir() + "/sanctions/" + rel; }
std::string fixture(const std::string& rel) { return sm::testing::repo_dir() + "/tests/unit/screen/data/" + rel; }

const ListEntry* find_entry(const LoadedList& list, const std::string& id) {
  for (const auto& e : list.entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

const EntryName* find_name(const ListEntry& e, const std::string& text) {
  for (const auto& n : e.names) {
    if (n.text == text) return &n;
  }
  return nullptr;
}

bool has_identifier(const ListEntry& e, IdentifierKind kind, const std::string& value, const std::string& country = "",
                    const std::string& label = "") {
  return std::any_of(e.identifiers.begin(), e.identifiers.end(), [&](const Identifier& i) {
    return i.kind == kind && i.value == value && (country.empty() || i.country == country) && (label.empty() || i.label == label);
  });
}

bool has_relation(const ListEntry& e, const std::string& type, const std::string& id, const std::string& share = "") {
  return std::any_of(e.relations.begin(), e.relations.end(), [&](const EntryRelation& r) {
    return r.type == type && r.entry_id == id && r.share == share;
  });
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = sm::testing::temp_dir("list_formats_" + name) + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(ScreenListFormatsTest, UnConsolidatedXmlRealFile) {
  auto list = load_list({"UN", "un-xml", data("un/UN_consolidated.xml")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.records_read, 1003U);  // SOURCES.md: 730 individuals, 273 entities.
  EXPECT_EQ(list->summary.entries, 1003U);
  EXPECT_EQ(list->summary.rejected_rows, 0U) << (list->summary.problems.empty() ? "" : list->summary.problems[0]);
  const auto persons = std::count_if(list->entries.begin(), list->entries.end(),
                                     [](const ListEntry& e) { return e.type == EntryType::kPerson; });
  EXPECT_EQ(persons, 730);

  const ListEntry* badege = find_entry(*list, "6907993");
  ASSERT_NE(badege, nullptr);
  EXPECT_EQ(badege->names[0].text, "ERIC BADEGE");
  EXPECT_EQ(badege->programs, std::vector<std::string>{"DRC"});
  EXPECT_EQ(badege->reference, "CDi.001");
  EXPECT_EQ(badege->source, "UN List");

  const ListEntry* passport = find_entry(*list, "6908012");
  ASSERT_NE(passport, nullptr);
  EXPECT_TRUE(has_identifier(*passport, IdentifierKind::kRegistration, "OB0243318", "CD", "Passport"));

  // Original-script names are aliases that know their script; "Low" quality aliases are weak.
  std::size_t arabic = 0, weak = 0, fka = 0;
  for (const auto& e : list->entries) {
    for (const auto& n : e.names) {
      arabic += n.script == "Arabic";
      weak += n.kind == NameKind::kWeak;
      fka += n.kind == NameKind::kFka;
    }
  }
  EXPECT_GT(arabic, 200U);
  EXPECT_GT(weak, 500U);
  EXPECT_GT(fka, 10U);
  const auto saddam = std::find_if(list->entries.begin(), list->entries.end(), [](const ListEntry& e) {
    return find_name(e, "صدام حسين التكريتي") != nullptr;
  });
  ASSERT_NE(saddam, list->entries.end());
  EXPECT_EQ(find_name(*saddam, "صدام حسين التكريتي")->kind, NameKind::kAka);
}

TEST(ScreenListFormatsTest, UnXmlMalformedRecordsAreSkippedWithTheirLine) {
  const std::string path = write_temp("un.xml",
                                      "<?xml version=\"1.0\"?>\n"
                                      "<CONSOLIDATED_LIST>\n"
                                      "  <INDIVIDUALS>\n"
                                      "    <INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ALPHA</FIRST_NAME>"
                                      "<SECOND_NAME>ONE</SECOND_NAME></INDIVIDUAL>\n"
                                      "    <INDIVIDUAL><FIRST_NAME>NO ID</FIRST_NAME></INDIVIDUAL>\n"
                                      "    <INDIVIDUAL><DATAID>3</DATAID></INDIVIDUAL>\n"
                                      "    <INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>AGAIN</FIRST_NAME></INDIVIDUAL>\n"
                                      "  </INDIVIDUALS>\n"
                                      "  <ENTITIES><ENTITY><DATAID>9</DATAID><FIRST_NAME>BETA &amp; CO</FIRST_NAME>"
                                      "<ENTITY_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>BC</ALIAS_NAME></ENTITY_ALIAS>"
                                      "</ENTITY></ENTITIES>\n"
                                      "</CONSOLIDATED_LIST>\n");
  auto list = load_list({"UN", "un-xml", path});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.records_read, 5U);
  EXPECT_EQ(list->summary.entries, 2U);
  EXPECT_EQ(list->summary.rejected_rows, 3U);
  ASSERT_EQ(list->summary.problems.size(), 3U);
  EXPECT_EQ(list->summary.problems[0], "un.xml:5: record without DATAID");
  EXPECT_EQ(list->summary.problems[1], "un.xml:6: record 3 without a name");
  EXPECT_EQ(list->summary.problems[2], "un.xml:7: duplicate DATAID 1");
  const ListEntry* beta = find_entry(*list, "9");
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(beta->type, EntryType::kOrganisation);
  EXPECT_EQ(beta->names[0].text, "BETA & CO");
  ASSERT_EQ(beta->names.size(), 2U);
  EXPECT_EQ(beta->names[1].kind, NameKind::kWeak);
}

TEST(ScreenListFormatsTest, XmlThatIsNotWellFormedFailsTheListWithFileAndLine) {
  const std::string path = write_temp("broken.xml", "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</CONSOLIDATED_LIST>\n");
  auto list = load_list({"UN", "un-xml", path});
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().message.find("broken.xml:5: Premature end of data"), std::string::npos) << list.error().message;
  const std::string wrong_root = write_temp("other.xml", "<?xml version=\"1.0\"?>\n<sanctionsData/>\n");
  auto other = load_list({"UN", "un-xml", wrong_root});
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().message.find("CONSOLIDATED_LIST"), std::string::npos);
  EXPECT_FALSE(load_list({"X", "ofac-xml", wrong_root}).ok());  // No entities.
}

TEST(ScreenListFormatsTest, OfacEnhancedXmlRealFile) {
  auto list = load_list({"OFAC-CONS-XML", "ofac-xml", data("ofac-enhanced/CONS_ENHANCED.XML")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.records_read, 443U);
  EXPECT_EQ(list->summary.entries, 443U);
  EXPECT_EQ(list->summary.rejected_rows, 0U) << (list->summary.problems.empty() ? "" : list->summary.problems[0]);

  const ListEntry* vtb = find_entry(*list, "17013");
  ASSERT_NE(vtb, nullptr);
  EXPECT_EQ(vtb->type, EntryType::kOrganisation);
  EXPECT_TRUE(has_identifier(*vtb, IdentifierKind::kBic, "VTBRRUMM"));
  EXPECT_TRUE(has_identifier(*vtb, IdentifierKind::kRegistration, "7702070139", "RU", "Tax ID No."));
  EXPECT_TRUE(has_identifier(*vtb, IdentifierKind::kRegistration, "1027739609391", "RU", "Registration ID"));
  const EntryName* cyrillic = find_name(*vtb, "БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО");
  ASSERT_NE(cyrillic, nullptr);
  EXPECT_EQ(cyrillic->script, "Cyrillic");
  EXPECT_NE(cyrillic->kind, NameKind::kPrimary);
  EXPECT_EQ(vtb->names[0].kind, NameKind::kPrimary);
  EXPECT_EQ(vtb->names[0].script, "");

  const ListEntry* haniya = find_entry(*list, "9639");
  ASSERT_NE(haniya, nullptr);
  EXPECT_EQ(haniya->type, EntryType::kPerson);
  EXPECT_EQ(haniya->names[0].text, "HANIYA, Ismail Abdul Salah");
  EXPECT_EQ(haniya->programs, std::vector<std::string>{"NS-PLC"});
  EXPECT_EQ(haniya->source, "Non-SDN Palestinian Legislative Council List");
  EXPECT_FALSE(haniya->secondary_sanctions_risk);

  const ListEntry* zahar = find_entry(*list, "9647");
  ASSERT_NE(zahar, nullptr);
  EXPECT_TRUE(zahar->secondary_sanctions_risk);
  EXPECT_TRUE(has_relation(*zahar, "Acting for or on behalf of", "4695"));

  std::size_t flagged = 0, related = 0, weak = 0, fka = 0;
  for (const auto& e : list->entries) {
    flagged += e.secondary_sanctions_risk;
    related += !e.relations.empty();
    for (const auto& n : e.names) {
      weak += n.kind == NameKind::kWeak;
      fka += n.kind == NameKind::kFka;
    }
  }
  EXPECT_EQ(flagged, 287U);  // 360 "Secondary sanctions risk:" features on 287 entities.
  EXPECT_EQ(related, 283U);
  EXPECT_GT(weak, 30U);
  EXPECT_GT(fka, 100U);
}

TEST(ScreenListFormatsTest, FollowTheMoneyFixture) {
  auto list = load_list({"FTM", "ftm", fixture("ftm_sample.jsonl")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ(list->summary.records_read, 15U);  // The blank line is not a record.
  EXPECT_EQ(list->summary.entries, 6U);
  EXPECT_EQ(list->summary.skipped, 2U);  // The address and the unlisted legal entity.
  EXPECT_EQ(list->summary.rejected_rows, 4U);
  ASSERT_EQ(list->summary.problems.size(), 4U);
  EXPECT_EQ(list->summary.problems[0].rfind("ftm_sample.jsonl:13: not JSON", 0), 0U) << list->summary.problems[0];
  EXPECT_EQ(list->summary.problems[1], "ftm_sample.jsonl:14: entity without an id");
  EXPECT_EQ(list->summary.problems[2], "ftm_sample.jsonl:15: entity ftm-noname-1 without a name");
  EXPECT_EQ(list->summary.problems[3], "ftm_sample.jsonl:16: entity ftm-badprops-1: property name is not a list");
  EXPECT_EQ(find_entry(*list, "ftm-legal-1"), nullptr);

  const ListEntry* person = find_entry(*list, "ftm-person-1");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->type, EntryType::kPerson);
  EXPECT_EQ(person->names[0].text, "Ivan Petrovich Sidorenko");
  EXPECT_EQ(find_name(*person, "Vanya")->kind, NameKind::kWeak);
  EXPECT_EQ(find_name(*person, "Иван Петрович Сидоренко")->script, "Cyrillic");
  EXPECT_TRUE(has_identifier(*person, IdentifierKind::kRegistration, "751234567", "", "Passport"));
  EXPECT_TRUE(person->secondary_sanctions_risk);
  EXPECT_EQ(person->source, "fixture_sanctions");
  EXPECT_TRUE(has_relation(*person, "Linked To", "ftm-company-1"));

  const ListEntry* company = find_entry(*list, "ftm-company-1");
  ASSERT_NE(company, nullptr);
  EXPECT_EQ(company->type, EntryType::kOrganisation);
  EXPECT_EQ(find_name(*company, "ZAO Sever Trans")->kind, NameKind::kFka);
  EXPECT_TRUE(has_identifier(*company, IdentifierKind::kRegistration, "7701234567", "RU", "INN"));
  EXPECT_TRUE(has_identifier(*company, IdentifierKind::kRegistration, "1027700123456", "RU", "OGRN"));
  EXPECT_TRUE(has_relation(*company, "Owns", "ftm-company-2", "51"));
  EXPECT_FALSE(company->secondary_sanctions_risk);

  const ListEntry* linked = find_entry(*list, "ftm-company-2");
  ASSERT_NE(linked, nullptr);
  EXPECT_TRUE(has_identifier(*linked, IdentifierKind::kRegistration, "FZE20210457", "AE"));
  EXPECT_TRUE(has_relation(*linked, "Owned or Controlled By", "ftm-company-1", "51"));
  ASSERT_FALSE(linked->relations.empty());
  EXPECT_EQ(linked->relations[0].name, "Obshchestvo s Ogranichennoi Otvetstvennostyu Severny Potok Logistika");

  const ListEntry* bank = find_entry(*list, "ftm-bank-1");  // Listed through its Sanction record.
  ASSERT_NE(bank, nullptr);
  EXPECT_TRUE(has_identifier(*bank, IdentifierKind::kBic, "URKRRU2P"));
  EXPECT_EQ(bank->programs, std::vector<std::string>{"RUSSIA-EO14024"});

  const ListEntry* vessel = find_entry(*list, "ftm-vessel-1");
  ASSERT_NE(vessel, nullptr);
  EXPECT_EQ(vessel->type, EntryType::kVessel);
  EXPECT_TRUE(has_identifier(*vessel, IdentifierKind::kImo, "9300001"));
  EXPECT_TRUE(has_identifier(*vessel, IdentifierKind::kRegistration, "273123456", "", "MMSI"));
  const ListEntry* plane = find_entry(*list, "ftm-plane-1");
  ASSERT_NE(plane, nullptr);
  EXPECT_EQ(plane->type, EntryType::kAircraft);
}

TEST(ScreenListFormatsTest, OfacCsvLinkedToRemarksBecomeRelations) {
  auto list = load_list({"OFAC-SDN", "ofac-csv", data("ofac-sdn")});
  ASSERT_TRUE(list.ok()) << list.error().message;
  const ListEntry* nasrallah = find_entry(*list, "2686");
  ASSERT_NE(nasrallah, nullptr);
  ASSERT_EQ(nasrallah->relations.size(), 1U);
  EXPECT_EQ(nasrallah->relations[0].type, "Linked To");
  EXPECT_EQ(nasrallah->relations[0].name, "HIZBALLAH");
  EXPECT_EQ(nasrallah->relations[0].entry_id, "4697");  // Resolved by the primary name.
  const ListEntry* ibanez = find_entry(*list, "4358");
  ASSERT_NE(ibanez, nullptr);
  EXPECT_EQ(ibanez->relations.size(), 4U);
  std::size_t related = 0;
  for (const auto& e : list->entries) related += !e.relations.empty();
  EXPECT_GT(related, 1500U);
}

TEST(ScreenListFormatsTest, FollowTheMoneyFileWithoutListedEntitiesFails) {
  const std::string path = write_temp("empty.jsonl", "{\"id\": \"a\", \"schema\": \"Address\", \"properties\": {}}\n");
  auto list = load_list({"FTM", "ftm", path});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.error().code, "list_empty");
}

TEST(ScreenListFormatsTest, ScreenerFindsEntriesOfTheNewFormats) {
  ScreenConfig config;
  config.lists = {{"UN", "un-xml", data("un/UN_consolidated.xml")},
                  {"OFAC-CONS-XML", "ofac-xml", data("ofac-enhanced/CONS_ENHANCED.XML")},
                  {"FTM", "ftm", fixture("ftm_sample.jsonl")}};
  auto screener = Screener::load(config);
  ASSERT_TRUE(screener.ok()) << screener.error().message;
  auto top = [&](Query q) {
    const auto matches = (*screener)->screen(q, 0.85, 3);
    return matches.empty() ? std::string() : matches.front().list_id + "/" + matches.front().entry_id;
  };
  EXPECT_EQ(top({SubjectKind::kParty, "Eric Badege", "", "", "", ""}), "UN/6907993");
  EXPECT_EQ(top({SubjectKind::kBank, "Some Branch", "", "", "VTBRRUMMXXX", ""}), "OFAC-CONS-XML/17013");
  EXPECT_EQ(top({SubjectKind::kParty, "Unrelated Name", "", "7701234567", "", ""}), "FTM/ftm-company-1");
  EXPECT_EQ(top({SubjectKind::kVessel, "", "", "", "", "9300001"}), "FTM/ftm-vessel-1");
  EXPECT_EQ(top({SubjectKind::kParty, "Иван Петрович Сидоренко", "", "", "", ""}), "FTM/ftm-person-1");
  EXPECT_EQ(top({SubjectKind::kParty, "Vanya", "", "", "", ""}), "");  // A weak alias alone matches nothing.
}

}  // namespace
}  // namespace sm::screen
