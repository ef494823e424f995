#include "model/iso_codes.h"

#include <gtest/gtest.h>

namespace sm {
namespace {

TEST(IsoCodes, LoadsDebianIsoCodes) {
  auto iso = IsoCodes::load();
  ASSERT_TRUE(iso.ok()) << iso.error().message;
  EXPECT_GT(iso->currency_count(), 150U);
  EXPECT_GT(iso->country_count(), 240U);
  EXPECT_TRUE(iso->is_currency("RUB"));
  EXPECT_TRUE(iso->is_currency("CNY"));
  EXPECT_FALSE(iso->is_currency("CNH"));  // Not ISO 4217 ...
  EXPECT_TRUE(iso->is_currency(IsoCodes::normalise_currency("cnh")));  // ... but read as renminbi.
  EXPECT_TRUE(iso->is_country("RU"));
  EXPECT_TRUE(iso->is_country("HK"));
  EXPECT_FALSE(iso->is_country("XX"));
}

TEST(IsoCodes, KnowsEachCountrysCurrencyFromIcu) {
  auto iso = IsoCodes::load();
  ASSERT_TRUE(iso.ok());
  EXPECT_EQ(iso->national_currency("RU"), "RUB");
  EXPECT_EQ(iso->national_currency("CN"), "CNY");
  EXPECT_EQ(iso->national_currency("IN"), "INR");
  EXPECT_EQ(iso->national_currency("DE"), "EUR");
  EXPECT_EQ(iso->national_currency("AE"), "AED");
  EXPECT_EQ(iso->national_currency("US"), "USD");
  EXPECT_EQ(iso->national_currency("ZZ"), "");
}

TEST(IsoCodes, MissingDirectoryIsAClearError) {
  auto iso = IsoCodes::load("/nonexistent");
  ASSERT_FALSE(iso.ok());
  EXPECT_NE(iso.error().message.find("/nonexistent/iso_4217.json"), std::string::npos);
}

}  // namespace
}  // namespace sm
