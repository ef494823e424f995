#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "generate/catalog.h"
#include "generate/event_generator.h"
#include "generate/json_writer.h"
#include "model/decimal.h"
#include "model/event_time.h"
#include "testing/test_paths.h"

namespace sm::generate {
namespace {

namespace pb = sanctions::v1;

std::vector<std::string> lines(GeneratorOptions o, int n) {
  EventGenerator g(std::move(o));
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(g.next_json_line());
  return out;
}

std::vector<pb::TradeEvent> events(GeneratorOptions o, int n) {
  EventGenerator g(std::move(o));
  std::vector<pb::TradeEvent> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(g.next());
  return out;
}

std::optional<pb::TradeEvent> parse(const std::string& line) {
  pb::TradeEvent e;
  if (!google::protobuf::util::JsonStringToMessage(line, &e).ok()) return std::nullopt;
  return e;
}

// The first column after `skip` commas of each data row (the files' code columns hold no commas).
std::set<std::string> csv_column(const std::string& path, int skip) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::set<std::string> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::size_t start = 0;
    for (int i = 0; i < skip; ++i) start = line.find(',', start) + 1;
    out.insert(line.substr(start, line.find(',', start) - start));
  }
  return out;
}

std::set<std::string> hs2022_codes() {
  return csv_column(testing::shared_data_dir() + "/hs/harmonized-system-2022.csv", 1);
}

TEST(EventGenerator, SameOptionsGiveTheSameBytesAndSeedsDiffer) {
  GeneratorOptions o;
  o.seed = 42;
  o.listed_names = {"JOINT STOCK COMPANY EXAMPLE WORKS"};
  o.listed_party_rate = 0.1;
  o.late_rate = 0.05;
  o.malformed_rate = 0.05;
  const auto a = lines(o, 3000);
  EXPECT_EQ(a, lines(o, 3000));
  o.seed = 43;
  const auto b = lines(o, 3000);
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i];
  EXPECT_EQ(same, 0);
  EXPECT_EQ(b[0].rfind("{\"eventId\":\"evt-43-1\",\"shipmentId\":\"shp-43-1\"", 0), 0u) << b[0];
}

TEST(EventGenerator, FastJsonIsExactlyProtobufsJsonMapping) {
  GeneratorOptions o;
  o.seed = 5;
  o.listed_party_rate = 0.3;
  // Characters the fast writer escapes, and some it leaves to protobuf (tab, emoji, soft hyphen, U+2028).
  o.listed_names = {"OOO \"ROMASHKA\" <MOSCOW>", "A&B\\C TRADING LLC", "ООО «ТЕХНОПРОМ»", "TAB\tNAME LLC",
                    "SMILE \xF0\x9F\x98\x80 LTD", "SOFT\xC2\xAD HYPHEN LLC", "LINE\xE2\x80\xA8SEP JSC"};
  EventGenerator fast(o);
  const auto reference = events(o, 5000);
  int fast_path = 0;
  for (const auto& e : reference) {
    std::string expected;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(e, &expected).ok());
    EXPECT_EQ(fast.next_json_line(), expected);
    std::string out;
    fast_path += append_event_json(e, out);
  }
  EXPECT_GT(fast_path, 4000);  // Most events take the fast path ...
  EXPECT_LT(fast_path, 5000);  // ... and the odd characters above do not.
}

