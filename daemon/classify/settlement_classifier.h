#pragma once

#include "model/iso_codes.h"
#include "sanctions/v1/alert.pb.h"
#include "sanctions/v1/trade_event.pb.h"

namespace sm::classify {

// Classifies how a shipment is paid for, as seen from its corridor. In order: a NETTING or BARTER channel is
// BARTER; no currency is UNKNOWN; the currency in use in the origin or the destination country is NATIONAL
// (RUB or CNY on CN-RU, INR on IN-RU; CNH counts as CNY); then USD, EUR; any other currency is THIRD_COUNTRY.
// Expects a validated event. Thread-safe.
class SettlementClassifier {
 public:
  explicit SettlementClassifier(const IsoCodes& iso) : iso_(iso) {}

  sanctions::v1::CurrencyClass classify(const sanctions::v1::TradeEvent& event) const;

 private:
  const IsoCodes& iso_;
};

}  // namespace sm::classify
