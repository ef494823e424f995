// Decoding one typical trade event (15 fields, one line item, one bank: the event of KAFKA-NOTES' measurements)
// as JSON through the simdjson fast path and through protobuf's JsonStringToMessage, and as protobuf binary;
// then validation, and the goods classifier that runs per line item.
#include <benchmark/benchmark.h>
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "classify/goods_classifier.h"
#include "decode/event_decoder.h"

namespace {

using sanctions::v1::TradeEvent;
using sm::decode::Format;

TradeEvent typical_event() {
  TradeEvent e;
  e.set_event_id("evt-20260301-000123");
  e.set_shipment_id("shp-20260301-000123");
  e.set_event_time("2026-03-01T10:15:00Z");
  e.mutable_exporter()->set_name("Ningbo Harbour Furniture Co., Ltd");
  e.mutable_exporter()->set_country("CN");
  e.mutable_importer()->set_name("OOO Uyutny Dom");
  e.mutable_importer()->set_country("RU");
  auto* bank = e.add_banks();
  bank->set_role(sanctions::v1::Bank::BENEFICIARY);
  bank->set_name("VTB Bank");
  bank->set_bic("VTBRRUMM");
  bank->set_country("RU");
  e.set_origin_country("CN");
  e.set_destination_country("RU");
  auto* line = e.add_goods();
  line->set_hs_code("940360");
  line->set_description("Wooden furniture for bedrooms");
  line->mutable_value()->set_currency("CNY");
  line->mutable_value()->set_amount("125000.00");
  e.mutable_invoice()->set_currency("CNY");
  e.mutable_invoice()->set_amount("125000.00");
  e.mutable_settlement()->set_currency("CNY");
  e.mutable_settlement()->set_channel(sanctions::v1::Settlement::CIPS);
  return e;
}

std::string typical_json() {
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(typical_event(), &out).ok()) throw std::runtime_error("json");
  return out;
}

const sm::IsoCodes& iso() {
  static const sm::IsoCodes codes = [] {
    auto loaded = sm::IsoCodes::load();
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return std::move(loaded).value();
  }();
  return codes;
}

void BM_JsonFastPath(benchmark::State& state) {
  const std::string json = typical_json();
  TradeEvent e;
  for (auto _ : state) {
    auto r = sm::decode::parse_event(json, Format::kJson, e);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
  state.SetLabel(std::to_string(json.size()) + " bytes");
}
BENCHMARK(BM_JsonFastPath);

void BM_JsonStringToMessage(benchmark::State& state) {
  const std::string json = typical_json();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  TradeEvent e;
  for (auto _ : state) {
    e.Clear();
    auto status = google::protobuf::util::JsonStringToMessage(json, &e, options);
    benchmark::DoNotOptimize(status);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_JsonStringToMessage);

void BM_Protobuf(benchmark::State& state) {
  const std::string binary = typical_event().SerializeAsString();
  TradeEvent e;
  for (auto _ : state) {
    auto r = sm::decode::parse_event(binary, Format::kProtobuf, e);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * binary.size()));
  state.SetLabel(std::to_string(binary.size()) + " bytes");
}
BENCHMARK(BM_Protobuf);

void BM_ProtobufFramedAuto(benchmark::State& state) {
  const std::string framed = std::string("\0\0\0\0\x2A\0", 6) + typical_event().SerializeAsString();
  TradeEvent e;
  for (auto _ : state) {
    auto r = sm::decode::parse_event(framed, Format::kAuto, e);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_ProtobufFramedAuto);

void BM_Validate(benchmark::State& state) {
  const TradeEvent e = typical_event();
  const sm::IsoCodes& codes = iso();
  for (auto _ : state) {
    auto r = sm::decode::validate_event(e, codes);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Validate);

void BM_DecodeJson(benchmark::State& state) {
  const std::string json = typical_json();
  const sm::IsoCodes& codes = iso();
  TradeEvent e;
  for (auto _ : state) {
    auto r = sm::decode::decode_event(json, Format::kAuto, codes, e);
    if (r) state.SkipWithError(r->message.c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_DecodeJson);

void BM_DecodeProtobuf(benchmark::State& state) {
  const std::string binary = typical_event().SerializeAsString();
  const sm::IsoCodes& codes = iso();
  TradeEvent e;
  for (auto _ : state) {
    auto r = sm::decode::decode_event(binary, Format::kAuto, codes, e);
    if (r) state.SkipWithError(r->message.c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_DecodeProtobuf);

// The classifier reads the public data in place: SM_SHARED_DATA, or ../shared/data beside the repository.
const sm::classify::GoodsClassifier& classifier() {
  static const sm::classify::GoodsClassifier* c = [] {
    const char* env = std::getenv("SM_SHARED_DATA");
    const std::string data = env != nullptr && *env != '\0' ? env : std::string(SM_REPO_DIR) + "/../shared/data";
    auto loaded = sm::classify::GoodsClassifier::load({data + "/hs/harmonized-system-2022.csv",
                                                       data + "/hs/common-high-priority-list-2024-02-23.csv",
                                                       std::string(SM_REPO_DIR) + "/deploy/product-groups.toml"});
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return new sm::classify::GoodsClassifier(std::move(loaded).value());
  }();
  return *c;
}

const char* const kCodes[] = {"940360", "8542310000", "270900", "880730", "030389", "999999", "8482", "27090010"};

void BM_ClassifyLookup(benchmark::State& state) {
  const auto& c = classifier();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& g = c.lookup(kCodes[i++ % std::size(kCodes)]);
    benchmark::DoNotOptimize(&g);
  }
}
BENCHMARK(BM_ClassifyLookup);

void BM_ClassifyCopy(benchmark::State& state) {
  const auto& c = classifier();
  std::size_t i = 0;
  for (auto _ : state) {
    auto g = c.classify(kCodes[i++ % std::size(kCodes)]);
    benchmark::DoNotOptimize(g);
  }
}
BENCHMARK(BM_ClassifyCopy);

}  // namespace

BENCHMARK_MAIN();
