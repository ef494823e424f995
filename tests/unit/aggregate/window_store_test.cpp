#include "aggregate/window_store.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

namespace sm::aggregate {
namespace {

using sanctions::v1::Aggregate;

const std::vector<std::string> kFurniture = {"FURNITURE"};
const std::vector<std::string> kEnergy = {"ENERGY"};

EventContribution event(std::string_view time, std::string_view amount,
                        sanctions::v1::CurrencyClass cls = sanctions::v1::NATIONAL,
                        const std::vector<std::string>* groups = &kFurniture, std::string_view corridor = "CN-RU") {
  EventContribution e;
  e.time = *parse_rfc3339(time);
  e.corridor = corridor;
  e.currency_class = cls;
  e.tier = sanctions::v1::LOW;
  e.lines.push_back(LineContribution{Decimal::parse(amount), groups == &kEnergy, groups});
  return e;
}

WindowStore hourly(Millis grace = Millis{0}) {
  return WindowStore({*parse_window_spec("1h")}, grace, "USD");
}

std::vector<Aggregate> all_final(WindowStore& store) {
  std::vector<Aggregate> out;
  store.take_all_final(out);
  return out;
}

TEST(WindowSpec, ParsesTumblingAndHopping) {
  EXPECT_EQ(parse_window_spec("1h")->name(), "1h");
  EXPECT_EQ(parse_window_spec("30d/1d")->name(), "30d/1d");
  EXPECT_FALSE(parse_window_spec("1h/2h").has_value());
  EXPECT_FALSE(parse_window_spec("soon").has_value());
}

TEST(WindowStore, StartIsInclusiveEndIsExclusive) {
  WindowStore store = hourly(Millis{3'600'000});
  store.add(event("2026-03-01T10:00:00Z", "1"));
  store.add(event("2026-03-01T10:59:59.999Z", "2"));
  store.add(event("2026-03-01T11:00:00Z", "4"));
  const auto out = all_final(store);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].window_start(), "2026-03-01T10:00:00Z");
  EXPECT_EQ(out[0].window_end(), "2026-03-01T11:00:00Z");
  EXPECT_EQ(out[0].total_value().amount(), "3.00");
  EXPECT_EQ(out[0].event_count(), 2);
  EXPECT_EQ(out[1].window_start(), "2026-03-01T11:00:00Z");
  EXPECT_EQ(out[1].total_value().amount(), "4.00");
  EXPECT_TRUE(out[0].final());
}

TEST(WindowStore, HoppingWindowsCountAnEventInEveryWindowThatHoldsIt) {
  WindowStore store({*parse_window_spec("3d/1d")}, Millis{0}, "USD");
  store.add(event("2026-03-05T12:00:00Z", "10"));
  const auto out = all_final(store);
  ASSERT_EQ(out.size(), 3U);
  EXPECT_EQ(out[0].window_start(), "2026-03-03T00:00:00Z");
  EXPECT_EQ(out[1].window_start(), "2026-03-04T00:00:00Z");
  EXPECT_EQ(out[2].window_start(), "2026-03-05T00:00:00Z");
  EXPECT_EQ(out[2].window_end(), "2026-03-08T00:00:00Z");
  EXPECT_EQ(out[0].window_size(), "3d/1d");
}

TEST(WindowStore, SharesCountValueWithAndWithoutEnergy) {
  WindowStore store = hourly();
  store.add(event("2026-03-01T10:00:00Z", "600", sanctions::v1::NATIONAL, &kEnergy));
  store.add(event("2026-03-01T10:01:00Z", "100", sanctions::v1::NATIONAL, &kFurniture));
  store.add(event("2026-03-01T10:02:00Z", "300", sanctions::v1::USD, &kFurniture));
  const auto out = all_final(store);
  ASSERT_EQ(out.size(), 1U);
  const Aggregate& a = out[0];
  EXPECT_EQ(a.total_value().amount(), "1000.00");
  EXPECT_DOUBLE_EQ(a.national_currency_share(), 0.7);
  EXPECT_DOUBLE_EQ(a.national_currency_share_ex_energy(), 0.25);
  EXPECT_DOUBLE_EQ(a.usd_share(), 0.3);
  EXPECT_EQ(a.value_by_currency_class().at("NATIONAL").amount(), "700.00");
  EXPECT_EQ(a.value_by_product_group().at("ENERGY").amount(), "600.00");
  EXPECT_EQ(a.total_value_ex_energy().amount(), "400.00");
  EXPECT_EQ(a.alerts_by_tier().at("LOW"), 3);
}

TEST(WindowStore, UnvaluedLinesAreCountedApart) {
  WindowStore store = hourly();
  EventContribution e = event("2026-03-01T10:00:00Z", "5");
  e.lines.push_back(LineContribution{std::nullopt, false, &kFurniture});
  store.add(e);
  const auto out = all_final(store);
  EXPECT_EQ(out[0].unvalued_line_items(), 1);
  EXPECT_EQ(out[0].total_value().amount(), "5.00");
}

