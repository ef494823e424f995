// The simdjson fast path against protobuf's own JSON parser (the reference), on a corpus of hand-written events,
// on events built through the schema's reflection (every field set), and on generated trade.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "decode/event_decoder.h"
#include "generate/event_generator.h"
#include "json_builder.h"
#include "testing/event_builder.h"

namespace sm::decode {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;
using sanctions::v1::TradeEvent;
using sm::testing::EventBuilder;
using sm::testing::Json;

// The reference: protobuf's converter, ignoring unknown fields as the fast path does.
bool reference_parse(const std::string& json, TradeEvent& out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  out.Clear();
  return google::protobuf::util::JsonStringToMessage(json, &out, options).ok();
}

std::string to_json(const TradeEvent& e, bool proto_names = false) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = proto_names;
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(e, &out, options).ok());
  return out;
}

// Both parsers accept `json` and agree field for field.
void expect_identical(const std::string& json) {
  TradeEvent reference;
  ASSERT_TRUE(reference_parse(json, reference)) << "the reference refuses the corpus record: " << json;
  TradeEvent fast;
  const auto rejection = parse_event(json, Format::kJson, fast);
  ASSERT_FALSE(rejection.has_value()) << rejection->message << "\n" << json;
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(reference, fast)) << diff << "\n" << json;
}

Json party(std::string name, std::string country) { return Json().str("name", name).str("country", country); }
Json money(std::string currency, std::string amount) { return Json().str("currency", currency).str("amount", amount); }
Json line(std::string hs, Json value) { return Json().str("hsCode", hs).obj("value", value); }
// The common head of a corpus event; each record then adds what it is about.
Json head(const std::string& id) {
  return Json()
      .str("eventId", id)
      .str("shipmentId", "shp-" + id)
      .str("eventTime", "2026-03-01T10:15:00Z")
      .obj("exporter", party("Ningbo Harbour Furniture Co., Ltd", "CN"))
      .obj("importer", party("OOO Uyutny Dom", "RU"))
      .str("originCountry", "CN")
      .str("destinationCountry", "RU");
}

