#include "aggregate/fx_history.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "model/iso_codes.h"
#include "sanctions/v1/fx_rate.pb.h"

namespace sm::aggregate {
namespace {

std::int64_t to_ms(EventTime t) { return t.time_since_epoch().count(); }

bool is_currency_code(std::string_view c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

Error bad(std::string message) { return Error{"bad_fx_rate", std::move(message)}; }

}  // namespace

std::optional<ExactRate> FxHistory::rate_at(std::string_view currency, EventTime at) const {
  const auto c = rates_.find(currency);
  if (c == rates_.end()) return std::nullopt;
  auto it = c->second.upper_bound(to_ms(at));  // first rate strictly after `at`
  if (it == c->second.begin()) return std::nullopt;
  return std::prev(it)->second;
}

std::size_t FxHistory::size() const {
  std::size_t n = 0;
  for (const auto& [currency, rates] : rates_) n += rates.size();
  return n;
}

std::optional<Decimal> to_reporting_at(const FxTable& configured, const FxHistory* history, Decimal amount,
                                       std::string_view currency, EventTime at) {
  if (history != nullptr && currency != configured.reporting_currency()) {
    if (const auto rate = history->rate_at(currency, at)) {
      return amount.times_rate(rate->mantissa, rate->scale, FxTable::kReportingDigits);
    }
  }
  return configured.to_reporting(amount, currency);
}

Result<FxRateRecord> decode_fx_rate(std::string_view value, std::string_view reporting_currency) {
  sanctions::v1::FxRate msg;
  const auto first = value.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && value[first] == '{') {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(value.data(), value.size()), &msg, options);
    if (!status.ok()) return bad("not an FxRate in JSON: " + std::string(status.message()));
  } else if (!msg.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return bad("not an FxRate in protobuf");
  }
  FxRateRecord out;
  out.currency = IsoCodes::normalise_currency(msg.currency());
  if (!is_currency_code(out.currency)) return bad("currency \"" + msg.currency() + "\" is not an ISO 4217 code");
  if (!msg.reporting_currency().empty() && msg.reporting_currency() != reporting_currency) {
    return bad("rate for " + out.currency + " is in " + msg.reporting_currency() + ", not the reporting currency " +
               std::string(reporting_currency));
  }
  if (out.currency == reporting_currency) return bad("a rate for the reporting currency itself");
  const auto rate = parse_exact_rate(msg.rate());
  if (!rate) {
    return bad("rate for " + out.currency + " is \"" + msg.rate() +
               "\": expected a positive decimal string with at most 12 fractional digits");
  }
  out.rate = *rate;
  const auto from = parse_rfc3339(msg.effective_from());
  if (!from) return bad("effective_from \"" + msg.effective_from() + "\" of " + out.currency + " is not RFC 3339");
  out.effective_from = *from;
  return out;
}

FxRateBook::FxRateBook(std::string reporting_currency)
    : reporting_(std::move(reporting_currency)), current_(std::make_shared<const FxHistory>()) {}

std::optional<Error> FxRateBook::apply(std::string_view key, std::string_view value) {
  if (value.empty()) {
    const auto bar = key.find('|');
    const auto from = bar == std::string_view::npos ? std::nullopt : parse_rfc3339(key.substr(bar + 1));
    if (!from) {
      return bad("a tombstone needs the key \"<currency>|<effective_from>\", not \"" + std::string(key) + "\"");
    }
    const auto c = pending_.find(IsoCodes::normalise_currency(key.substr(0, bar)));
    if (c != pending_.end() && c->second.erase(to_ms(*from)) > 0) {
      if (c->second.empty()) pending_.erase(c);
      changed_ = true;
    }
    return std::nullopt;
  }
  auto record = decode_fx_rate(value, reporting_);
  if (!record) return record.error();
  pending_[record->currency][to_ms(record->effective_from)] = record->rate;
  changed_ = true;
  return std::nullopt;
}

void FxRateBook::publish() {
  if (!changed_) return;
  current_.store(std::make_shared<const FxHistory>(pending_), std::memory_order_release);
  changed_ = false;
}

}  // namespace sm::aggregate
