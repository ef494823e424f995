#include "generate/event_generator.h"

#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "generate/catalog.h"
#include "generate/json_writer.h"
#include "generate/random.h"
#include "generate/spelling.h"
#include "model/event_time.h"

namespace sm::generate {
namespace {

namespace pb = sanctions::v1;
using catalog::Group;

constexpr std::int64_t kHourMs = 3'600'000;

void append_number(std::string& out, std::uint64_t n) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

// Cents as a decimal string with two decimals: 123456 -> "1234.56".
std::string money(std::int64_t cents) {
  std::string out;
  append_number(out, static_cast<std::uint64_t>(cents / 100));
  out.push_back('.');
  const auto rest = cents % 100;
  out.push_back(static_cast<char>('0' + rest / 10));
  out.push_back(static_cast<char>('0' + rest % 10));
  return out;
}

const std::vector<std::uint32_t>& corridor_weights() {
  static const auto kWeights = [] {
    std::vector<std::uint32_t> w;
    for (const auto& c : catalog::corridors()) w.push_back(c.weight);
    return w;
  }();
  return kWeights;
}

std::string_view pick_share(std::span<const catalog::CurrencyShare> mix, Rng& rng) {
  std::uint64_t total = 0;
  for (const auto& s : mix) total += s.weight;
  std::uint64_t r = rng.below(total);
  for (const auto& s : mix) {
    if (r < s.weight) return s.code;
    r -= s.weight;
  }
  return mix.back().code;
}

pb::Settlement::Channel channel_for(std::string_view currency, Rng& rng) {
  const auto r = rng.below(100);
  if (currency == "RUB") return r < 45 ? pb::Settlement::SPFS : r < 90 ? pb::Settlement::CORRESPONDENT : pb::Settlement::SWIFT;
  if (currency == "CNY" || currency == "CNH") {
    return r < 60 ? pb::Settlement::CIPS : r < 90 ? pb::Settlement::CORRESPONDENT : pb::Settlement::SWIFT;
  }
  if (currency == "INR") return r < 70 ? pb::Settlement::CORRESPONDENT : pb::Settlement::SWIFT;  // Vostro accounts.
  if (currency == "USD" || currency == "EUR") return r < 80 ? pb::Settlement::SWIFT : pb::Settlement::CORRESPONDENT;
  return r < 60 ? pb::Settlement::SWIFT : pb::Settlement::CORRESPONDENT;
}

void set_party(pb::Party& party, const catalog::Company& c, std::string_view country) {
  party.set_name(c.name);
  party.set_country(std::string(country));
  party.set_registration_id(c.registration_id);
  if (!c.address.empty()) party.set_address(c.address);
}

pb::Party& add_party(pb::TradeEvent& e, pb::Party::Role role, std::string_view country, Rng& rng) {
  pb::Party& p = *e.add_parties();
  set_party(p, catalog::company(country, rng), country);
  p.set_role(role);
  return p;
}

// A bank of `country` with a BIC of 8 or 11 characters whose country part is `country`.
bool add_bank(pb::TradeEvent& e, pb::Bank::Role role, std::string_view country, Rng& rng) {
  const auto choices = catalog::banks(country);
  if (choices.empty()) return false;
  const auto& info = choices[rng.below(choices.size())];
  pb::Bank& b = *e.add_banks();
  b.set_role(role);
  b.set_name(std::string(info.name));
  std::string bic;
  bic.reserve(11);
  bic.append(info.code).append(country).append(info.location);
  const auto branch = rng.below(100);
  if (branch < 15) {
    bic.append("XXX");
  } else if (branch < 30) {
    for (int i = 0; i < 3; ++i) bic.push_back(static_cast<char>('0' + rng.below(10)));
  }
  b.set_bic(std::move(bic));
  b.set_country(std::string(country));
  return true;
}

// Countries that appear as intermediaries in Russia-related payment chains.
constexpr std::string_view kIntermediaries[] = {"AE", "HK", "KZ", "KG", "AM", "TR", "CN"};

}  // namespace

EventGenerator::EventGenerator(GeneratorOptions options) : options_(std::move(options)) {
  const auto start = parse_rfc3339(options_.start_time);
  if (!start) throw std::invalid_argument("generate: start_time is not RFC 3339: " + options_.start_time);
  if (options_.mean_gap_ms < 0) throw std::invalid_argument("generate: mean_gap_ms must not be negative");
  clock_ms_ = start->time_since_epoch().count();
  // Distinct streams from one seed: splitmix64 outputs of different starting points do not overlap in practice.
  state_ = options_.seed;
  fault_state_ = options_.seed ^ 0x6a09e667f3bcc909ULL;
  id_prefix_ = "-";
  append_number(id_prefix_, options_.seed);
  id_prefix_.push_back('-');
}

void EventGenerator::build(pb::TradeEvent& e) {
  Rng rng(state_);
  e.Clear();
  const std::uint64_t n = ++produced_;
  std::string id = "evt" + id_prefix_;
  append_number(id, n);
  e.set_event_id(id);
  id.replace(0, 3, "shp");
  e.set_shipment_id(std::move(id));

  // Time: the stream clock, and for late events a point 1-48 h behind it.
  const double gap = static_cast<double>(options_.mean_gap_ms) * rng.exponential();
  if (n > 1) clock_ms_ += std::llround(gap);  // gap >= 0: the nearest whole millisecond.
  const bool late = rng.chance(options_.late_rate);
  const std::int64_t late_by = rng.between(kHourMs, 48 * kHourMs);
  e.set_event_time(format_rfc3339(EventTime{Millis{late ? clock_ms_ - late_by : clock_ms_}}));

  const catalog::Corridor& corridor = catalog::corridors()[rng.weighted(corridor_weights())];
  e.set_origin_country(std::string(corridor.origin));
  e.set_destination_country(std::string(corridor.destination));

  // Goods: the main group sets the currency mix; extra lines stay in the group or take another non-energy one.
  const auto group = static_cast<Group>(rng.weighted(corridor.goods_mix));
  const bool energy = group == Group::kEnergy;
  const auto r_lines = rng.below(100);
  const int lines = energy ? (r_lines < 90 ? 1 : 2) : (r_lines < 50 ? 1 : r_lines < 80 ? 2 : 3);

  const auto mix = energy ? corridor.energy_currencies : corridor.other_currencies;
  const std::string_view share = pick_share(mix, rng);
  std::string_view currency = share;
  pb::Settlement::Channel channel;
  if (share == "BARTER") {
    currency = {};
    channel = pb::Settlement::BARTER;
  } else if (share == "NETTING") {
    currency = rng.chance(0.5) ? std::string_view{} : mix[0].code;  // Netted in the corridor's main currency.
    channel = pb::Settlement::NETTING;
  } else {
    channel = channel_for(share, rng);
  }
  const std::string_view line_currency = currency.empty() ? std::string_view("USD") : currency;
  const std::int64_t rate = catalog::usd_rate_e4(line_currency);

  std::int64_t total = 0;
  bool bulk = false;
  bool pipeline = false;
  for (int i = 0; i < lines; ++i) {
    Group g = group;
    if (i > 0 && !energy && rng.below(100) >= 70) {
      std::array<std::uint32_t, catalog::kGroupCount> others = corridor.goods_mix;
      others[static_cast<std::size_t>(Group::kEnergy)] = 0;
      g = static_cast<Group>(rng.weighted(others));
    }
    const catalog::Good& good = catalog::pick_good(g, rng);
    const std::int64_t qty = rng.between(good.qty_lo, good.qty_hi);
    const std::int64_t price = rng.between(good.price_lo_cents, good.price_hi_cents);
    const std::int64_t cents = qty * price * rate / 10'000;  // At most about 10^17: no overflow.
    total += cents;
    pb::LineItem& item = *e.add_goods();
    item.set_hs_code(std::string(good.hs));
    item.set_description(std::string(good.description));
    item.mutable_value()->set_currency(std::string(line_currency));
    item.mutable_value()->set_amount(money(cents));
    std::string q;
    append_number(q, static_cast<std::uint64_t>(qty));
    item.set_quantity(std::move(q));
    item.set_unit(std::string(good.unit));
    bulk = bulk || g == Group::kFertiliser || g == Group::kTimber || g == Group::kSoybeans || g == Group::kFish;
    pipeline = pipeline || good.hs == "271121";
  }
  e.mutable_invoice()->set_currency(std::string(line_currency));
  e.mutable_invoice()->set_amount(money(total));
  if (!currency.empty()) e.mutable_settlement()->set_currency(std::string(currency));
  e.mutable_settlement()->set_channel(channel);

  // Transit through third countries, in route order.
  if (!corridor.transit.empty() && rng.below(100) < corridor.transit_percent) {
    const auto first = rng.below(corridor.transit.size());
    e.add_transit_countries(std::string(corridor.transit[first]));
    if (corridor.transit.size() >= 2 && rng.below(100) < 25) {
      const auto second = (first + 1 + rng.below(corridor.transit.size() - 1)) % corridor.transit.size();
      e.add_transit_countries(std::string(corridor.transit[second]));
    }
  }

  // Parties.
  set_party(*e.mutable_exporter(), catalog::company(corridor.origin, rng), corridor.origin);
  set_party(*e.mutable_importer(), catalog::company(corridor.destination, rng), corridor.destination);
  if (rng.below(100) < 20) add_party(e, pb::Party::CONSIGNEE, corridor.destination, rng);
  const bool sensitive = group == Group::kChpl || group == Group::kAircraft;
  pb::Party* end_user = nullptr;
  if (rng.below(100) < (sensitive ? 30u : 10u)) end_user = &add_party(e, pb::Party::END_USER, corridor.destination, rng);
  if (rng.below(100) < (e.transit_countries_size() > 0 ? 50u : 25u)) {
    const std::string forwarder_country =
        e.transit_countries_size() > 0 ? e.transit_countries(0) : std::string(corridor.origin);
    add_party(e, pb::Party::FREIGHT_FORWARDER, forwarder_country, rng);
  }
  if (rng.below(100) < 5) add_party(e, pb::Party::NOTIFY_PARTY, corridor.destination, rng);

  // Banks: the importer's bank orders the payment, the exporter's receives it; barter moves no money.
  if (channel != pb::Settlement::BARTER && !(channel == pb::Settlement::NETTING && rng.chance(0.5))) {
    add_bank(e, pb::Bank::ORDERING, corridor.destination, rng);
    if (rng.below(100) < 25) {
      const std::string_view via = line_currency == "USD" && rng.below(100) < 40
                                       ? std::string_view("US")
                                       : kIntermediaries[rng.below(std::size(kIntermediaries))];
      if (via != corridor.origin && via != corridor.destination) add_bank(e, pb::Bank::INTERMEDIARY, via, rng);
    }
    add_bank(e, pb::Bank::BENEFICIARY, corridor.origin, rng);
  }

  // Vessel: seaborne energy cargoes (not pipeline gas) and some bulk and reefer cargoes.
  const auto vessel_roll = rng.below(100);
  if ((energy && !pipeline && vessel_roll < 85) || (bulk && vessel_roll < 30)) {
    std::string digits;
    digits.push_back(static_cast<char>('0' + 7 + rng.weighted(std::array<std::uint32_t, 3>{5, 15, 80})));
    for (int i = 0; i < 5; ++i) digits.push_back(static_cast<char>('0' + rng.below(10)));
    digits.push_back(catalog::imo_check_digit(digits));
    pb::Vessel& v = *e.mutable_vessel();
    v.set_imo(rng.below(100) < 30 ? "IMO " + digits : digits);
    v.set_name(catalog::vessel_name(rng));
    v.set_flag(std::string(catalog::vessel_flag(rng)));
  }

  // A listed counterparty. Drawn for every event so that the rate changes only the events it selects.
  const bool listed = rng.chance(options_.listed_party_rate);
  const auto slot = rng.below(100);
  const auto which = rng.below(options_.listed_names.empty() ? 1 : options_.listed_names.size());
  std::uint64_t listed_state = rng.next();
  if (listed && !options_.listed_names.empty()) {
    Rng sub(listed_state);
    std::string name = vary_listed_name(options_.listed_names[which], sub);
    if (slot < 35) {
      e.mutable_exporter()->set_name(std::move(name));
    } else if (slot < 70 || (slot >= 85 && e.banks_size() == 0)) {
      e.mutable_importer()->set_name(std::move(name));
    } else if (slot < 85) {
      if (end_user == nullptr) end_user = &add_party(e, pb::Party::END_USER, corridor.destination, sub);
      end_user->set_name(std::move(name));
    } else {
      e.mutable_banks(static_cast<int>(sub.below(static_cast<std::uint64_t>(e.banks_size()))))->set_name(std::move(name));
    }
  }
}

pb::TradeEvent EventGenerator::next() {
  build(scratch_);
  return scratch_;
}

std::string EventGenerator::next_json_line() {
  build(scratch_);
  Rng fault(fault_state_);
  const bool broken = fault.chance(options_.malformed_rate);
  const auto variant = fault.next();
  Malformed kind = Malformed::kTruncatedJson;
  if (broken) {
    kind = static_cast<Malformed>(malformed_ % kMalformedKinds);
    ++malformed_;
    switch (kind) {
      case Malformed::kUnknownCurrency:
        scratch_.mutable_settlement()->set_currency("XXQ");
        for (auto& item : *scratch_.mutable_goods()) item.mutable_value()->set_currency("XXQ");
        scratch_.mutable_invoice()->set_currency("XXQ");
        break;
      case Malformed::kNegativeAmount:
        scratch_.mutable_goods(0)->mutable_value()->set_amount("-100.00");
        break;
      case Malformed::kMissingEventId:
        scratch_.clear_event_id();
        break;
      case Malformed::kBadEventTime: {
        static constexpr const char* kBadTimes[] = {"2026-13-45T25:61:00Z", "yesterday", "2026-03-01 12:00:00",
                                                    "1772323200"};
        scratch_.set_event_time(kBadTimes[variant % std::size(kBadTimes)]);
        break;
      }
      case Malformed::kTruncatedJson:
        break;
    }
  }
  std::string out;
  out.reserve(1536);
  if (!append_event_json(scratch_, out)) {  // Characters the fast writer was not checked against.
    out.clear();
    const auto status = google::protobuf::util::MessageToJsonString(scratch_, &out);
    if (!status.ok()) throw std::runtime_error("generate: JSON serialisation failed: " + status.ToString());
  }
  if (broken && kind == Malformed::kTruncatedJson) {
    // Cut somewhere in the middle half: the object is never closed, so no parser accepts it.
    out.resize(out.size() / 4 + variant % (out.size() / 2));
  }
  return out;
}

}  // namespace sm::generate