std::vector<std::string> hand_corpus() {
  std::vector<std::string> c;
  // Canonical names, every message, several lines, banks and parties.
  c.push_back(head("c1")
                  .objs("parties", {Json().str("name", "Kazakh Logistics TOO").str("country", "KZ").str("role", "FREIGHT_FORWARDER"),
                                    Json().str("name", "End User JSC").str("registrationId", "7701234567").str("address", "Moscow").str("role", "END_USER")})
                  .objs("banks", {Json().str("role", "ORDERING").str("name", "Bank of Ningbo").str("bic", "BKNBCN2N").str("country", "CN"),
                                  Json().str("role", "BENEFICIARY").str("name", "VTB Bank").str("bic", "VTBRRUMM").str("country", "RU")})
                  .strs("transitCountries", {"KZ", "KG"})
                  .objs("goods", {line("940360", money("CNY", "10000.00")).str("description", "Wooden furniture").str("quantity", "12").str("unit", "pcs"),
                                  line("8542310000", money("CNH", "2500.50"))})
                  .obj("invoice", money("CNY", "12500.50"))
                  .obj("settlement", Json().str("currency", "CNY").str("channel", "CIPS"))
                  .obj("vessel", Json().str("imo", "IMO9321483").str("name", "NS Energy").str("flag", "LR"))
                  .text());
  // The original snake_case names throughout.
  c.push_back(Json()
                  .str("event_id", "c2")
                  .str("shipment_id", "shp-c2")
                  .str("event_time", "2026-03-01T12:00:00.250+03:00")
                  .obj("exporter", Json().str("name", "Rosneft").str("country", "RU").str("registration_id", "7706107510"))
                  .obj("importer", party("Indian Oil Corp", "IN"))
                  .str("origin_country", "RU")
                  .str("destination_country", "IN")
                  .strs("transit_countries", {"AE"})
                  .objs("goods", {Json().str("hs_code", "270900").obj("value", money("INR", "95000000.00"))})
                  .obj("settlement", Json().str("currency", "AED").str("channel", "CORRESPONDENT"))
                  .text());
  // Enums by number, mixed with names; an unknown number is kept (open enum).
  c.push_back(head("c3")
                  .objs("parties", {Json().str("name", "Agent").num("role", 4), Json().str("name", "Owner").num("role", 42)})
                  .objs("banks", {Json().num("role", 3).str("name", "Intermediary")})
                  .objs("goods", {line("880730", money("USD", "1.000001"))})
                  .obj("settlement", Json().str("currency", "USD").num("channel", 1))
                  .text());
  // null for every kind of field: defaults, unset messages, empty repeated fields.
  c.push_back(head("c4")
                  .null("parties")
                  .null("banks")
                  .null("transitCountries")
                  .objs("goods", {line("030389", money("RUB", "100")).null("description").null("quantity")})
                  .null("invoice")
                  .obj("settlement", Json().null("currency").null("channel"))
                  .null("vessel")
                  .text());
  // Unknown members everywhere, with values of every JSON type, nested; an unknown enum name.
  c.push_back(head("c5")
                  .raw("schemaVersion", "3")
                  .raw("extra", R"({"a":[1,2.5,{"b":null,"c":[true,false]}],"d":"x"})")
                  .objs("goods", {line("020630", money("CNY", "5000.00")).raw("origin", R"({"region":"Heilongjiang"})").raw("tags", "[]")})
                  .obj("settlement", Json().str("currency", "CNY").str("channel", "MIR_PAY").raw("fee", "0.1"))
                  .obj("vessel", Json().str("imo", "9321483").raw("dwt", "110000"))
                  .text());
  // Scripts and escapes: Cyrillic, CJK, a surrogate pair, escaped quotes and control characters.
  c.push_back(Json()
                  .str("eventId", "c6")
                  .str("shipmentId", "shp-c6")
                  .str("eventTime", "2026-03-02T00:00:00Z")
                  .obj("exporter", party("宁波港家具有限公司", "CN").str("address", "Line 1\nLine 2\t\"Gate 3\""))
                  .obj("importer", party("ООО «Уютный Дом»", "RU"))
                  .raw("originCountry", R"("\u0043N")")
                  .str("destinationCountry", "RU")
                  .objs("goods", {line("9403", money("CNY", "1")).raw("description", R"("Caf\u00e9 chairs \ud83e\ude91 \\ \/")")})
                  .obj("settlement", Json().str("currency", "RUB").str("channel", "SPFS"))
                  .text());
  // Pretty-printed, with members in an unusual order.
  c.push_back(Json()
                  .spaced()
                  .obj("settlement", Json().spaced().str("channel", "NETTING"))
                  .objs("goods", {line("310210", money("USD", "0"))})
                  .str("destinationCountry", "IN")
                  .str("originCountry", "RU")
                  .obj("importer", party("Fertiliser Traders", "IN"))
                  .obj("exporter", party("Uralkali", "RU"))
                  .str("eventTime", "2026-03-03T08:00:00Z")
                  .str("shipmentId", "shp-c7")
                  .str("eventId", "c7")
                  .text() +
              "\n");
  // Empty messages and arrays, and empty strings.
  c.push_back(head("c8")
                  .objs("parties", {Json()})
                  .raw("banks", "[]")
                  .raw("transitCountries", "[]")
                  .objs("goods", {Json()})
                  .obj("invoice", Json())
                  .obj("settlement", Json().str("currency", ""))
                  .obj("vessel", Json())
                  .text());
  // Events from the test EventBuilder, written by protobuf itself, with JSON names and with proto names.
  const std::vector<TradeEvent> built = {
      EventBuilder("b1").build(),
      EventBuilder("b2").corridor("IN", "RU").settle("INR", sanctions::v1::Settlement::SWIFT).line("270900", "1250000.00", "INR").build(),
      EventBuilder("b3").settle("", sanctions::v1::Settlement::BARTER).line("120190", "50000", "USD").transit({"KZ", "UZ"})
          .party(sanctions::v1::Party::CONSIGNEE, "Consignee LLP", "KZ").bank(sanctions::v1::Bank::CORRESPONDENT, "Bank", "ABCDKZKA", "KZ")
          .vessel("9321483", "Sea Star", "PA").build(),
  };
  for (const auto& e : built) {
    c.push_back(to_json(e));
    c.push_back(to_json(e, true));
  }
  return c;
}

