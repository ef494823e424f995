#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sanctions/v1/trade_event.pb.h"

namespace sm::testing {

// Builds valid TradeEvents for tests, one fact at a time: start from an ordinary CN-RU shipment of furniture
// settled in CNY between unlisted parties, then change only what the test is about.
class EventBuilder {
 public:
  explicit EventBuilder(std::string id = "evt-1") {
    e_.set_event_id(id);
    e_.set_shipment_id("shp-" + id);
    e_.set_event_time("2026-03-01T10:15:00Z");
    e_.mutable_exporter()->set_name("Ningbo Harbour Furniture Co., Ltd");
    e_.mutable_exporter()->set_country("CN");
    e_.mutable_importer()->set_name("OOO Uyutny Dom");
    e_.mutable_importer()->set_country("RU");
    e_.set_origin_country("CN");
    e_.set_destination_country("RU");
    e_.mutable_settlement()->set_currency("CNY");
    e_.mutable_settlement()->set_channel(sanctions::v1::Settlement::CIPS);
  }

  EventBuilder& time(std::string t) { e_.set_event_time(std::move(t)); return *this; }
  EventBuilder& corridor(const std::string& from, const std::string& to) {
    e_.set_origin_country(from);
    e_.set_destination_country(to);
    e_.mutable_exporter()->set_country(from);
    e_.mutable_importer()->set_country(to);
    return *this;
  }
  EventBuilder& settle(std::string currency, sanctions::v1::Settlement::Channel channel = sanctions::v1::Settlement::SWIFT) {
    e_.mutable_settlement()->set_currency(std::move(currency));
    e_.mutable_settlement()->set_channel(channel);
    return *this;
  }
  EventBuilder& line(std::string hs, std::string amount, std::string currency = "CNY") {
    auto* g = e_.add_goods();
    g->set_hs_code(std::move(hs));
    g->mutable_value()->set_amount(std::move(amount));
    g->mutable_value()->set_currency(std::move(currency));
    return *this;
  }
  EventBuilder& exporter(std::string name) { e_.mutable_exporter()->set_name(std::move(name)); return *this; }
  EventBuilder& importer(std::string name) { e_.mutable_importer()->set_name(std::move(name)); return *this; }
  EventBuilder& party(sanctions::v1::Party::Role role, std::string name, std::string country) {
    auto* p = e_.add_parties();
    p->set_role(role);
    p->set_name(std::move(name));
    p->set_country(std::move(country));
    return *this;
  }
  EventBuilder& bank(sanctions::v1::Bank::Role role, std::string name, std::string bic, std::string country) {
    auto* b = e_.add_banks();
    b->set_role(role);
    b->set_name(std::move(name));
    b->set_bic(std::move(bic));
    b->set_country(std::move(country));
    return *this;
  }
  EventBuilder& transit(std::vector<std::string> countries) {
    for (auto& c : countries) e_.add_transit_countries(std::move(c));
    return *this;
  }
  EventBuilder& vessel(std::string imo, std::string name, std::string flag) {
    e_.mutable_vessel()->set_imo(std::move(imo));
    e_.mutable_vessel()->set_name(std::move(name));
    e_.mutable_vessel()->set_flag(std::move(flag));
    return *this;
  }

  // The event; an event without goods gets one furniture line worth 10,000.00 in the settlement currency.
  sanctions::v1::TradeEvent build() const {
    sanctions::v1::TradeEvent e = e_;
    if (e.goods_size() == 0) {
      auto* g = e.add_goods();
      g->set_hs_code("940360");
      g->mutable_value()->set_amount("10000.00");
      g->mutable_value()->set_currency(e.settlement().currency().empty() ? "USD" : e.settlement().currency());
    }
    return e;
  }

 private:
  sanctions::v1::TradeEvent e_;
};

}  // namespace sm::testing
