#include "ownership/ownership_graph.h"

#include <gtest/gtest.h>

#include <map>

#include "testing/test_paths.h"

namespace sm::ownership {
namespace {

// Listed parties by name, as the lists would resolve them; declared ids must name a listed entry to count.
ControlIndex judge(std::string_view csv, const std::map<std::string, ListedRef>& listed) {
  auto data = parse_ownership_csv(csv, "test.csv");
  EXPECT_TRUE(data.ok()) << data.error().message;
  return ControlIndex::build(*data, [&](const std::string& name, const std::string&, const std::string&) -> std::optional<ListedRef> {
    const auto it = listed.find(name);
    if (it == listed.end()) return std::nullopt;
    return it->second;
  });
}

const std::map<std::string, ListedRef> kListed = {
    {"OWNER A", {"OFAC-SDN", "12345", "OWNER A"}},
    {"OWNER B", {"OFAC-SDN", "777", "OWNER B"}},
};

TEST(OwnershipTest, FiftyPercentDirectlyBlocks) {
  const auto idx = judge("owner_name,owned_name,share_percent\nOWNER A,ACME LLC,50\n", kListed);
  const Control* c = idx.find("Acme LLC");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->blocked);
  EXPECT_EQ(format_percent(c->listed_share), "50");
  EXPECT_EQ(c->path, "ACME LLC <- 50% OWNER A (OFAC-SDN 12345)");
}

TEST(OwnershipTest, JustBelowFiftyIsNotBlockedButStillReported) {
  const auto idx = judge("owner_name,owned_name,share_percent\nOWNER A,ACME LLC,49.99\n", kListed);
  const Control* c = idx.find("ACME LLC");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->blocked);
  EXPECT_EQ(format_percent(c->listed_share), "49.99");
}

TEST(OwnershipTest, SharesAreSummedExactly) {
  // 0.1 + 0.2 + ... in binary floating point drifts; the decimal sum of these is exactly 50.
  const auto idx = judge(
      "owner_name,owned_name,share_percent\nOWNER A,ACME,16.666667\nOWNER B,ACME,16.666666\nOWNER C,ACME,16.666667\n",
      {{"OWNER A", {"L", "1", "OWNER A"}}, {"OWNER B", {"L", "2", "OWNER B"}}, {"OWNER C", {"L", "3", "OWNER C"}}});
  ASSERT_NE(idx.find("ACME"), nullptr);
  EXPECT_TRUE(idx.find("ACME")->blocked);
  EXPECT_EQ(idx.find("ACME")->listed_share, Decimal::from_units(50));

  const auto below = judge("owner_name,owned_name,share_percent\nOWNER A,ACME,25\nOWNER B,ACME,24.999999\n", kListed);
  EXPECT_FALSE(below.find("ACME")->blocked);
}

TEST(OwnershipTest, TwoListedOwnersAreAggregated) {
  const auto idx = judge("owner_name,owned_name,share_percent\nOWNER A,ACME LLC,30\nOWNER B,ACME LLC,25\nSOMEONE,ACME LLC,45\n", kListed);
  const Control* c = idx.find("ACME LLC");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->blocked);
  EXPECT_EQ(format_percent(c->listed_share), "55");
  EXPECT_EQ(c->path, "ACME LLC <- 30% OWNER A (OFAC-SDN 12345) + 25% OWNER B (OFAC-SDN 777)");
}

TEST(OwnershipTest, AMajorityOwnedSubsidiaryCountsWithItsWholeHolding) {
  const auto idx = judge(
      "owner_name,owned_name,share_percent\n"
      "OWNER A,ACME LLC,30\n"
      "OWNER A,HOLDCO B,60\n"
      "HOLDCO B,ACME LLC,25\n",
      kListed);
  const Control* holdco = idx.find("HOLDCO B");
  ASSERT_NE(holdco, nullptr);
  EXPECT_TRUE(holdco->blocked);
  const Control* c = idx.find("ACME LLC");
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->blocked) << "30% directly + HOLDCO B's 25% (not 60% x 25%)";
  EXPECT_EQ(format_percent(c->listed_share), "55");
  EXPECT_EQ(c->path, "ACME LLC <- 30% OWNER A (OFAC-SDN 12345) + 25% HOLDCO B [<- 60% OWNER A (OFAC-SDN 12345)]");
}

TEST(OwnershipTest, AMinorityOwnedIntermediateDoesNotPassItsHoldingOn) {
  // OWNER A holds 40% of HOLDCO (not blocked); HOLDCO holds 100% of ACME: ACME is not blocked.
  const auto idx = judge("owner_name,owned_name,share_percent\nOWNER A,HOLDCO,40\nHOLDCO,ACME,100\n", kListed);
  EXPECT_FALSE(idx.find("HOLDCO")->blocked);
  EXPECT_EQ(idx.find("ACME"), nullptr);
}