TEST(EventGenerator, EveryLineParsesBackWithTheRequiredFields) {
  GeneratorOptions o;
  o.seed = 9;
  int vessels = 0, transit = 0, forwarders = 0, end_users = 0, native = 0;
  for (const auto& line : lines(o, 5000)) {
    const auto e = parse(line);
    ASSERT_TRUE(e) << line;
    EXPECT_FALSE(e->event_id().empty());
    EXPECT_FALSE(e->shipment_id().empty());
    EXPECT_TRUE(parse_rfc3339(e->event_time())) << e->event_time();
    EXPECT_FALSE(e->exporter().name().empty());
    EXPECT_FALSE(e->importer().name().empty());
    EXPECT_EQ(e->exporter().country(), e->origin_country());
    EXPECT_EQ(e->importer().country(), e->destination_country());
    EXPECT_EQ(e->origin_country().size(), 2u);
    EXPECT_EQ(e->destination_country().size(), 2u);
    ASSERT_GE(e->goods_size(), 1);
    ASSERT_LE(e->goods_size(), 3);
    const std::string value_currency = e->settlement().currency().empty() ? "USD" : e->settlement().currency();
    Decimal total;
    for (const auto& g : e->goods()) {
      EXPECT_EQ(g.hs_code().size(), 6u);
      EXPECT_EQ(g.value().currency(), value_currency);
      const auto amount = Decimal::parse(g.value().amount());
      ASSERT_TRUE(amount) << g.value().amount();
      EXPECT_GT(*amount, Decimal()) << line;
      EXPECT_EQ(g.value().amount().find('.'), g.value().amount().size() - 3);
      total = *total.checked_add(*amount);
    }
    EXPECT_EQ(e->invoice().amount(), total.to_string(2));
    if (e->settlement().currency().empty()) {
      EXPECT_TRUE(e->settlement().channel() == pb::Settlement::NETTING ||
                  e->settlement().channel() == pb::Settlement::BARTER);
    }
    vessels += e->has_vessel();
    transit += e->transit_countries_size() > 0;
    for (const auto& p : e->parties()) {
      forwarders += p.role() == pb::Party::FREIGHT_FORWARDER;
      end_users += p.role() == pb::Party::END_USER;
    }
    native += static_cast<unsigned char>(e->exporter().name()[0]) >= 0x80;
  }
  EXPECT_GT(vessels, 500);
  EXPECT_GT(transit, 200);
  EXPECT_GT(forwarders, 500);
  EXPECT_GT(end_users, 200);
  EXPECT_GT(native, 200);  // Cyrillic and Chinese names.
}

TEST(EventGenerator, EveryHsCodeExistsInHs2022AndChplCodesAreOnTheList) {
  const auto hs = hs2022_codes();
  ASSERT_GT(hs.size(), 5000u);
  const auto chpl = csv_column(testing::shared_data_dir() + "/hs/common-high-priority-list-2024-02-23.csv", 0);
  ASSERT_EQ(chpl.size(), 50u);
  std::set<catalog::Group> groups;
  for (const auto& g : catalog::goods()) {
    EXPECT_TRUE(hs.count(std::string(g.hs))) << g.hs;
    if (g.group == catalog::Group::kChpl) {
      EXPECT_TRUE(chpl.count(std::string(g.hs))) << g.hs;
    }
    if (g.group == catalog::Group::kEnergy) {
      EXPECT_EQ(g.hs.substr(0, 2), "27");
    }
    groups.insert(g.group);
  }
  EXPECT_EQ(groups.size(), catalog::kGroupCount);
  std::set<std::string> used;
  GeneratorOptions o;
  o.seed = 11;
  for (const auto& e : events(o, 10'000)) {
    for (const auto& g : e.goods()) used.insert(g.hs_code());
  }
  for (const auto& code : used) EXPECT_TRUE(hs.count(code)) << code;
  EXPECT_GT(used.size(), 60u);
}

TEST(EventGenerator, CurrencyMixFollowsTheCorridorDesign) {
  GeneratorOptions o;
  o.seed = 3;
  struct Count {
    int n = 0;
    std::map<std::string, int> by;
  };
  Count ru_cn_energy, ru_cn_other, india;
  std::map<std::string, int> corridors, channels;
  for (const auto& e : events(o, 20'000)) {
    const std::string corridor = e.origin_country() + "-" + e.destination_country();
    ++corridors[corridor];
    const bool energy = e.goods(0).hs_code().rfind("27", 0) == 0;
    std::string currency = e.settlement().currency();
    if (e.settlement().channel() == pb::Settlement::NETTING || e.settlement().channel() == pb::Settlement::BARTER) {
      currency = pb::Settlement::Channel_Name(e.settlement().channel());
    }
    ++channels[pb::Settlement::Channel_Name(e.settlement().channel())];
    Count* c = nullptr;
    if (corridor == "CN-RU" || corridor == "RU-CN") c = energy ? &ru_cn_energy : &ru_cn_other;
    if (corridor == "IN-RU" || corridor == "RU-IN") c = &india;
    if (c == nullptr) continue;
    ++c->n;
    ++c->by[currency];
  }
  const auto share = [](const Count& c, std::initializer_list<const char*> codes) {
    int k = 0;
    for (const auto* code : codes) k += c.by.count(code) ? c.by.at(code) : 0;
    return static_cast<double>(k) / c.n;
  };
  ASSERT_GT(ru_cn_energy.n, 1500);
  ASSERT_GT(ru_cn_other.n, 3000);
  // National currency (CNH read as CNY): energy mostly (designed 80%), other goods about half (designed 50%);
  // the bounds are about six standard deviations of the sample wide.
  EXPECT_GT(share(ru_cn_energy, {"RUB", "CNY", "CNH"}), 0.75);
  EXPECT_LT(share(ru_cn_energy, {"RUB", "CNY", "CNH"}), 0.85);
  EXPECT_GT(share(ru_cn_other, {"RUB", "CNY", "CNH"}), 0.45);
  EXPECT_LT(share(ru_cn_other, {"RUB", "CNY", "CNH"}), 0.55);
  for (const auto* tail : {"USD", "EUR", "AED", "HKD", "CNH", "NETTING", "BARTER"}) {
    EXPECT_GT(share(ru_cn_other, {tail}), 0.005) << tail;
  }
  EXPECT_GT(share(ru_cn_other, {"USD"}), share(ru_cn_energy, {"USD"}));
  // India: rupees, roubles, dirhams and dollars, with a little yuan and netting.
  EXPECT_GT(share(india, {"INR", "RUB", "AED", "USD"}), 0.85);
  for (const auto* code : {"INR", "RUB", "AED", "USD"}) EXPECT_GT(share(india, {code}), 0.08) << code;
  EXPECT_EQ(share(india, {"EUR", "HKD", "TRY"}), 0.0);
  // Corridors: China-Russia both ways largest.
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [k, v] : corridors) ranked.emplace_back(v, k);
  std::sort(ranked.rbegin(), ranked.rend());
  ASSERT_GE(ranked.size(), 12u);
  EXPECT_EQ((std::set<std::string>{ranked[0].second, ranked[1].second}), (std::set<std::string>{"CN-RU", "RU-CN"}));
  for (const auto* ch : {"SWIFT", "CIPS", "SPFS", "CORRESPONDENT", "NETTING", "BARTER"}) EXPECT_GT(channels[ch], 50) << ch;
}

// Upper case, letters, digits and spaces only: how a screener might first normalise a name.
std::string normalised(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    else if (c == ' ') out.push_back(' ');
  }
  return " " + out + " ";
}