TEST(JsonFastPath, IdenticalToJsonStringToMessageOnTheHandCorpus) {
  for (const auto& json : hand_corpus()) expect_identical(json);
}

// Sets every field of `m` and of the messages inside it, through reflection: a field added to the schema is
// set here too, and the comparison below fails until the fast path reads it.
void fill_every_field(Message& m, int& counter) {
  const Descriptor* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const int copies = f->is_repeated() ? 2 : 1;
    for (int k = 0; k < copies; ++k) {
      const std::string text = f->name() + "-" + std::to_string(++counter) + "-Ж";
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          f->is_repeated() ? r->AddString(&m, f, text) : r->SetString(&m, f, text);
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const int number = f->enum_type()->value(f->enum_type()->value_count() - 1 - k)->number();
          f->is_repeated() ? r->AddEnumValue(&m, f, number) : r->SetEnumValue(&m, f, number);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          fill_every_field(f->is_repeated() ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), counter);
          break;
        default:
          FAIL() << "the fast path knows strings, enums and messages; " << f->full_name() << " is none of them";
      }
    }
  }
}

TEST(JsonFastPath, ReadsEveryFieldOfTheSchema) {
  TradeEvent full;
  int counter = 0;
  fill_every_field(full, counter);
  for (const bool proto_names : {false, true}) {
    const std::string json = to_json(full, proto_names);
    expect_identical(json);
    TradeEvent fast;
    ASSERT_FALSE(parse_event(json, Format::kJson, fast).has_value());
    EXPECT_TRUE(MessageDifferencer::Equals(full, fast)) << json;
  }
}

TEST(JsonFastPath, IdenticalOnGeneratedTrade) {
  generate::GeneratorOptions options;
  options.seed = 20260301;
  options.listed_party_rate = 0.1;
  generate::EventGenerator generator(options);
  for (int i = 0; i < 1000; ++i) {
    const TradeEvent e = generator.next();
    const std::string json = to_json(e);
    expect_identical(json);
    TradeEvent fast;
    ASSERT_FALSE(parse_event(json, Format::kJson, fast).has_value());
    ASSERT_TRUE(MessageDifferencer::Equals(e, fast)) << json;
  }
}

// Records both parsers refuse; the fast path says where.
TEST(JsonFastPath, RefusesWhatTheReferenceRefuses) {
  struct Case {
    std::string json;
    std::string field;  // Expected Rejection::field ("" when the record as a whole is bad).
  };
  const std::vector<Case> cases = {
      {head("x").text().substr(0, 40), ""},                                      // Truncated.
      {"[" + head("x").text() + "]", ""},                                        // Not an object.
      {head("x").text() + " {}", ""},                                            // Trailing content.
      {head("x").raw("eventId2", "tru").text(), ""},                             // Bad literal in an unknown member.
      {Json().num("eventId", 5).text(), "eventId"},                              // Number for a string.
      {Json().raw("shipment_id", "true").text(), "shipmentId"},                  // Boolean for a string.
      {Json().str("exporter", "ACME").text(), "exporter"},                       // String for a message.
      {Json().raw("goods", R"([{"hsCode":"270900"},{"value":{"amount":-5}}])").text(), "goods[1].value.amount"},
      {Json().raw("transitCountries", R"(["KZ",7])").text(), "transitCountries[1]"},
      {Json().raw("settlement", R"({"channel":true})").text(), "settlement.channel"},
      {Json().raw("settlement", R"({"channel":1.5})").text(), "settlement.channel"},
      {Json().raw("banks", R"([{"role":[1]}])").text(), "banks[0].role"},
      {"{\"eventId\":\"\xff\xfe\"}", ""},                                        // Not UTF-8.
  };
  for (const auto& k : cases) {
    TradeEvent reference;
    EXPECT_FALSE(reference_parse(k.json, reference)) << "the reference accepts " << k.json;
    TradeEvent fast;
    const auto rejection = parse_event(k.json, Format::kJson, fast);
    ASSERT_TRUE(rejection.has_value()) << k.json;
    EXPECT_EQ(rejection->code, "bad_json") << k.json;
    EXPECT_EQ(rejection->field, k.field) << k.json;
    if (!k.field.empty()) {
      EXPECT_THAT(rejection->message, ::testing::StartsWith(k.field + ": ")) << k.json;
    }
  }
}

