#include "aggregate/window_store.h"

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <thread>

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

// Panes.

const std::vector<std::string> kNoGroups;

EventContribution high(std::string_view time, std::string_view amount, std::vector<std::string_view> parties,
                       std::string_view corridor = "CN-RU") {
  EventContribution e = event(time, amount, sanctions::v1::USD, &kFurniture, corridor);
  e.tier = sanctions::v1::HIGH;
  e.counterparties = std::move(parties);
  return e;
}

std::int64_t ms(std::string_view time) { return parse_rfc3339(time)->time_since_epoch().count(); }

std::map<std::string, std::string> records(const WindowStore& store) {
  std::vector<std::pair<std::string, std::string>> log;
  store.changelog(log);
  return {log.begin(), log.end()};
}

TEST(WindowStore, APartialsBytesParseAsTheWholePartial) {
  // The exposure is written in wire form after the rest of the partial: the bytes must read back as the message
  // with its map, whatever the names' lengths (a 300-byte name takes a two-byte length) and script.
  WindowStore store({*parse_window_spec("1h")}, Millis{0}, "USD");
  const std::string long_name(300, 'x');
  EventContribution e = event("2026-03-01T10:00:00Z", "1234567890123.45");
  e.tier = sanctions::v1::HIGH;
  e.counterparties = {"ООО Ромашка", long_name, "A"};
  store.add(e);
  store.add(event("2026-03-01T10:30:00Z", "5"));  // LOW: no exposure of its own.
  std::vector<EncodedPartial> updates;
  store.take_updates(updates);
  store.add(event("2026-03-01T11:00:00Z", "7"));  // Closes the 10:00 hour.
  std::vector<EncodedPartial> closed;
  store.take_closed(closed);
  ASSERT_EQ(updates.size(), 1U);
  ASSERT_EQ(closed.size(), 1U);
  for (const EncodedPartial* partial : {&updates[0], &closed[0]}) {
    std::string bytes;
    partial->serialise(bytes);
    Aggregate parsed;
    ASSERT_TRUE(parsed.ParseFromString(bytes));
    Aggregate expected = partial->head;
    EXPECT_EQ(expected.counterparty_exposure_size(), 0);
    for (const std::string& name : {std::string("ООО Ромашка"), long_name, std::string("A")}) {
      auto& money = (*expected.mutable_counterparty_exposure())[name];
      money.set_currency("USD");
      money.set_amount("1234567890123.45");
    }
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, expected)) << parsed.DebugString();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(partial->message(), expected));
    EXPECT_EQ(parsed.total_value().amount(), "1234567890128.45");
  }
  EXPECT_EQ(updates[0].head.partial_kind(), sanctions::v1::PARTIAL_PANE);
  EXPECT_EQ(closed[0].head.partial_kind(), sanctions::v1::PARTIAL_FINAL_WINDOW);
}

