#include "aggregate/merge_store.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>

#include "aggregate/window_store.h"

namespace sm::aggregate {
namespace {

using sanctions::v1::Aggregate;
using sanctions::v1::PartitionWatermark;

const std::vector<std::string> kFurniture = {"FURNITURE"};

// Partials exactly as stage 1 makes them: a WindowStore per source partition.
struct Source {
  std::int32_t partition;
  WindowStore store{{*parse_window_spec("1h")}, Millis{0}, "USD"};

  void add(std::string_view time, std::string_view amount, sanctions::v1::CurrencyClass cls = sanctions::v1::NATIONAL,
           sanctions::v1::RiskTier tier = sanctions::v1::LOW, std::vector<std::string_view> parties = {}) {
    EventContribution e;
    e.time = *parse_rfc3339(time);
    e.corridor = "CN-RU";
    e.currency_class = cls;
    e.tier = tier;
    e.lines.push_back(LineContribution{Decimal::parse(amount), false, &kFurniture});
    e.counterparties = std::move(parties);
    store.add(e);
  }
  std::vector<Aggregate> updates() {
    std::vector<Aggregate> out;
    store.take_updates(out);
    store.take_closed(out);
    for (auto& a : out) a.set_source_partition(partition);
    return out;
  }
  // The end of this source's input: every window closes (final window partials).
  std::vector<Aggregate> finals() {
    std::vector<Aggregate> out;
    store.take_all_final(out);
    for (auto& a : out) a.set_source_partition(partition);
    return out;
  }
};

MergeStore hourly_merge(int top_n = 10) { return MergeStore({*parse_window_spec("1h")}, top_n); }

PartitionWatermark watermark(std::int32_t source, std::int32_t sources, std::string_view closed_through) {
  PartitionWatermark w;
  w.set_source_partition(source);
  w.set_source_partitions(sources);
  w.set_closed_through_ms(parse_rfc3339(closed_through)->time_since_epoch().count());
  return w;
}

std::vector<Aggregate> closed(MergeStore& m) {
  std::vector<Aggregate> out;
  m.take_closed(out);
  return out;
}

TEST(MergeStore, SumsThePartialsOfEverySourcePartitionExactly) {
  Source a{0}, b{1}, c{2};
  a.add("2026-03-01T10:05:00Z", "100.10");
  b.add("2026-03-01T10:10:00Z", "200.20", sanctions::v1::USD);
  b.add("2026-03-01T10:20:00Z", "0.01");
  c.add("2026-03-01T10:30:00Z", "300.30", sanctions::v1::USD, sanctions::v1::HIGH);
  MergeStore m = hourly_merge();
  for (Source* s : {&a, &b, &c}) {
    for (auto& p : s->updates()) EXPECT_TRUE(m.add_partial(p));
    for (auto& p : s->finals()) EXPECT_TRUE(m.add_partial(p));
  }
  for (std::int32_t p = 0; p < 3; ++p) m.add_watermark(watermark(p, 3, "2026-03-01T11:00:00Z"));
  const auto out = closed(m);
  ASSERT_EQ(out.size(), 1U);
  const Aggregate& r = out[0];
  EXPECT_TRUE(r.final());
  EXPECT_EQ(r.event_count(), 4);
  EXPECT_EQ(r.total_value().amount(), "600.61");
  EXPECT_EQ(r.value_by_currency_class().at("NATIONAL").amount(), "100.11");
  EXPECT_EQ(r.value_by_currency_class().at("USD").amount(), "500.50");
  EXPECT_EQ(r.value_by_product_group().at("FURNITURE").amount(), "600.61");
  EXPECT_EQ(r.alerts_by_tier().at("LOW"), 3);
  EXPECT_EQ(r.alerts_by_tier().at("HIGH"), 1);
  EXPECT_DOUBLE_EQ(r.usd_share(), 500.50 / 600.61);
  EXPECT_EQ(r.source_partition(), 0);
  EXPECT_TRUE(r.counterparty_exposure().empty()) << "the full map stays in the partials";
  EXPECT_EQ(m.size(), 0U);
}

TEST(MergeStore, OnePanePartialMergesToTheWindowStoresOwnAggregate) {
  Source a{0};
  a.add("2026-03-01T10:05:00Z", "10.00");
  a.add("2026-03-01T10:06:00Z", "5.50", sanctions::v1::USD);
  MergeStore m = hourly_merge();
  for (auto& p : a.updates()) EXPECT_TRUE(m.add_partial(p));
  std::vector<Aggregate> merged;
  m.take_updates(merged);
  auto expected = a.finals();
  ASSERT_EQ(merged.size(), 1U);
  ASSERT_EQ(expected.size(), 1U);
  expected[0].clear_source_partition();
  expected[0].clear_partial_kind();
  expected[0].set_final(false);
  // Compared as messages: the serialised bytes of map fields come in no fixed order.
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(merged[0], expected[0]))
      << "merged:\n" << merged[0].DebugString() << "expected:\n" << expected[0].DebugString();
}

TEST(MergeStore, ANewerPartialOfTheSameSourceReplacesTheOlderOne) {
  Source a{0}, b{1};
  a.add("2026-03-01T10:05:00Z", "1.00");
  b.add("2026-03-01T10:05:00Z", "10.00");
  MergeStore m = hourly_merge();
  for (auto& p : a.updates()) m.add_partial(p);
  for (auto& p : b.updates()) m.add_partial(p);
  a.add("2026-03-01T10:15:00Z", "2.00");  // Source 0's window now holds 3.00: its new partial says so.
  for (auto& p : a.updates()) m.add_partial(p);
  std::vector<Aggregate> updates;
  m.take_updates(updates);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_FALSE(updates[0].final());
  EXPECT_EQ(updates[0].total_value().amount(), "13.00") << "not 14.00: the older partial of source 0 is replaced";
  EXPECT_EQ(updates[0].event_count(), 3);
}

TEST(MergeStore, FinalOnlyOnceEverySourcePartitionHasClosedTheWindow) {
  Source a{0}, b{1};
  a.add("2026-03-01T10:05:00Z", "1.00");
  MergeStore m = hourly_merge();
  for (auto& p : a.updates()) m.add_partial(p);
  for (auto& p : a.finals()) m.add_partial(p);
  m.add_watermark(watermark(0, 3, "2026-03-01T12:00:00Z"));
  EXPECT_TRUE(closed(m).empty()) << "sources 1 and 2 have announced nothing";
  m.add_watermark(watermark(1, 3, "2026-03-01T12:00:00Z"));
  m.add_watermark(watermark(2, 3, "2026-03-01T10:59:59.999Z"));
  EXPECT_TRUE(closed(m).empty()) << "source 2 has not passed the window's end";
  m.add_watermark(watermark(2, 3, "2026-03-01T10:30:00Z"));
  EXPECT_TRUE(closed(m).empty()) << "a watermark never moves back";
  EXPECT_EQ(m.closed_through(), parse_rfc3339("2026-03-01T10:59:59.999Z")->time_since_epoch().count());
  m.add_watermark(watermark(2, 3, "2026-03-01T11:00:00Z"));
  const auto out = closed(m);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_TRUE(out[0].final());
  EXPECT_EQ(out[0].total_value().amount(), "1.00");
  // Once final everywhere, a partial for the window cannot change it (and cannot come from a correct stage 1).
  b.add("2026-03-01T10:05:00Z", "7.00");
  for (auto& p : b.updates()) EXPECT_FALSE(m.add_partial(p));
  EXPECT_EQ(m.size(), 0U);
}

TEST(MergeStore, TopCounterpartiesAreSummedAcrossPartitionsAndTiesGoByName) {
  Source a{0}, b{1};
  a.add("2026-03-01T10:05:00Z", "50.00", sanctions::v1::USD, sanctions::v1::HIGH, {"Zeta LLC", "Alpha OOO"});
  b.add("2026-03-01T10:06:00Z", "30.00", sanctions::v1::USD, sanctions::v1::CRITICAL, {"Beta AO", "Zeta LLC"});
  b.add("2026-03-01T10:07:00Z", "50.00", sanctions::v1::USD, sanctions::v1::HIGH, {"Gamma AO", "Gamma AO"});
  MergeStore m = hourly_merge(3);
  for (Source* s : {&a, &b}) {
    for (auto& p : s->updates()) m.add_partial(p);
    for (auto& p : s->finals()) m.add_partial(p);
  }
  for (std::int32_t p = 0; p < 2; ++p) m.add_watermark(watermark(p, 2, "2026-03-01T11:00:00Z"));
  const auto out = closed(m);
  ASSERT_EQ(out.size(), 1U);
  const auto& top = out[0].top_counterparties();
  ASSERT_EQ(top.size(), 3);
  EXPECT_EQ(top[0].name(), "Zeta LLC");  // 50 + 30
  EXPECT_EQ(top[0].value().amount(), "80.00");
  EXPECT_EQ(top[1].name(), "Alpha OOO");  // 50, tied with Gamma AO: by name
  EXPECT_EQ(top[2].name(), "Gamma AO");   // Named twice in one event: counted once
  EXPECT_EQ(top[2].value().amount(), "50.00");
  // Beta AO (30) is fourth: beyond N = 3.
}

TEST(MergeStore, RollbackUndoesPartialsAndWatermarksAndTheChangelogRestoresTheCommittedState) {
  Source a{0}, b{1};
  a.add("2026-03-01T10:05:00Z", "1.00");
  b.add("2026-03-01T10:05:00Z", "2.00");
  MergeStore m = hourly_merge();
  for (auto& p : a.updates()) m.add_partial(p);
  m.add_watermark(watermark(0, 2, "2026-03-01T10:30:00Z"));
  std::vector<std::pair<std::string, std::string>> log;
  m.changelog(log);
  m.commit();
  for (auto& p : b.updates()) m.add_partial(p);
  m.add_watermark(watermark(1, 2, "2026-03-01T10:30:00Z"));
  m.rollback();
  EXPECT_FALSE(m.closed_through().has_value()) << "source 1's watermark was rolled back";
  std::vector<Aggregate> updates;
  m.take_updates(updates);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(updates[0].total_value().amount(), "1.00");

  MergeStore restored = hourly_merge();
  for (const auto& [k, v] : log) ASSERT_TRUE(restored.restore(k, v)) << k;
  std::vector<Aggregate> again;
  restored.take_updates(again);
  ASSERT_EQ(again.size(), 1U) << "restored windows are published again";
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(again[0], updates[0]))
      << again[0].DebugString() << "vs\n" << updates[0].DebugString();

