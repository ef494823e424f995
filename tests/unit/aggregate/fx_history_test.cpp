#include "aggregate/fx_history.h"

#include <gtest/gtest.h>

#include <thread>

#include "sanctions/v1/fx_rate.pb.h"

namespace sm::aggregate {
namespace {

EventTime at(std::string_view rfc3339) { return *parse_rfc3339(rfc3339); }
Decimal money(std::string_view s) { return *Decimal::parse(s); }

std::string rate_json(std::string_view currency, std::string_view rate, std::string_view from) {
  return "{\"currency\":\"" + std::string(currency) + "\",\"rate\":\"" + std::string(rate) + "\",\"effectiveFrom\":\"" +
         std::string(from) + "\"}";
}

FxTable configured() { return *FxTable::make("USD", {{"RUB", "0.0110"}, {"CNY", "0.1380"}}); }

TEST(FxHistory, TheRateInForceIsTheLatestEffectiveFromAtOrBeforeTheTime) {
  FxRateBook book("USD");
  ASSERT_FALSE(book.apply("RUB|2026-03-01T00:00:00Z", rate_json("RUB", "0.0100", "2026-03-01T00:00:00Z")));
  ASSERT_FALSE(book.apply("RUB|2026-03-02T12:00:00Z", rate_json("RUB", "0.0120", "2026-03-02T12:00:00Z")));
  book.publish();
  const auto h = book.snapshot();
  const FxTable fx = configured();
  const auto value = [&](std::string_view time) {
    return to_reporting_at(fx, h.get(), money("1000.00"), "RUB", at(time))->to_string(2);
  };
  EXPECT_EQ(value("2026-02-28T23:59:59.999Z"), "11.00") << "before the first topic rate: the configured one";
  EXPECT_EQ(value("2026-03-01T00:00:00Z"), "10.00") << "effective_from is inclusive";
  EXPECT_EQ(value("2026-03-02T11:59:59.999Z"), "10.00");
  EXPECT_EQ(value("2026-03-02T12:00:00Z"), "12.00") << "the next rate takes over at its own effective_from";
  EXPECT_EQ(value("2027-01-01T00:00:00Z"), "12.00") << "the latest rate stays in force";
  // A currency the topic never names keeps its configured rate at every time.
  EXPECT_EQ(to_reporting_at(fx, h.get(), money("12.5"), "CNY", at("2026-03-03T00:00:00Z"))->to_string(2), "1.72");
  // The reporting currency converts at 1 whatever the topic says.
  EXPECT_EQ(to_reporting_at(fx, h.get(), money("3.10"), "USD", at("2026-03-03T00:00:00Z"))->to_string(2), "3.10");
}

TEST(FxHistory, ACurrencyWithoutAnyRateIsNotValuedAtZero) {
  FxRateBook book("USD");
  ASSERT_FALSE(book.apply("AED|2026-03-01T00:00:00Z", rate_json("AED", "0.2723", "2026-03-01T00:00:00Z")));
  book.publish();
  const FxTable fx = configured();
  EXPECT_FALSE(to_reporting_at(fx, book.snapshot().get(), money("100"), "KZT", at("2026-03-05T00:00:00Z")));
  // Known to the topic, but not yet in force and not configured: no rate either.
  EXPECT_FALSE(to_reporting_at(fx, book.snapshot().get(), money("100"), "AED", at("2026-02-01T00:00:00Z")));
  EXPECT_EQ(to_reporting_at(fx, book.snapshot().get(), money("100"), "AED", at("2026-03-01T00:00:00Z"))->to_string(2),
            "27.23");
  EXPECT_FALSE(to_reporting_at(fx, nullptr, money("100"), "AED", at("2026-03-01T00:00:00Z")))
      << "without a history only the configuration counts";
}

TEST(FxHistory, ConvertsExactlyAndRoundsHalfEvenToCents) {
  FxRateBook book("USD");
  ASSERT_FALSE(book.apply("", rate_json("UZS", "0.000079123456", "2026-03-01T00:00:00Z")));
  ASSERT_FALSE(book.apply("", rate_json("CNY", "0.138", "2026-03-01T00:00:00Z")));
  book.publish();
  const auto h = book.snapshot();
  const FxTable fx = configured();
  const auto t = at("2026-03-01T00:00:00Z");
  // 12.5 * 0.138 = 1.725 -> 1.72 (half to even): the exact product, rounded once.
  EXPECT_EQ(to_reporting_at(fx, h.get(), money("12.5"), "CNY", t)->to_string(2), "1.72");
  EXPECT_EQ(to_reporting_at(fx, h.get(), money("37.5"), "CNY", t)->to_string(2), "5.18");  // 5.175 -> 5.18
  // 123456789.123456 * 0.000079123456 = 9768.3278221...: no float on the way.
  EXPECT_EQ(to_reporting_at(fx, h.get(), money("123456789.123456"), "UZS", t)->to_string(2), "9768.33");
}

TEST(FxHistory, ACorrectionReplacesAndATombstoneWithdrawsARate) {
  FxRateBook book("USD");
  const std::string key = "RUB|2026-03-01T00:00:00Z";
  ASSERT_FALSE(book.apply(key, rate_json("RUB", "0.0100", "2026-03-01T00:00:00Z")));
  ASSERT_FALSE(book.apply(key, rate_json("RUB", "0.0105", "2026-03-01T00:00:00Z")));
  book.publish();
  EXPECT_EQ(book.snapshot()->size(), 1U);
  EXPECT_EQ(book.snapshot()->rate_at("RUB", at("2026-03-01T00:00:00Z")), (ExactRate{105, 4}));
  const auto before = book.snapshot();
  ASSERT_FALSE(book.apply(key, ""));
  EXPECT_EQ(book.snapshot(), before) << "nothing is visible before publish()";
  book.publish();
  EXPECT_EQ(book.snapshot()->size(), 0U);
  EXPECT_EQ(before->size(), 1U) << "a reader's snapshot never changes under it";
  EXPECT_TRUE(book.apply("RUB", "")) << "a tombstone must name the rate it withdraws";
}

TEST(FxHistory, RefusesRecordsItCannotUseAndKeepsTheRest) {
  FxRateBook book("USD");
  EXPECT_TRUE(book.apply("", "{not json"));
  EXPECT_TRUE(book.apply("", rate_json("RUB", "-0.01", "2026-03-01T00:00:00Z")));
  EXPECT_TRUE(book.apply("", rate_json("RUB", "0", "2026-03-01T00:00:00Z")));
  EXPECT_TRUE(book.apply("", rate_json("RUB", "1e-2", "2026-03-01T00:00:00Z")));
  EXPECT_TRUE(book.apply("", rate_json("RUB", "0.0000000000001", "2026-03-01T00:00:00Z")));  // 13 digits
  EXPECT_TRUE(book.apply("", rate_json("RUB", "0.01", "yesterday")));
  EXPECT_TRUE(book.apply("", rate_json("rouble", "0.01", "2026-03-01T00:00:00Z")));
  EXPECT_TRUE(book.apply("", rate_json("USD", "1", "2026-03-01T00:00:00Z")));
  EXPECT_TRUE(book.apply("", R"({"currency":"RUB","rate":"0.01","effectiveFrom":"2026-03-01T00:00:00Z","reportingCurrency":"EUR"})"));
  const auto error = book.apply("", rate_json("RUB", "0,01", "2026-03-01T00:00:00Z"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "bad_fx_rate");
  EXPECT_NE(error->message.find("0,01"), std::string::npos) << error->message;
  book.publish();
  EXPECT_EQ(book.snapshot()->size(), 0U);
}

TEST(FxHistory, ReadsBinaryProtobufAndRenminbiAsCny) {
  sanctions::v1::FxRate msg;
  msg.set_currency("CNH");
  msg.set_rate("0.1390");
  msg.set_effective_from("2026-03-01T08:00:00+08:00");
  msg.set_reporting_currency("USD");
  const auto record = decode_fx_rate(msg.SerializeAsString(), "USD");
  ASSERT_TRUE(record.ok()) << record.error().message;
  EXPECT_EQ(record->currency, "CNY");
  EXPECT_EQ(record->rate, (ExactRate{1390, 4}));
  EXPECT_EQ(record->effective_from, at("2026-03-01T00:00:00Z"));
}

TEST(FxHistory, ReadersTakeSnapshotsWhileTheWriterPublishes) {
  // One writer, one reader on another thread (ThreadSanitizer/ASan builds check the hand-over).
  FxRateBook book("USD");
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::size_t last = 0;
    while (!done.load()) {
      const auto h = book.snapshot();
      ASSERT_GE(h->size(), last) << "snapshots only grow in this test";
      last = h->size();
    }
  });
  for (int day = 1; day <= 28; ++day) {
    const std::string from = "2026-02-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T00:00:00Z";
    ASSERT_FALSE(book.apply("", rate_json("RUB", "0.0110", from)));
    book.publish();
  }
  done = true;
  reader.join();
  EXPECT_EQ(book.snapshot()->size(), 28U);
}

}  // namespace
}  // namespace sm::aggregate
