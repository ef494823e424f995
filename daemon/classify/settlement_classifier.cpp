#include "classify/settlement_classifier.h"

namespace sm::classify {

using sanctions::v1::CurrencyClass;

CurrencyClass SettlementClassifier::classify(const sanctions::v1::TradeEvent& event) const {
  const auto& settlement = event.settlement();
  if (settlement.channel() == sanctions::v1::Settlement::NETTING || settlement.channel() == sanctions::v1::Settlement::BARTER) {
    return sanctions::v1::BARTER;
  }
  if (settlement.currency().empty()) return sanctions::v1::UNKNOWN;
  const std::string currency = IsoCodes::normalise_currency(settlement.currency());
  if (currency == iso_.national_currency(event.origin_country()) ||
      currency == iso_.national_currency(event.destination_country())) {
    return sanctions::v1::NATIONAL;
  }
  if (currency == "USD") return sanctions::v1::USD;
  if (currency == "EUR") return sanctions::v1::EUR;
  return sanctions::v1::THIRD_COUNTRY;
}

}  // namespace sm::classify