TEST(WindowStorePanes, AHoppingWindowIsTheSumOfItsPanes) {
  // Events every 7 hours over 10 days in two corridors, some HIGH: every window of every shape, closed along
  // the way or at the end, must hold exactly the events in [start, end) of its corridor.
  const std::vector<WindowSpec> specs = {*parse_window_spec("1h"), *parse_window_spec("1d"), *parse_window_spec("3d/1d")};
  WindowStore store(specs, Millis{6 * 3'600'000}, "USD");
  struct Seen { std::int64_t t; std::string corridor; std::int64_t cents; bool high; };
  std::vector<Seen> seen;
  std::vector<Aggregate> out;
  const std::int64_t t0 = ms("2026-03-01T00:00:00Z");
  for (int i = 0; i < 35; ++i) {
    const std::int64_t t = t0 + i * 7LL * 3'600'000;
    const std::string corridor = i % 3 == 0 ? "IN-RU" : "CN-RU";
    const std::int64_t cents = 100 + i * 37;
    const std::string time = format_rfc3339(EventTime{Millis{t}});
    const std::string amount = Decimal::from_micros(cents * 10'000).to_string(2);
    const bool is_high = i % 4 == 0;
    EventContribution e = is_high ? high(time, amount, {"Alpha", i % 8 == 0 ? "Beta" : "Alpha"}, corridor)
                                  : event(time, amount, sanctions::v1::USD, &kFurniture, corridor);
    EXPECT_TRUE(store.add(e).late_windows.empty());
    seen.push_back({t, corridor, cents, is_high});
    store.take_closed(out);
  }
  const std::size_t closed_on_the_way = out.size();
  store.take_all_final(out);
  EXPECT_GT(closed_on_the_way, 0U);
  EXPECT_EQ(store.open_panes(), 0U);
  std::set<std::string> keys;
  for (const Aggregate& a : out) {
    SCOPED_TRACE(WindowStore::output_key(a));
    EXPECT_TRUE(keys.insert(WindowStore::output_key(a)).second) << "each window once";
    EXPECT_TRUE(a.final());
    EXPECT_EQ(a.partial_kind(), sanctions::v1::PARTIAL_FINAL_WINDOW);
    const std::int64_t start = ms(a.window_start()), end = ms(a.window_end());
    std::int64_t count = 0, cents = 0, alpha = 0, beta = 0;
    for (const Seen& e : seen) {
      if (e.t < start || e.t >= end || e.corridor != a.corridor()) continue;
      ++count;
      cents += e.cents;
      if (e.high) alpha += e.cents;
      if (e.high && (e.t - t0) / (7LL * 3'600'000) % 8 == 0) beta += e.cents;
    }
    EXPECT_EQ(a.event_count(), count);
    EXPECT_EQ(a.total_value().amount(), Decimal::from_micros(cents * 10'000).to_string(2));
    EXPECT_EQ(a.counterparty_exposure().contains("Alpha"), alpha > 0);
    if (alpha > 0) {
      EXPECT_EQ(a.counterparty_exposure().at("Alpha").amount(), Decimal::from_micros(alpha * 10'000).to_string(2));
    }
    if (beta > 0) {
      EXPECT_EQ(a.counterparty_exposure().at("Beta").amount(), Decimal::from_micros(beta * 10'000).to_string(2));
    }
  }
  // Every window holding an event is there: 35 hours, and per corridor the days and the 3-day windows.
  EXPECT_EQ(std::count_if(out.begin(), out.end(), [](const Aggregate& a) { return a.window_size() == "1h"; }), 35);
}

TEST(WindowStorePanes, AnEventLateForSomeWindowsOfItsPaneCountsInTheOthers) {
  WindowStore store({*parse_window_spec("1d"), *parse_window_spec("3d/1d")}, Millis{0}, "USD");
  store.add(event("2026-03-02T12:00:00Z", "1"));
  store.add(event("2026-03-03T00:00:00Z", "2"));  // Closes 1d@03-02 and 3d/1d@02-28 ([02-28, 03-03)).
  std::vector<Aggregate> closed;
  store.take_closed(closed);
  ASSERT_EQ(closed.size(), 2U);
  EXPECT_EQ(closed[0].window_size(), "1d");
  EXPECT_EQ(closed[1].window_size(), "3d/1d");
  EXPECT_EQ(closed[1].window_start(), "2026-02-28T00:00:00Z");

  const AddOutcome late = store.add(event("2026-03-02T18:00:00Z", "4"));
  EXPECT_EQ(late.late_windows, (std::vector<std::string>{"1d@2026-03-02T00:00:00Z", "3d/1d@2026-02-28T00:00:00Z"}));
  EXPECT_EQ(late.windows_updated, 2) << "3d/1d@03-01 and 3d/1d@03-02 are open";
  const std::size_t panes = store.open_panes();
  const AddOutcome lost = store.add(event("2026-02-28T18:00:00Z", "8"));  // Every window holding it is closed.
  EXPECT_EQ(lost.windows_updated, 0);
  EXPECT_EQ(lost.late_windows.size(), 4U);
  EXPECT_EQ(store.open_panes(), panes) << "not added to any pane";

  closed.clear();
  store.take_closed(closed);
  EXPECT_TRUE(closed.empty()) << "the late event closed nothing";
  std::map<std::string, std::string> totals;
  for (const Aggregate& a : all_final(store)) totals[WindowStore::output_key(a)] = a.total_value().amount();
  EXPECT_EQ(totals, (std::map<std::string, std::string>{
                        {"1d|2026-03-03T00:00:00Z|CN-RU", "2.00"},
                        {"3d/1d|2026-03-01T00:00:00Z|CN-RU", "7.00"},
                        {"3d/1d|2026-03-02T00:00:00Z|CN-RU", "7.00"},
                        {"3d/1d|2026-03-03T00:00:00Z|CN-RU", "2.00"}}))
      << "the late event counts in the open 3-day windows only";
}

TEST(WindowStorePanes, APaneIsDroppedWithTombstonesWhenItsLastWindowCloses) {
  WindowStore store({*parse_window_spec("1d"), *parse_window_spec("3d/1d")}, Millis{0}, "USD");
  store.add(high("2026-03-01T10:00:00Z", "5", {"Alpha OOO"}));
  store.commit();
  store.add(event("2026-03-03T10:00:00Z", "1"));  // 1d@03-01 closes; 3d/1d@03-01 still holds the 03-01 pane.
  EXPECT_EQ(store.open_panes(), 2U);
  std::vector<Aggregate> before;
  store.take_closed(before);
  store.commit();
  store.add(event("2026-03-04T00:00:00Z", "1"));  // 3d/1d@03-01 closes: the 03-01 pane goes.
  EXPECT_EQ(store.open_panes(), 2U) << "03-03 and 03-04";
  const std::string pane = std::to_string(86'400'000) + "|" + std::to_string(ms("2026-03-01T00:00:00Z")) + "|CN-RU";
  const auto log = records(store);
  ASSERT_TRUE(log.contains("p|" + pane));
  EXPECT_EQ(log.at("p|" + pane), "") << "tombstone";
  ASSERT_TRUE(log.contains("x|" + pane + "|Alpha OOO"));
  EXPECT_EQ(log.at("x|" + pane + "|Alpha OOO"), "") << "tombstone";
  std::vector<Aggregate> closed;
  store.take_closed(closed);
  ASSERT_EQ(closed.size(), 2U) << "1d@03-03 and 3d/1d@03-01";
  EXPECT_EQ(closed[1].window_start(), "2026-03-01T00:00:00Z");
  EXPECT_EQ(closed[1].total_value().amount(), "6.00");
  EXPECT_EQ(closed[1].counterparty_exposure().at("Alpha OOO").amount(), "5.00");
}

TEST(WindowStorePanes, TheChangelogWritesOnlyThePanesAndCounterpartiesThatChanged) {
  WindowStore store({*parse_window_spec("1h"), *parse_window_spec("1d"), *parse_window_spec("30d/1d")}, Millis{0}, "USD");
  store.add(high("2026-03-01T10:00:00Z", "5", {"Alpha", "Beta"}));
  EXPECT_EQ(records(store).size(), 1U + 2U + 2U * 2U) << "stream time, a 1h and a 1d pane, two parties in each";
  store.commit();
  EXPECT_TRUE(records(store).empty());
  store.add(high("2026-03-01T10:10:00Z", "2", {"Beta", "Gamma", "Gamma"}));
  const auto log = records(store);
  int panes = 0, parties = 0;
  for (const auto& [key, value] : log) {
    if (key.starts_with("p|")) ++panes;
    if (key.starts_with("x|")) {
      ++parties;
      EXPECT_FALSE(key.ends_with("|Alpha")) << "unchanged: not written again";
    }
  }
  EXPECT_EQ(panes, 2) << "not one per window (32 of them)";
  EXPECT_EQ(parties, 4) << "Beta and Gamma in two panes";
  const std::string day_pane = std::to_string(86'400'000) + "|" + std::to_string(ms("2026-03-01T00:00:00Z")) + "|CN-RU";
  EXPECT_EQ(log.at("x|" + day_pane + "|Beta"), "7000000") << "micros, exact";
  EXPECT_EQ(log.at("x|" + day_pane + "|Gamma"), "2000000") << "named twice, counted once";
}

TEST(WindowStorePanes, RestoringTheCommittedChangelogAfterARollbackGivesTheSameState) {
  const std::vector<WindowSpec> specs = {*parse_window_spec("1h"), *parse_window_spec("1d"), *parse_window_spec("3d/1d")};
  WindowStore store(specs, Millis{3'600'000}, "USD");
  std::vector<std::pair<std::string, std::string>> log;
  std::vector<Aggregate> closed;
  store.add(high("2026-03-01T10:00:00Z", "5", {"Alpha", "Beta"}));
  store.add(event("2026-03-01T11:30:00Z", "1.50", sanctions::v1::NATIONAL, &kEnergy, "IN-RU"));
  store.changelog(log);
  store.commit();
  store.add(high("2026-03-02T09:00:00Z", "3", {"Beta"}));
  store.add(high("2026-03-04T02:00:00Z", "4", {"Gamma"}));  // Closes days and the 02-27..03-01 windows.
  store.take_closed(closed);
  store.changelog(log);
  store.commit();
  // An aborted transaction: later events, windows closed, panes dropped; all undone.
  store.add(high("2026-03-05T09:00:00Z", "7", {"Alpha"}));
  store.add(high("2026-03-04T03:00:00Z", "1", {"Delta"}));
  store.take_closed(closed);
  store.rollback();
  EXPECT_TRUE(records(store).empty()) << "nothing changed since the commit";

  WindowStore restored(specs, Millis{3'600'000}, "USD");
  for (const auto& [k, v] : log) ASSERT_TRUE(restored.restore(k, v)) << k;
  EXPECT_EQ(restored.stream_time(), store.stream_time());
  EXPECT_EQ(restored.open_panes(), store.open_panes());
  std::vector<Aggregate> a, b;
  store.take_updates(a);
  restored.take_updates(b);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a[i], b[i])) << a[i].DebugString() << b[i].DebugString();
  }
  // And both go on alike: the same event closes the same windows with the same sums.
  for (WindowStore* s : {&store, &restored}) s->add(high("2026-03-09T00:00:00Z", "1", {"Alpha"}));
  a.clear();
  b.clear();
  store.take_closed(a);
  restored.take_closed(b);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_FALSE(a.empty());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a[i], b[i])) << a[i].DebugString() << b[i].DebugString();
  }
}

TEST(WindowStorePanes, RecordsOfTheFormatBeforePanesAreRejected) {
  WindowStore store = hourly();
  EXPECT_FALSE(store.restore("w|3600000|3600000|0|CN-RU", ""));
  EXPECT_FALSE(store.restore("p|3600000|0|CN-RU", "not a proto \xff\xff"));
  EXPECT_FALSE(store.restore("x|3600000|0|CN-RU|Alpha", "1.5"));
  EXPECT_TRUE(store.restore("x|3600000|0|CN-RU|Alpha", "1500000"));
}

TEST(WindowStorePanes, SummingClosingWindowsOnSeveralThreadsGivesTheSameWindows) {
  // Two stores fed the same stream, one summing the exposure of the windows it closes on three threads at once:
  // every final partial, on the way and at the end, is the same message.
  const std::vector<WindowSpec> specs = {*parse_window_spec("1d"), *parse_window_spec("5d/1d")};
  WindowStore alone(specs, Millis{15 * 60'000}, "USD");
  WindowStore spread(specs, Millis{15 * 60'000}, "USD");
  std::atomic<int> parallel_calls{0};
  spread.set_parallel_for([&](std::size_t n, const std::function<void(std::size_t)>& work) {
    ++parallel_calls;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&] {
        for (std::size_t i = next++; i < n; i = next++) work(i);
      });
    }
    for (std::thread& t : threads) t.join();
  });
  std::vector<std::string> names;
  names.reserve(3000);
  for (int i = 0; i < 3000; ++i) names.push_back("Counterparty " + std::to_string(i));
  std::vector<Aggregate> from_alone, from_spread;
  const std::int64_t t0 = ms("2026-03-01T00:00:00Z");
  for (int i = 0; i < 24'000; ++i) {  // 12 days, 2,000 events a day over three corridors.
    const std::string time = format_rfc3339(EventTime{Millis{t0 + i * 43'200LL}});
    const std::string corridor = i % 3 == 0 ? "IN-RU" : (i % 3 == 1 ? "CN-RU" : "TR-RU");
    EventContribution e = event(time, std::to_string(1 + i % 997) + ".25", sanctions::v1::USD, &kFurniture, corridor);
    e.tier = sanctions::v1::HIGH;
    e.counterparties = {names[static_cast<std::size_t>(i * 7) % names.size()],
                        names[static_cast<std::size_t>(i / 5 + 11) % names.size()]};
    alone.add(e);
    spread.add(e);
    if (i % 50 == 0) {
      alone.take_closed(from_alone);
      spread.take_closed(from_spread);
      alone.commit();
      spread.commit();
    }
  }
  alone.take_all_final(from_alone);
  spread.take_all_final(from_spread);
  EXPECT_GT(parallel_calls.load(), 5);
  ASSERT_EQ(from_alone.size(), from_spread.size());
  std::size_t entries = 0;
  for (std::size_t i = 0; i < from_alone.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_alone[i], from_spread[i]))
        << WindowStore::output_key(from_alone[i]);
    entries += static_cast<std::size_t>(from_alone[i].counterparty_exposure_size());
  }
  EXPECT_GT(entries, 10'000U);
}

TEST(WindowStorePanes, AClosedWindowHoldsExactlyTheExposureOfItsEvents) {
  // Many counterparties, each in only some panes of the windows holding it, first seen in an order that is not
  // their names' order, some events unvalued (an entry of 0.00): every closed window's exposure map, entry for
  // entry, is the sum over its corridor's HIGH events in [start, end), whether it closed on the way (several
  // windows a close, the panes of one shared by the others) or at the end.
  const std::vector<WindowSpec> specs = {*parse_window_spec("1h"), *parse_window_spec("1d"), *parse_window_spec("5d/1d")};
  WindowStore store(specs, Millis{15 * 60'000}, "USD");
  std::vector<std::string> names;
  names.reserve(40);
  for (int i = 0; i < 40; ++i) names.push_back("Party " + std::to_string((i * 17) % 40));
  struct Seen { std::int64_t t; std::string corridor; std::int64_t cents; std::vector<std::string> parties; };
  std::vector<Seen> seen;
  std::vector<Aggregate> out;
  const std::int64_t t0 = ms("2026-03-01T00:00:00Z");
  std::int64_t t = t0;
  for (int i = 0; i < 600; ++i) {
    t += 600'000 + (i * 7919 % 13) * 60'000;  // 10 to 22 minutes apart: about 12 days.
    const std::string corridor = i % 3 == 0 ? "IN-RU" : "CN-RU";
    const bool unvalued = i % 23 == 0;
    const std::int64_t cents = unvalued ? 0 : 1 + (i * 104729) % 100'000;
    const std::string time = format_rfc3339(EventTime{Millis{t}});
    EventContribution e = event(time, Decimal::from_micros(cents * 10'000).to_string(2), sanctions::v1::USD,
                                &kFurniture, corridor);
    if (unvalued) e.lines[0].value.reset();
    Seen s{t, corridor, cents, {}};
    if (i % 2 == 0) {
      e.tier = sanctions::v1::HIGH;
      // A party of a narrow range that moves with time, so that each one is in some panes and not in others.
      s.parties = {names[static_cast<std::size_t>(i / 30 + i % 5) % names.size()],
                   names[static_cast<std::size_t>(i / 30 + 3) % names.size()]};
      e.counterparties = {s.parties[0], s.parties[1], s.parties[0]};  // The same name twice counts once.
    }
    EXPECT_TRUE(store.add(e).late_windows.empty());
    seen.push_back(std::move(s));
    if (i % 5 == 0) {
      store.take_closed(out);
      store.commit();
    }
  }
  const std::size_t closed_on_the_way = out.size();
  store.take_all_final(out);
  EXPECT_GT(closed_on_the_way, 100U);
  std::size_t hopping = 0;
  for (const Aggregate& a : out) {
    SCOPED_TRACE(WindowStore::output_key(a));
    const std::int64_t start = ms(a.window_start()), end = ms(a.window_end());
    std::map<std::string, std::int64_t> expected;
    for (const Seen& e : seen) {
      if (e.t < start || e.t >= end || e.corridor != a.corridor()) continue;
      for (const std::string& p : std::set<std::string>(e.parties.begin(), e.parties.end())) expected[p] += e.cents;
    }
    std::map<std::string, std::string> want, got;
    for (const auto& [p, cents] : expected) want[p] = Decimal::from_micros(cents * 10'000).to_string(2);
    for (const auto& [p, money] : a.counterparty_exposure()) {
      EXPECT_EQ(money.currency(), "USD");
      got[p] = money.amount();
    }
    EXPECT_EQ(got, want);
    if (a.window_size() == "5d/1d" && want.size() > 3) ++hopping;
  }
  EXPECT_GT(hopping, 10U);
}

}  // namespace
}  // namespace sm::aggregate