std::vector<std::string> all_names(const pb::TradeEvent& e) {
  std::vector<std::string> names = {e.exporter().name(), e.importer().name()};
  for (const auto& p : e.parties()) names.push_back(p.name());
  for (const auto& b : e.banks()) names.push_back(b.name());
  return names;
}

TEST(EventGenerator, ListedNamesAppearAtTheRateWithVariations) {
  GeneratorOptions o;
  o.seed = 21;
  o.listed_party_rate = 0.1;
  // "QZX" (short words are never mistyped or dropped) marks the listed entries.
  o.listed_names = {"LIMITED LIABILITY COMPANY QZX SEVERNAYA TORGOVAYA", "JOINT STOCK COMPANY QZX PRIBOR",
                    "QZX ELECTRONICS HONG KONG CO LTD"};
  int hits = 0, bank_hits = 0, exact = 0;
  std::set<std::string> spellings;
  for (const auto& e : events(o, 10'000)) {
    bool hit = false;
    for (const auto& name : all_names(e)) {
      if (normalised(name).find(" QZX ") == std::string::npos) continue;
      hit = true;
      spellings.insert(name);
      exact += std::find(o.listed_names.begin(), o.listed_names.end(), name) != o.listed_names.end();
    }
    for (const auto& b : e.banks()) bank_hits += normalised(b.name()).find(" QZX ") != std::string::npos;
    hits += hit;
  }
  EXPECT_GT(hits, 850);
  EXPECT_LT(hits, 1150);
  EXPECT_GT(bank_hits, 50);
  EXPECT_GT(exact, 100);
  EXPECT_GT(spellings.size(), 60u);

  o.listed_party_rate = 0;
  for (const auto& e : events(o, 2000)) {
    for (const auto& name : all_names(e)) EXPECT_EQ(normalised(name).find(" QZX "), std::string::npos) << name;
  }
}

TEST(EventGenerator, RatesTouchOnlyTheEventsTheySelect) {
  GeneratorOptions plain;
  plain.seed = 8;
  plain.listed_names = {"QZX HOLDINGS LLC"};
  plain.listed_party_rate = 0;
  GeneratorOptions listed = plain;
  listed.listed_party_rate = 0.2;
  listed.late_rate = 0.2;
  const auto a = events(plain, 2000), b = events(listed, 2000);
  int differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].goods(0).SerializeAsString(), b[i].goods(0).SerializeAsString());
    differ += a[i].SerializeAsString() != b[i].SerializeAsString();
  }
  EXPECT_GT(differ, 500);   // About 1 - 0.8 * 0.8 = 36%.
  EXPECT_LT(differ, 950);
}