TEST(OwnershipTest, BlockingRunsDownAChain) {
  const auto idx = judge("owner_name,owned_name,share_percent\nOWNER A,L1,50\nL1,L2,75\nL2,L3,50\n", kListed);
  ASSERT_NE(idx.find("L3"), nullptr);
  EXPECT_TRUE(idx.find("L3")->blocked);
  EXPECT_EQ(idx.find("L3")->path, "L3 <- 50% L2 [<- 75% L1 [<- 50% OWNER A (OFAC-SDN 12345)]]");
}

TEST(OwnershipTest, CyclesTerminateAndBlockNobodyByThemselves) {
  const auto none = judge("owner_name,owned_name,share_percent\nX,Y,60\nY,X,60\n", kListed);
  EXPECT_EQ(none.find("X"), nullptr);
  EXPECT_EQ(none.find("Y"), nullptr);

  // A listed owner feeding a cycle blocks both; the explanation does not loop.
  const auto fed = judge("owner_name,owned_name,share_percent\nOWNER A,X,50\nX,Y,60\nY,X,40\n", kListed);
  ASSERT_NE(fed.find("Y"), nullptr);
  EXPECT_TRUE(fed.find("X")->blocked);
  EXPECT_TRUE(fed.find("Y")->blocked);
  EXPECT_EQ(fed.find("Y")->path, "Y <- 60% X [<- 50% OWNER A (OFAC-SDN 12345)]");
  EXPECT_EQ(fed.find("X")->path, "X <- 50% OWNER A (OFAC-SDN 12345)");
}

TEST(OwnershipTest, MalformedRowsAreReportedAndSkipped) {
  auto data = parse_ownership_csv(
      "owner_name,owned_name,share_percent,owner_list_id,owner_entry_id,source\n"
      "OWNER A,ACME,50,OFAC-SDN,12345,registry 2024\n"
      "OWNER A,ACME2,150,,,\n"
      "OWNER A,ACME3,abc,,,\n"
      ",ACME4,10,,,\n"
      "OWNER A,ACME5,10,OFAC-SDN,,\n"
      "ACME6,Acme6,10,,,\n",
      "f.csv");
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(data->rows_read, 6U);
  ASSERT_EQ(data->holdings.size(), 1U);
  EXPECT_EQ(data->holdings[0].source, "registry 2024");
  EXPECT_EQ(data->holdings[0].owner_entry_id, "12345");
  ASSERT_EQ(data->problems.size(), 5U);
  EXPECT_EQ(data->problems[0].rfind("f.csv:3: share_percent", 0), 0U) << data->problems[0];

  EXPECT_FALSE(parse_ownership_csv("owner_name,owned,share_percent\n", "f.csv").ok());
  EXPECT_FALSE(parse_ownership_csv("owner_name,owned_name\n", "f.csv").ok());
  EXPECT_FALSE(parse_ownership_csv("", "f.csv").ok());
}

TEST(OwnershipTest, ListRelationsGiveHoldingsAndLinks) {
  screen::ListEntry e;
  e.id = "90001";
  e.names.push_back({"OWNER A", screen::NameKind::kPrimary});
  e.relations.push_back({"Owns", "x", "SUBSIDIARY ONE", "51"});
  e.relations.push_back({"Linked To", "", "FRONT COMPANY LTD", ""});
  OwnershipData data;
  add_list_relations(data, "SAMPLE", e);
  ASSERT_EQ(data.holdings.size(), 1U);
  ASSERT_EQ(data.links.size(), 1U);
  const auto idx = ControlIndex::build(data, [](const std::string& name, const std::string& list, const std::string& id) {
    return name == "OWNER A" && list == "SAMPLE" && id == "90001" ? std::optional<ListedRef>(ListedRef{list, id, name})
                                                                   : std::nullopt;
  });
  ASSERT_NE(idx.find("Subsidiary One"), nullptr);
  EXPECT_TRUE(idx.find("Subsidiary One")->blocked);
  ASSERT_NE(idx.find("Front Company Limited"), nullptr) << "legal forms do not tell parties apart";
  EXPECT_FALSE(idx.find("Front Company Limited")->blocked);
  ASSERT_EQ(idx.find("FRONT COMPANY LTD")->links.size(), 1U);
  EXPECT_EQ(idx.find("FRONT COMPANY LTD")->links[0], "Linked To OWNER A (SAMPLE 90001)");
}

TEST(OwnershipTest, TheExampleFileLoads) {
  auto data = load_ownership_file(sm::testing::repo_dir() + "/deploy/ownership-example.csv");
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_TRUE(data->problems.empty()) << data->problems.front();
  EXPECT_GE(data->holdings.size(), 4U);
}

}  // namespace
}  // namespace sm::ownership