TEST(WindowStore, WindowsCloseAtEndPlusGraceAndLaterEventsAreLate) {
  WindowStore store = hourly(Millis{10 * 60'000});
  store.add(event("2026-03-01T10:30:00Z", "1"));
  std::vector<Aggregate> closed;
  store.add(event("2026-03-01T11:09:59Z", "1"));
  store.take_closed(closed);
  EXPECT_TRUE(closed.empty());  // 11:10 is the close; stream time is 11:09:59.
  // Out of order but within grace: still counted in the 10:00 window.
  EXPECT_TRUE(store.add(event("2026-03-01T10:45:00Z", "1")).late_windows.empty());
  store.add(event("2026-03-01T11:10:00Z", "1"));
  store.take_closed(closed);
  ASSERT_EQ(closed.size(), 1U);
  EXPECT_EQ(closed[0].window_start(), "2026-03-01T10:00:00Z");
  EXPECT_EQ(closed[0].event_count(), 2);
  EXPECT_TRUE(closed[0].final());
  const AddOutcome late = store.add(event("2026-03-01T10:50:00Z", "1"));
  ASSERT_EQ(late.late_windows, std::vector<std::string>{"1h@2026-03-01T10:00:00Z"});
  EXPECT_EQ(late.windows_updated, 0);
}

TEST(WindowStore, RollbackUndoesEverythingSinceCommit) {
  WindowStore store = hourly();
  store.add(event("2026-03-01T10:00:00Z", "1"));
  store.commit();
  store.add(event("2026-03-01T10:05:00Z", "2"));
  store.add(event("2026-03-01T12:00:00Z", "4", sanctions::v1::NATIONAL, &kFurniture, "IN-RU"));
  std::vector<Aggregate> closed;
  store.take_closed(closed);
  ASSERT_EQ(closed.size(), 1U);  // 10:00 window closed by stream time 12:00.
  store.rollback();
  EXPECT_EQ(store.stream_time(), parse_rfc3339("2026-03-01T10:00:00Z"));
  const auto out = all_final(store);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].total_value().amount(), "1.00");
  EXPECT_EQ(out[0].corridor(), "CN-RU");
}

TEST(WindowStore, ChangelogRestoresTheSameState) {
  WindowStore store({*parse_window_spec("1h"), *parse_window_spec("1d")}, Millis{0}, "USD");
  store.add(event("2026-03-01T10:00:00Z", "1.25", sanctions::v1::USD, &kEnergy));
  store.add(event("2026-03-01T10:20:00Z", "2.50", sanctions::v1::NATIONAL, &kFurniture, "IN-RU"));
  std::vector<std::pair<std::string, std::string>> log;
  store.changelog(log);
  EXPECT_EQ(log.size(), 5U);  // Stream time and four windows.
  WindowStore restored({*parse_window_spec("1h"), *parse_window_spec("1d")}, Millis{0}, "USD");
  for (const auto& [k, v] : log) ASSERT_TRUE(restored.restore(k, v)) << k;
  EXPECT_EQ(restored.stream_time(), store.stream_time());
  const auto a = all_final(store);
  const auto b = all_final(restored);
  ASSERT_EQ(a.size(), b.size());
  // Compared as messages: the serialised bytes of map fields come in no fixed order.
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a[i], b[i])) << i << "\n" << a[i].DebugString() << b[i].DebugString();
  }
  EXPECT_FALSE(restored.restore("w|bad", "x"));
  EXPECT_FALSE(restored.restore("w|3600000|3600000|0|CN-RU", "not a proto \xff\xff"));
}

TEST(WindowStore, ClosingAWindowWritesATombstone) {
  WindowStore store = hourly();
  store.add(event("2026-03-01T10:00:00Z", "1"));
  store.commit();
  store.add(event("2026-03-01T11:00:00Z", "1"));
  std::vector<Aggregate> closed;
  store.take_closed(closed);
  std::vector<std::pair<std::string, std::string>> log;
  store.changelog(log);
  bool tombstone = false;
  for (const auto& [k, v] : log) tombstone |= (k.find(std::to_string(parse_rfc3339("2026-03-01T10:00:00Z")->time_since_epoch().count())) != std::string::npos && v.empty());
  EXPECT_TRUE(tombstone);
}

TEST(WindowStore, UpdatesListOnlyWindowsChangedSinceTheLastOnes) {
  WindowStore store = hourly(Millis{3'600'000});
  store.add(event("2026-03-01T10:00:00Z", "1"));
  std::vector<Aggregate> updates;
  store.take_updates(updates);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_FALSE(updates[0].final());
  updates.clear();
  store.take_updates(updates);
  EXPECT_TRUE(updates.empty());
  store.add(event("2026-03-01T11:00:00Z", "1"));
  store.take_updates(updates);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(updates[0].window_start(), "2026-03-01T11:00:00Z");
}


TEST(WindowStore, RestoredWindowsAreListedInTheNextUpdates) {
  // Committed state whose update was never published (the instance stopped before its next emit) must be
  // published by the instance that restores it, even if no new event touches the window.
  WindowStore store = hourly(Millis{3'600'000});
  store.add(event("2026-03-01T10:00:00Z", "1"));
  std::vector<std::pair<std::string, std::string>> log;
  store.changelog(log);
  WindowStore restored = hourly(Millis{3'600'000});
  for (const auto& [k, v] : log) ASSERT_TRUE(restored.restore(k, v)) << k;
  std::vector<Aggregate> updates;
  restored.take_updates(updates);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(updates[0].window_start(), "2026-03-01T10:00:00Z");
  EXPECT_EQ(updates[0].event_count(), 1);
  EXPECT_FALSE(updates[0].final());
}

TEST(WindowStore, UpdatesTakenInAnAbortedTransactionAreListedAgain) {
  WindowStore store = hourly(Millis{3'600'000});
  store.add(event("2026-03-01T10:00:00Z", "1"));
  store.commit();
  std::vector<Aggregate> updates;
  store.take_updates(updates);  // Goes out in the next transaction...
  ASSERT_EQ(updates.size(), 1U);
  store.rollback();             // ...which aborts: the update was never published.
  updates.clear();
  store.take_updates(updates);
  ASSERT_EQ(updates.size(), 1U);
  EXPECT_EQ(updates[0].total_value().amount(), "1.00");
}

}  // namespace
}  // namespace sm::aggregate