TEST(EventGenerator, MalformedLinesAtTheRateEachKindInTurn) {
  GeneratorOptions o;
  o.seed = 17;
  o.malformed_rate = 0.1;
  GeneratorOptions clean = o;
  clean.malformed_rate = 0;
  EventGenerator g(o);
  const auto reference = lines(clean, 10'000);
  std::map<std::string, int> kinds;
  int broken = 0;
  for (int i = 0; i < 10'000; ++i) {
    const auto line = g.next_json_line();
    if (line == reference[static_cast<std::size_t>(i)]) continue;
    ++broken;
    const auto e = parse(line);
    if (!e) {
      ++kinds["bad json"];
      continue;
    }
    if (e->settlement().currency() == "XXQ" || e->goods(0).value().currency() == "XXQ") ++kinds["currency"];
    if (e->goods(0).value().amount() == "-100.00") ++kinds["negative"];
    if (e->event_id().empty()) ++kinds["event id"];
    if (!parse_rfc3339(e->event_time())) ++kinds["event time"];
  }
  EXPECT_EQ(g.produced(), 10'000u);
  EXPECT_EQ(g.malformed(), static_cast<std::uint64_t>(broken));
  EXPECT_GT(broken, 850);
  EXPECT_LT(broken, 1150);
  ASSERT_EQ(kinds.size(), 5u);
  for (const auto& [kind, n] : kinds) EXPECT_NEAR(n, broken / 5.0, 1.0) << kind;
}

TEST(EventGenerator, TimesAdvanceByTheMeanGapAndLateEventsLieBehind) {
  GeneratorOptions o;
  o.seed = 4;
  o.start_time = "2026-03-01T00:00:00Z";
  o.mean_gap_ms = 60'000;
  std::int64_t previous = 0, first = 0, last = 0;
  const auto on_time = events(o, 10'000);
  for (std::size_t i = 0; i < on_time.size(); ++i) {
    const auto t = parse_rfc3339(on_time[i].event_time())->time_since_epoch().count();
    if (i == 0) first = t;
    EXPECT_GE(t, previous);
    previous = last = t;
  }
  EXPECT_EQ(on_time[0].event_time(), "2026-03-01T00:00:00Z");
  EXPECT_NEAR(static_cast<double>(last - first) / 9'999, 60'000, 60'000 * 0.05);

  o.late_rate = 0.1;
  int late = 0;
  const auto mixed = events(o, 10'000);
  for (std::size_t i = 0; i < mixed.size(); ++i) {
    const auto t = parse_rfc3339(mixed[i].event_time())->time_since_epoch().count();
    const auto stream = parse_rfc3339(on_time[i].event_time())->time_since_epoch().count();
    if (t == stream) continue;
    ++late;
    EXPECT_GE(stream - t, 3'600'000);
    EXPECT_LE(stream - t, 48 * 3'600'000);
  }
  EXPECT_GT(late, 850);
  EXPECT_LT(late, 1150);
  GeneratorOptions bad;
  bad.start_time = "yesterday";
  EXPECT_THROW(EventGenerator{bad}, std::invalid_argument);
}

TEST(EventGenerator, VesselImoCheckDigitsAndBicCountriesAreValid) {
  GeneratorOptions o;
  o.seed = 12;
  int vessels = 0, seaborne_energy = 0, energy = 0, banks = 0, long_bics = 0, intermediaries = 0;
  for (const auto& e : events(o, 10'000)) {
    const bool is_energy = e.goods(0).hs_code().rfind("27", 0) == 0 && e.goods(0).hs_code() != "271121";
    energy += is_energy;
    if (e.has_vessel()) {
      ++vessels;
      seaborne_energy += is_energy;
      std::string imo = e.vessel().imo();
      if (imo.rfind("IMO ", 0) == 0) imo = imo.substr(4);
      ASSERT_EQ(imo.size(), 7u) << e.vessel().imo();
      int sum = 0;
      for (int i = 0; i < 6; ++i) {
        ASSERT_TRUE(std::isdigit(static_cast<unsigned char>(imo[static_cast<std::size_t>(i)])));
        sum += (imo[static_cast<std::size_t>(i)] - '0') * (7 - i);
      }
      EXPECT_EQ(imo[6] - '0', sum % 10) << imo;
      EXPECT_EQ(e.vessel().flag().size(), 2u);
      EXPECT_FALSE(e.vessel().name().empty());
    }
    for (const auto& b : e.banks()) {
      ++banks;
      const std::string& bic = b.bic();
      ASSERT_TRUE(bic.size() == 8 || bic.size() == 11) << bic;
      long_bics += bic.size() == 11;
      for (std::size_t i = 0; i < 4; ++i) EXPECT_TRUE(std::isupper(static_cast<unsigned char>(bic[i]))) << bic;
      EXPECT_EQ(bic.substr(4, 2), b.country()) << bic;
      for (std::size_t i = 6; i < bic.size(); ++i) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(bic[i]))) << bic;
      intermediaries += b.role() == pb::Bank::INTERMEDIARY;
      EXPECT_NE(b.role(), pb::Bank::ROLE_UNSPECIFIED);
    }
  }
  EXPECT_GT(seaborne_energy, energy * 7 / 10);
  EXPECT_GT(vessels, seaborne_energy);  // Bulk and reefer cargoes too.
  EXPECT_GT(banks, 15'000);
  EXPECT_GT(long_bics, banks / 10);
  EXPECT_GT(intermediaries, 1000);
}

TEST(EventGenerator, AmountsHavePlausibleMagnitudesByGroup) {
  GeneratorOptions o;
  o.seed = 13;
  std::map<catalog::Group, std::vector<double>> usd;  // Line values converted back to USD.
  std::map<std::string, catalog::Group> group_of;
  for (const auto& g : catalog::goods()) group_of[std::string(g.hs)] = g.group;
  for (const auto& e : events(o, 20'000)) {
    for (const auto& g : e.goods()) {
      const double amount = std::stod(g.value().amount());
      usd[group_of.at(g.hs_code())].push_back(amount * 10'000 / static_cast<double>(catalog::usd_rate_e4(g.value().currency())));
    }
  }
  const auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  EXPECT_GT(median(usd[catalog::Group::kEnergy]), 5e6);  // Cargoes in the millions ...
  for (const auto g : {catalog::Group::kFish, catalog::Group::kPork, catalog::Group::kDairy, catalog::Group::kConfectionery}) {
    EXPECT_GT(median(usd[g]), 1e4) << catalog::group_name(g);  // ... food in the tens of thousands.
    EXPECT_LT(median(usd[g]), 5e5) << catalog::group_name(g);
  }
}

TEST(Rng, LogarithmMatchesLibmAndDrawsStayInRange) {
  for (const double x : {1.0, 0.5, 0.1, 1e-3, 0.7071, 0.999999, 1e-15, 0x1.0p-53}) {
    EXPECT_NEAR(Rng::ln(x), std::log(x), 1e-12 * std::max(1.0, -std::log(x))) << x;
  }
  std::uint64_t state = 1;
  Rng rng(state);
  double sum = 0;
  for (int i = 0; i < 100'000; ++i) {
    EXPECT_LT(rng.below(7), 7u);
    const auto v = rng.between(-3, 3);
    EXPECT_TRUE(v >= -3 && v <= 3);
    sum += rng.exponential();
  }
  EXPECT_NEAR(sum / 100'000, 1.0, 0.02);
}

}  // namespace
}  // namespace sm::generate
