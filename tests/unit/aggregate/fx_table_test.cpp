#include "aggregate/fx_table.h"

#include <gtest/gtest.h>

namespace sm::aggregate {
namespace {

TEST(FxTable, ConvertsExactlyAndRoundsHalfEvenToCents) {
  auto fx = FxTable::make("USD", {{"RUB", "0.0110"}, {"CNY", "0.1380"}, {"UZS", "0.000079"}});
  ASSERT_TRUE(fx.ok()) << fx.error().message;
  EXPECT_EQ(fx->to_reporting(*Decimal::parse("1000000.00"), "RUB")->to_string(2), "11000.00");
  EXPECT_EQ(fx->to_reporting(*Decimal::parse("0.50"), "USD")->to_string(2), "0.50");
  // 12.5 CNY * 0.138 = 1.725 -> 1.72 (half to even).
  EXPECT_EQ(fx->to_reporting(*Decimal::parse("12.5"), "CNY")->to_string(2), "1.72");
  EXPECT_EQ(fx->to_reporting(*Decimal::parse("1000000"), "UZS")->to_string(2), "79.00");
}

TEST(FxTable, AMissingRateIsNotZero) {
  auto fx = FxTable::make("USD", {{"RUB", "0.0110"}});
  ASSERT_TRUE(fx.ok());
  EXPECT_FALSE(fx->to_reporting(*Decimal::parse("5"), "AED").has_value());
  EXPECT_FALSE(fx->has_rate("AED"));
  EXPECT_TRUE(fx->has_rate("USD"));
}

TEST(FxTable, RejectsBadRates) {
  EXPECT_FALSE(FxTable::make("USD", {{"RUB", "-1"}}).ok());
  EXPECT_FALSE(FxTable::make("USD", {{"RUB", "0"}}).ok());
  EXPECT_FALSE(FxTable::make("USD", {{"RUB", "1e-2"}}).ok());
  EXPECT_FALSE(FxTable::make("USD", {{"USD", "2"}}).ok());
  EXPECT_FALSE(FxTable::make("DOLLARS", {}).ok());
}

}  // namespace
}  // namespace sm::aggregate