  // A final window leaves tombstones for all its partials.
  m.commit();
  log.clear();
  for (auto& p : a.finals()) m.add_partial(p);
  for (auto& p : b.updates()) m.add_partial(p);
  for (auto& p : b.finals()) m.add_partial(p);
  m.add_watermark(watermark(0, 2, "2026-03-01T11:00:00Z"));
  m.add_watermark(watermark(1, 2, "2026-03-01T11:00:00Z"));
  const auto out = closed(m);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].total_value().amount(), "3.00");
  m.changelog(log);
  for (const auto& [k, v] : log) ASSERT_TRUE(restored.restore(k, v)) << k;
  EXPECT_EQ(restored.size(), 0U);
  EXPECT_EQ(m.size(), 0U);
  EXPECT_EQ(restored.closed_through(), m.closed_through());
  EXPECT_FALSE(restored.restore("p|1h|2026-03-01T10:00:00Z|CN-RU|0", "x")) << "a record from before panes";
}

// Stage 1 on three source partitions, stage 2 merging their pane and final partials, against one WindowStore that
// sees every event (the old whole-window answer): every merged update and final record must equal the sum.
TEST(MergeStore, PanePartialsOfSeveralSourcesMergeToTheWholeWindowSums) {
  const std::vector<WindowSpec> specs = {*parse_window_spec("1h"), *parse_window_spec("1d"), *parse_window_spec("3d/1d")};
  const Millis grace{6 * 3'600'000};
  std::vector<WindowStore> sources(3, WindowStore(specs, grace, "USD"));
  WindowStore all(specs, grace, "USD");
  MergeStore m(specs, 3);
  // The whole-window answer, merged as stage 2 publishes it.
  const auto whole = [&](const Aggregate& final_partial) {
    MergeStore alone(specs, 3);
    Aggregate p = final_partial;
    p.set_source_partition(0);
    EXPECT_TRUE(alone.add_partial(p));
    PartitionWatermark w;
    w.set_source_partition(0);
    w.set_source_partitions(1);
    w.set_closed_through_ms(std::numeric_limits<std::int64_t>::max());
    alone.add_watermark(w);
    std::vector<Aggregate> out;
    alone.take_closed(out);
    EXPECT_EQ(out.size(), 1U);
    return out.at(0);
  };
  std::map<std::string, Aggregate> closed_whole;  // Windows `all` has closed, merged.
  const auto expect_equal = [&](const Aggregate& merged, bool final) {
    const std::string key = WindowStore::output_key(merged);
    SCOPED_TRACE(key);
    Aggregate expected;
    if (const auto it = closed_whole.find(key); it != closed_whole.end()) {
      expected = it->second;
    } else {
      WindowStore copy = all;  // Its open windows as they stand.
      std::vector<Aggregate> open;
      copy.take_all_final(open);
      const auto at = std::find_if(open.begin(), open.end(), [&](const Aggregate& a) { return WindowStore::output_key(a) == key; });
      ASSERT_NE(at, open.end());
      expected = whole(*at);
    }
    expected.set_final(final);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(merged, expected))
        << "merged:\n" << merged.DebugString() << "expected:\n" << expected.DebugString();
  };
  const std::int64_t t0 = parse_rfc3339("2026-03-01T00:00:00Z")->time_since_epoch().count();
  const char* const parties[] = {"Alpha", "Beta", "Gamma", "Delta"};
  int updates = 0;
  for (int i = 0; i < 120; ++i) {
    EventContribution e;
    e.time = EventTime{Millis{t0 + i * 5LL * 3'600'000 / 3}};  // Every 100 minutes, in order: nothing is late.
    e.corridor = i % 4 == 0 ? "IN-RU" : "CN-RU";
    e.currency_class = i % 3 == 0 ? sanctions::v1::USD : sanctions::v1::NATIONAL;
    e.tier = i % 5 == 0 ? sanctions::v1::CRITICAL : sanctions::v1::LOW;
    e.lines.push_back(LineContribution{Decimal::from_micros((1000 + i * 131) * 10'000), false, &kFurniture});
    if (e.tier == sanctions::v1::CRITICAL) e.counterparties = {parties[i % 4], parties[(i / 4) % 4]};
    const auto source = static_cast<std::int32_t>((i * 7) % 3);
    EXPECT_TRUE(sources[static_cast<std::size_t>(source)].add(e).late_windows.empty());
    EXPECT_TRUE(all.add(e).late_windows.empty());
    std::vector<Aggregate> out;
    all.take_closed(out);
    for (const Aggregate& a : out) closed_whole[WindowStore::output_key(a)] = whole(a);
    // Stage 1 of that source: final partials now, pane partials every few events, then its watermark.
    out.clear();
    sources[static_cast<std::size_t>(source)].take_closed(out);
    if (i % 4 == 3) sources[static_cast<std::size_t>(source)].take_updates(out);
    for (Aggregate& a : out) {
      a.set_source_partition(source);
      EXPECT_TRUE(m.add_partial(a));
    }
    m.add_watermark(watermark(source, 3, format_rfc3339(*sources[static_cast<std::size_t>(source)].stream_time() - grace)));
    out.clear();
    m.take_closed(out);
    for (const Aggregate& a : out) expect_equal(a, true);
    if (i % 4 == 3) {
      // Every source's panes are published now: the merged open windows are complete.
      for (std::int32_t s = 0; s < 3; ++s) {
        std::vector<Aggregate> panes;
        sources[static_cast<std::size_t>(s)].take_updates(panes);
        for (Aggregate& a : panes) {
          a.set_source_partition(s);
          EXPECT_TRUE(m.add_partial(a));
        }
      }
      out.clear();
      m.take_updates(out);
      for (const Aggregate& a : out) expect_equal(a, false);
      updates += static_cast<int>(out.size());
    }
  }
  EXPECT_GT(updates, 100);
  EXPECT_FALSE(closed_whole.empty());
}

TEST(MergeStore, AWindowWhosePanesChangedOnlyByEventsLateForItIsNotPublished) {
  // 3-day windows advancing by a day (1-day panes); two source partitions. Source 0 has closed [Mar 1, Mar 4) and
  // [Mar 2, Mar 5) with nothing in them, then takes an event of Mar 3: late for those two windows, in time for
  // [Mar 3, Mar 6). Its Mar 3 pane changes, but only [Mar 3, Mar 6) may count it; the other two hold no event and
  // must not appear (replay, the oracle, has no such windows).
  const std::vector<WindowSpec> specs = {*parse_window_spec("3d/1d")};
  WindowStore source(specs, Millis{0}, "USD");
  MergeStore m(specs, 10);
  EventContribution e;
  e.corridor = "CN-RU";
  e.lines.push_back(LineContribution{Decimal::parse("100.00"), false, &kFurniture});
  e.time = *parse_rfc3339("2026-03-05T12:00:00Z");
  EXPECT_TRUE(source.add(e).late_windows.empty());
  std::vector<Aggregate> out;
  source.take_closed(out);  // Nothing of the corridor in the closed windows: no final partials.
  EXPECT_TRUE(out.empty());
  e.time = *parse_rfc3339("2026-03-03T10:00:00Z");
  EXPECT_EQ(source.add(e).late_windows.size(), 2U);
  // Stage 1 announces its watermark, then its pane partials (the order the daemon keeps).
  m.add_watermark(watermark(0, 2, "2026-03-05T12:00:00Z"));
  source.take_updates(out);
  ASSERT_FALSE(out.empty());
  for (Aggregate& a : out) {
    a.set_source_partition(0);
    EXPECT_TRUE(m.add_partial(a));
  }
  std::vector<Aggregate> updates;
  m.take_updates(updates);
  std::vector<std::string> published;
  for (const Aggregate& a : updates) {
    published.push_back(a.window_start() + " " + std::to_string(a.event_count()));
    EXPECT_GT(a.event_count(), 0U) << a.DebugString();
  }
  std::sort(published.begin(), published.end());
  EXPECT_EQ(published, (std::vector<std::string>{"2026-03-03T00:00:00Z 2", "2026-03-04T00:00:00Z 1", "2026-03-05T00:00:00Z 1"}));
}

}  // namespace
}  // namespace sm::aggregate
