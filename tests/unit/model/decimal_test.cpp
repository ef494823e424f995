#include "model/decimal.h"

#include <gtest/gtest.h>

namespace sm {
namespace {

TEST(Decimal, ParsesAndPrintsExactly) {
  EXPECT_EQ(Decimal::parse("1250000.00")->to_string(2), "1250000.00");
  EXPECT_EQ(Decimal::parse("0.1")->micros(), 100'000);
  EXPECT_EQ(Decimal::parse("-3.25")->to_string(2), "-3.25");
  EXPECT_EQ(Decimal::parse("7")->to_string(0), "7");
  EXPECT_EQ(Decimal::parse(".5")->to_string(1), "0.5");
  EXPECT_EQ(Decimal::parse("123.456789")->to_string(6), "123.456789");
}

TEST(Decimal, RejectsWhatIsNotADecimal) {
  for (const char* bad : {"", "-", "1e5", "1.", "1.2.3", "12a", "1.1234567", "NaN", " 1", "99999999999999999999"}) {
    EXPECT_FALSE(Decimal::parse(bad).has_value()) << bad;
  }
}

TEST(Decimal, AddsWithoutLosingACent) {
  // 0.1 + 0.2 is 0.3 exactly, unlike binary floating point.
  EXPECT_EQ(Decimal::parse("0.1")->checked_add(*Decimal::parse("0.2"))->to_string(2), "0.30");
  Decimal sum;
  for (int i = 0; i < 1000; ++i) sum = *sum.checked_add(*Decimal::parse("0.01"));
  EXPECT_EQ(sum.to_string(2), "10.00");
  EXPECT_FALSE(Decimal::from_micros(INT64_MAX).checked_add(Decimal::from_micros(1)).has_value());
}

TEST(Decimal, RoundsHalfToEven) {
  EXPECT_EQ(Decimal::parse("0.125")->to_string(2), "0.12");
  EXPECT_EQ(Decimal::parse("0.135")->to_string(2), "0.14");
  EXPECT_EQ(Decimal::parse("-0.125")->to_string(2), "-0.12");
  EXPECT_EQ(Decimal::parse("2.5")->to_string(0), "2");
  EXPECT_EQ(Decimal::parse("3.5")->to_string(0), "4");
}

TEST(Decimal, ConvertsAtAnExactRate) {
  // 1,000,000 RUB at 0.0110 USD = 11,000.00 USD exactly.
  EXPECT_EQ(Decimal::parse("1000000")->times_rate(110, 4, 2)->to_string(2), "11000.00");
  // 12.345 at 0.1 = 1.2345 -> 1.23 (half-even on the dropped 45).
  EXPECT_EQ(Decimal::parse("12.345")->times_rate(1, 1, 2)->to_string(2), "1.23");
  EXPECT_EQ(Decimal::parse("12.355")->times_rate(1, 1, 2)->to_string(2), "1.24");
  // Rates finer than six digits (UZS) stay exact.
  EXPECT_EQ(Decimal::parse("1000000")->times_rate(79, 6, 2)->to_string(2), "79.00");
}

TEST(Decimal, RatioIsAShareNotMoney) {
  EXPECT_DOUBLE_EQ(Decimal::ratio(*Decimal::parse("25"), *Decimal::parse("100")), 0.25);
  EXPECT_DOUBLE_EQ(Decimal::ratio(*Decimal::parse("25"), Decimal{}), 0.0);
}

}  // namespace
}  // namespace sm
