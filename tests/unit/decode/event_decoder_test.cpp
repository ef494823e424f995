#include "decode/event_decoder.h"

#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "json_builder.h"
#include "testing/event_builder.h"

namespace sm::decode {
namespace {

using google::protobuf::util::MessageDifferencer;
using sanctions::v1::Settlement;
using sanctions::v1::TradeEvent;
using sm::testing::EventBuilder;
using ::testing::HasSubstr;

const IsoCodes& iso() {
  static const IsoCodes codes = [] {
    auto loaded = IsoCodes::load();
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(loaded).value();
  }();
  return codes;
}

// The Confluent header: magic byte 0 and a big-endian schema id.
std::string confluent_header(std::uint32_t schema_id) {
  std::string h(1, '\0');
  for (int shift = 24; shift >= 0; shift -= 8) h += static_cast<char>((schema_id >> shift) & 0xFF);
  return h;
}

std::optional<Rejection> validate(const TradeEvent& e) { return validate_event(e, iso()); }

void expect_rejected(const std::optional<Rejection>& r, const std::string& code, const std::string& field) {
  ASSERT_TRUE(r.has_value()) << "expected " << code << " at " << field;
  EXPECT_EQ(r->code, code) << r->message;
  EXPECT_EQ(r->field, field) << r->message;
  if (!field.empty()) {
    EXPECT_THAT(r->message, ::testing::StartsWith(field + ": "));
  }
}

TEST(ParseEvent, ProtobufAndJsonGiveTheSameEvent) {
  const TradeEvent e = EventBuilder("p1").line("854231", "100.00", "CNY").vessel("9321483", "Sea Star", "PA").build();
  const std::string binary = e.SerializeAsString();
  TradeEvent out;
  ASSERT_FALSE(parse_event(binary, Format::kProtobuf, out).has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(e, out));
  ASSERT_FALSE(parse_event(binary, Format::kAuto, out).has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(e, out));
  ASSERT_FALSE(decode_event(binary, Format::kAuto, iso(), out).has_value());
}

TEST(ParseEvent, AutoDetectsJsonAfterWhitespace) {
  const std::string json = " \r\n\t" + sm::testing::Json().str("eventId", "j1").str("originCountry", "CN").text();
  TradeEvent out;
  ASSERT_FALSE(parse_event(json, Format::kAuto, out).has_value());
  EXPECT_EQ(out.event_id(), "j1");
  EXPECT_EQ(out.origin_country(), "CN");
}

TEST(ParseEvent, ConfluentFramingVariants) {
  const TradeEvent e = EventBuilder("f1").build();
  const std::string payload = e.SerializeAsString();
  const std::string header = confluent_header(0x01020304);
  // Message indexes as zigzag varints, count first: [0] is the single byte 0; [6] is count 1 (0x02), index 6
  // (0x0C), which is TradeEvent's place in trade_event.proto; [1, 0] a nested message.
  for (const std::string& indexes : {std::string(1, '\0'), std::string("\x02\x0C"), std::string("\x04\x02\x00", 3)}) {
    for (const Format format : {Format::kAuto, Format::kProtobuf}) {
      TradeEvent out;
      const auto r = parse_event(header + indexes + payload, format, out);
      ASSERT_FALSE(r.has_value()) << r->message;
      EXPECT_TRUE(MessageDifferencer::Equals(e, out));
    }
  }
  // The JSON Schema serializer's framing: header, then the JSON.
  const std::string json = sm::testing::Json().str("eventId", "f2").text();
  for (const Format format : {Format::kAuto, Format::kJson}) {
    TradeEvent out;
    ASSERT_FALSE(parse_event(header + json, format, out).has_value());
    EXPECT_EQ(out.event_id(), "f2");
  }
}

TEST(ParseEvent, MalformedFramingIsBadFraming) {
  const std::string payload = EventBuilder("f3").build().SerializeAsString();
  const std::string header = confluent_header(7);
  const std::vector<std::string> records = {
      std::string("\0\0\0", 3),                      // Shorter than the header.
      header,                                        // No index list.
      header + "\x02",                               // Count 1, index missing.
      header + "\x80\x80",                           // Truncated varint.
      header + std::string("\x80\x80\x80\x80\x80\x01", 6) + payload,  // Varint longer than 5 bytes.
      header + "\x01" + payload,                     // Count -1 (zigzag).
      header + "\x02\x03" + payload,                 // Index -2.
      header + "\xFE\x01" + payload,                 // Count 127: more than any schema nests.
  };
  for (const auto& record : records) {
    TradeEvent out;
    expect_rejected(parse_event(record, Format::kAuto, out), "bad_framing", "");
  }
  // JSON after the header when the topic says protobuf: '{' is no index list.
  TradeEvent out;
  expect_rejected(parse_event(header + "{}", Format::kProtobuf, out), "bad_framing", "");
}

TEST(ParseEvent, BadProtobuf) {
  const std::string payload = EventBuilder("p2").build().SerializeAsString();
  TradeEvent out;
  expect_rejected(parse_event(payload.substr(0, payload.size() - 3), Format::kProtobuf, out), "bad_protobuf", "");
  expect_rejected(parse_event("\x0A\xFF\xFF\xFF\xFF\x0F", Format::kAuto, out), "bad_protobuf", "");
  expect_rejected(parse_event("", Format::kAuto, out), "bad_protobuf", "");
  expect_rejected(parse_event("", Format::kJson, out), "bad_json", "");
}

TEST(ParseEvent, BadJsonPointsAtTheField) {
  TradeEvent out;
  const auto r = parse_event(R"({"eventId":"e","goods":[{"hsCode":"270900"},{"value":{"amount":5}}]})", Format::kAuto, out);
  expect_rejected(r, "bad_json", "goods[1].value.amount");
  EXPECT_THAT(r->message, HasSubstr("expected a string, found a number"));
  const auto syntax = parse_event(R"({"eventId": "e",})", Format::kJson, out);
  expect_rejected(syntax, "bad_json", "");
  EXPECT_THAT(syntax->message, HasSubstr("not valid JSON"));
}

TEST(ParseEvent, TooLarge) {
  std::string json = sm::testing::Json().str("eventId", "big").str("padding", std::string((1 << 20) - 40, 'x')).text();
  ASSERT_LE(json.size(), std::size_t{1} << 20);
  TradeEvent out;
  EXPECT_FALSE(parse_event(json, Format::kJson, out).has_value());  // Up to 1 MiB is fine.
  json.insert(1, std::string((1 << 20) - json.size() + 1, ' '));
  ASSERT_EQ(json.size(), (std::size_t{1} << 20) + 1);
  expect_rejected(parse_event(json, Format::kJson, out), "too_large", "");
  expect_rejected(parse_event(std::string((1 << 20) + 1, '\x0A'), Format::kProtobuf, out), "too_large", "");
}

TEST(ValidateEvent, AValidEventPasses) {
  EXPECT_FALSE(validate(EventBuilder().build()).has_value());
  EXPECT_FALSE(validate(EventBuilder()
                            .transit({"KZ", "KG"})
                            .party(sanctions::v1::Party::END_USER, "End User", "RU")
                            .party(sanctions::v1::Party::NOTIFY_PARTY, "No country given", "")
                            .bank(sanctions::v1::Bank::ORDERING, "Bank", "BKNBCN2N", "CN")
                            .vessel("9321483", "Sea Star", "PA")
                            .line("8542310000", "0", "USD")
                            .line("2709", "1.000001", "rub")
                            .build())
                   .has_value());
}

TEST(ValidateEvent, CnhIsRenminbi) {
  EXPECT_FALSE(validate(EventBuilder().settle("CNH", Settlement::CIPS).line("854231", "10.00", "CNH").build()).has_value());
  EXPECT_FALSE(validate(EventBuilder().settle("cnh", Settlement::CIPS).line("854231", "10.00", "cnh").build()).has_value());
}

TEST(ValidateEvent, SettlementCurrencyMayBeEmptyOnlyForNettingAndBarter) {
  for (const auto channel : {Settlement::NETTING, Settlement::BARTER}) {
    EXPECT_FALSE(validate(EventBuilder().settle("", channel).line("120190", "1.00", "USD").build()).has_value());
  }
  for (const auto channel : {Settlement::SWIFT, Settlement::CHANNEL_UNSPECIFIED, Settlement::CASH}) {
    expect_rejected(validate(EventBuilder().settle("", channel).line("120190", "1.00", "USD").build()), "missing_field",
                    "settlement.currency");
  }
  TradeEvent no_settlement = EventBuilder().line("120190", "1.00", "USD").build();
  no_settlement.clear_settlement();
  expect_rejected(validate(no_settlement), "missing_field", "settlement.currency");
}

// One broken fact per case, on an otherwise valid event: the code and the JSON path of the field.
TEST(ValidateEvent, EachRejection) {
  struct Case {
    std::function<void(TradeEvent&)> breaks;
    std::string code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](TradeEvent& e) { e.clear_event_id(); }, "missing_field", "eventId"},
      {[](TradeEvent& e) { e.clear_shipment_id(); }, "missing_field", "shipmentId"},
      {[](TradeEvent& e) { e.clear_event_time(); }, "missing_field", "eventTime"},
      {[](TradeEvent& e) { e.set_event_time("2026-02-30T10:00:00Z"); }, "bad_event_time", "eventTime"},
      {[](TradeEvent& e) { e.set_event_time("2026-03-01 10:00"); }, "bad_event_time", "eventTime"},
      {[](TradeEvent& e) { e.mutable_exporter()->clear_name(); }, "missing_field", "exporter.name"},
      {[](TradeEvent& e) { e.clear_exporter(); }, "missing_field", "exporter.name"},
      {[](TradeEvent& e) { e.mutable_exporter()->set_country("XX"); }, "unknown_country", "exporter.country"},
      {[](TradeEvent& e) { e.mutable_importer()->clear_name(); }, "missing_field", "importer.name"},
      {[](TradeEvent& e) { e.mutable_importer()->set_country("ru"); }, "unknown_country", "importer.country"},
      {[](TradeEvent& e) { e.add_parties()->set_name("a"); e.add_parties()->set_country("SU"); }, "unknown_country", "parties[1].country"},
      {[](TradeEvent& e) { e.add_banks()->set_country("CN"); e.add_banks()->set_country("EU"); }, "unknown_country", "banks[1].country"},
      {[](TradeEvent& e) { e.clear_origin_country(); }, "missing_field", "originCountry"},
      {[](TradeEvent& e) { e.set_origin_country("CHN"); }, "unknown_country", "originCountry"},
      {[](TradeEvent& e) { e.clear_destination_country(); }, "missing_field", "destinationCountry"},
      {[](TradeEvent& e) { e.set_destination_country("R"); }, "unknown_country", "destinationCountry"},
      {[](TradeEvent& e) { e.add_transit_countries("KZ"); e.add_transit_countries(""); }, "unknown_country", "transitCountries[1]"},
      {[](TradeEvent& e) { e.clear_goods(); }, "missing_field", "goods"},
      {[](TradeEvent& e) { e.mutable_goods(1)->clear_hs_code(); }, "missing_field", "goods[1].hsCode"},
      {[](TradeEvent& e) { e.mutable_goods(1)->set_hs_code("854"); }, "bad_hs_code", "goods[1].hsCode"},
      {[](TradeEvent& e) { e.mutable_goods(1)->set_hs_code("85423100001"); }, "bad_hs_code", "goods[1].hsCode"},
      {[](TradeEvent& e) { e.mutable_goods(1)->set_hs_code("8542.31"); }, "bad_hs_code", "goods[1].hsCode"},
      {[](TradeEvent& e) { e.mutable_goods(1)->clear_value(); }, "missing_field", "goods[1].value"},
      {[](TradeEvent& e) { e.mutable_goods(1)->mutable_value()->clear_currency(); }, "missing_field", "goods[1].value.currency"},
      {[](TradeEvent& e) { e.mutable_goods(1)->mutable_value()->set_currency("RUR"); }, "unknown_currency", "goods[1].value.currency"},
      {[](TradeEvent& e) { e.mutable_goods(1)->mutable_value()->clear_amount(); }, "missing_field", "goods[1].value.amount"},
      {[](TradeEvent& e) { e.mutable_goods(1)->mutable_value()->set_amount("1e6"); }, "bad_amount", "goods[1].value.amount"},
      {[](TradeEvent& e) { e.mutable_goods(1)->mutable_value()->set_amount("1.0000001"); }, "bad_amount", "goods[1].value.amount"},
      {[](TradeEvent& e) { e.mutable_goods(1)->mutable_value()->set_amount("-5"); }, "negative_amount", "goods[1].value.amount"},
      {[](TradeEvent& e) { e.mutable_invoice()->set_currency("CNY"); }, "missing_field", "invoice.amount"},
      {[](TradeEvent& e) { e.mutable_invoice()->set_currency("XYZ"); e.mutable_invoice()->set_amount("1"); }, "unknown_currency", "invoice.currency"},
      {[](TradeEvent& e) { e.mutable_invoice()->set_currency("CNY"); e.mutable_invoice()->set_amount("-0.01"); }, "negative_amount", "invoice.amount"},
      {[](TradeEvent& e) { e.mutable_settlement()->set_currency("BTC"); }, "unknown_currency", "settlement.currency"},
      {[](TradeEvent& e) { e.mutable_vessel()->set_flag("XZ"); }, "unknown_country", "vessel.flag"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    TradeEvent e = EventBuilder().line("940360", "10.00").line("854231", "20.00").build();
    ASSERT_FALSE(validate(e).has_value());
    cases[i].breaks(e);
    SCOPED_TRACE("case " + std::to_string(i) + ": " + cases[i].field);
    expect_rejected(validate(e), cases[i].code, cases[i].field);
  }
}

TEST(ValidateEvent, FirstProblemInFieldOrder) {
  TradeEvent e = EventBuilder().line("940360", "-1").build();
  e.set_destination_country("XX");
  e.set_event_time("yesterday");
  expect_rejected(validate(e), "bad_event_time", "eventTime");
  e.set_event_time("2026-03-01T10:15:00Z");
  expect_rejected(validate(e), "unknown_country", "destinationCountry");
  e.set_destination_country("RU");
  expect_rejected(validate(e), "negative_amount", "goods[0].value.amount");
}

TEST(ValidateEvent, MessagesQuoteTheValue) {
  TradeEvent e = EventBuilder().line("940360", "-5").build();
  const auto r = validate(e);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->message, "goods[0].value.amount: \"-5\" is negative");
  e = EventBuilder().build();
  e.set_origin_country(std::string("C\"\n") + std::string(100, 'N'));
  const auto long_value = validate(e);
  ASSERT_TRUE(long_value.has_value());
  EXPECT_THAT(long_value->message, HasSubstr("\"C\\\"\\x0aNNN"));
  EXPECT_THAT(long_value->message, HasSubstr("...\""));
  EXPECT_LT(long_value->message.size(), 160u);
}

TEST(DecodeEvent, ParsesThenValidates) {
  TradeEvent out;
  const std::string json = sm::testing::Json().str("eventId", "d1").text();
  expect_rejected(decode_event(json, Format::kAuto, iso(), out), "missing_field", "shipmentId");
  expect_rejected(decode_event("{", Format::kAuto, iso(), out), "bad_json", "");
  const TradeEvent e = EventBuilder("d2").settle("CNH", Settlement::CIPS).build();
  EXPECT_FALSE(decode_event(e.SerializeAsString(), Format::kAuto, iso(), out).has_value());
  EXPECT_TRUE(MessageDifferencer::Equals(e, out));
}

}  // namespace
}  // namespace sm::decode
