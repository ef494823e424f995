#include "classify/settlement_classifier.h"

#include <gtest/gtest.h>

#include "testing/event_builder.h"

namespace sm::classify {
namespace {

using sanctions::v1::Settlement;
using sm::testing::EventBuilder;

class SettlementClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto iso = IsoCodes::load();
    ASSERT_TRUE(iso.ok()) << iso.error().message;
    iso_ = std::make_unique<IsoCodes>(std::move(*iso));
  }
  sanctions::v1::CurrencyClass classify(const sanctions::v1::TradeEvent& e) { return SettlementClassifier(*iso_).classify(e); }
  std::unique_ptr<IsoCodes> iso_;
};

TEST_F(SettlementClassifierTest, EitherSidesCurrencyIsNational) {
  EXPECT_EQ(classify(EventBuilder().settle("CNY").build()), sanctions::v1::NATIONAL);
  EXPECT_EQ(classify(EventBuilder().settle("RUB").build()), sanctions::v1::NATIONAL);
  EXPECT_EQ(classify(EventBuilder().corridor("IN", "RU").settle("INR").build()), sanctions::v1::NATIONAL);
  EXPECT_EQ(classify(EventBuilder().settle("CNH").build()), sanctions::v1::NATIONAL) << "offshore renminbi is renminbi";
  EXPECT_EQ(classify(EventBuilder().settle("cny").build()), sanctions::v1::NATIONAL);
}

TEST_F(SettlementClassifierTest, DollarsEurosAndThirdCurrencies) {
  EXPECT_EQ(classify(EventBuilder().settle("USD").build()), sanctions::v1::USD);
  EXPECT_EQ(classify(EventBuilder().settle("EUR").build()), sanctions::v1::EUR);
  EXPECT_EQ(classify(EventBuilder().settle("AED").build()), sanctions::v1::THIRD_COUNTRY);
  EXPECT_EQ(classify(EventBuilder().corridor("IN", "RU").settle("CNY").build()), sanctions::v1::THIRD_COUNTRY);
  // The euro is Germany's own currency: on DE-RU it is national, not the EUR class.
  EXPECT_EQ(classify(EventBuilder().corridor("DE", "RU").settle("EUR").build()), sanctions::v1::NATIONAL);
}

TEST_F(SettlementClassifierTest, BarterAndUnknown) {
  EXPECT_EQ(classify(EventBuilder().settle("", Settlement::BARTER).build()), sanctions::v1::BARTER);
  EXPECT_EQ(classify(EventBuilder().settle("RUB", Settlement::NETTING).build()), sanctions::v1::BARTER);
  EXPECT_EQ(classify(EventBuilder().settle("", Settlement::SWIFT).build()), sanctions::v1::UNKNOWN);
}

}  // namespace
}  // namespace sm::classify