// Where the fast path is deliberately stricter than protobuf 3.21, which accepts these against the proto3 JSON
// mapping: a field given twice (ambiguous), a single value for a repeated field, null inside an array.
TEST(JsonFastPath, StricterThanTheReferenceOnNonConformingJson) {
  struct Case {
    std::string json;
    std::string field;
    std::string says;
  };
  const std::vector<Case> cases = {
      {Json().str("eventId", "a").str("event_id", "b").text(), "eventId", "given twice"},
      {Json().obj("settlement", Json().str("currency", "CNY").str("currency", "RUB")).text(), "settlement.currency", "given twice"},
      {Json().raw("goods", R"({"hsCode":"270900"})").text(), "goods", "expected an array, found an object"},
      {Json().str("transitCountries", "KZ").text(), "transitCountries", "expected an array, found a string"},
      {Json().raw("transitCountries", R"(["KZ",null])").text(), "transitCountries[1]", "null is not allowed"},
      {Json().raw("goods", "[null]").text(), "goods[0]", "null is not allowed"},
  };
  for (const auto& k : cases) {
    TradeEvent fast;
    const auto rejection = parse_event(k.json, Format::kJson, fast);
    ASSERT_TRUE(rejection.has_value()) << k.json;
    EXPECT_EQ(rejection->code, "bad_json");
    EXPECT_EQ(rejection->field, k.field);
    EXPECT_THAT(rejection->message, ::testing::HasSubstr(k.says));
  }
}

TEST(JsonFastPath, EnumNumberForms) {
  for (const char* channel : {"2", "2.0", "\"2\"", "\"CIPS\""}) {
    const std::string json = Json().raw("settlement", std::string(R"({"channel":)") + channel + "}").text();
    expect_identical(json);
    TradeEvent fast;
    ASSERT_FALSE(parse_event(json, Format::kJson, fast).has_value());
    EXPECT_EQ(fast.settlement().channel(), sanctions::v1::Settlement::CIPS) << json;
  }
  TradeEvent fast;
  const auto rejection = parse_event(R"({"settlement":{"channel":3000000000}})", Format::kJson, fast);
  ASSERT_TRUE(rejection.has_value());
  EXPECT_EQ(rejection->field, "settlement.channel");
}

TEST(JsonFastPath, SnakeCaseNamesAndEnumNumbersFillTheSameMessage) {
  const std::string camel = head("s1").obj("settlement", Json().str("currency", "CNY").str("channel", "CIPS")).text();
  const std::string snake = Json()
                                .str("event_id", "s1")
                                .str("shipment_id", "shp-s1")
                                .str("event_time", "2026-03-01T10:15:00Z")
                                .obj("exporter", party("Ningbo Harbour Furniture Co., Ltd", "CN"))
                                .obj("importer", party("OOO Uyutny Dom", "RU"))
                                .str("origin_country", "CN")
                                .str("destination_country", "RU")
                                .obj("settlement", Json().str("currency", "CNY").num("channel", 2))
                                .text();
  TradeEvent a;
  TradeEvent b;
  ASSERT_FALSE(parse_event(camel, Format::kJson, a).has_value());
  ASSERT_FALSE(parse_event(snake, Format::kJson, b).has_value());
  EXPECT_EQ(b.settlement().channel(), sanctions::v1::Settlement::CIPS);
  EXPECT_EQ(b.origin_country(), "CN");
  EXPECT_TRUE(MessageDifferencer::Equals(a, b));
}

TEST(JsonFastPath, ReusedMessageIsClearedBetweenRecords) {
  TradeEvent e;
  ASSERT_FALSE(parse_event(hand_corpus()[0], Format::kJson, e).has_value());
  ASSERT_GT(e.goods_size(), 1);
  const std::string small = head("r2").text();
  ASSERT_FALSE(parse_event(small, Format::kJson, e).has_value());
  TradeEvent reference;
  ASSERT_TRUE(reference_parse(small, reference));
  EXPECT_TRUE(MessageDifferencer::Equals(reference, e));
}

}  // namespace
}  // namespace sm::decode
