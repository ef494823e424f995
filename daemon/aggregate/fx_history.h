#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aggregate/fx_table.h"
#include "model/decimal.h"
#include "model/event_time.h"
#include "model/result.h"

namespace sm::aggregate {

// Exchange rates over time, as read from the fx.rates topic (proto/sanctions/v1/fx_rate.proto): per currency,
// the rates into the reporting currency from their effective time on. Immutable; thread-safe.
class FxHistory {
 public:
  // Per currency, effective_from (Unix ms) -> rate.
  using Rates = std::map<std::string, std::map<std::int64_t, ExactRate>, std::less<>>;

  FxHistory() = default;
  explicit FxHistory(Rates rates) : rates_(std::move(rates)) {}

  // The rate of `currency` in force at `at`: the one with the latest effective_from <= at. nullopt when the
  // history names no rate for `currency` that early.
  std::optional<ExactRate> rate_at(std::string_view currency, EventTime at) const;

  // Rates held, over every currency.
  std::size_t size() const;
  const Rates& rates() const { return rates_; }

 private:
  Rates rates_;
};

// Values `amount` of `currency` in `configured`'s reporting currency as of `at`. Precedence: the history's rate in
// force at `at`; else (no history, a currency it never names, or a time before its first rate for the currency)
// the configured rate; else nullopt: the line has no rate and is counted apart, never valued at zero. Rounds
// half to even to the reporting currency's cents, as FxTable does.
std::optional<Decimal> to_reporting_at(const FxTable& configured, const FxHistory* history, Decimal amount,
                                       std::string_view currency, EventTime at);

// One fx.rates record, decoded and validated.
struct FxRateRecord {
  std::string currency;  // normalised ISO 4217 ("CNH" read as "CNY")
  ExactRate rate;
  EventTime effective_from;
};

// Decodes a record's value: a sanctions.v1.FxRate as proto3 JSON (text starting with '{') or binary protobuf.
// An error (code "bad_fx_rate") names what is wrong: undecodable, a currency that is not three letters A-Z, a rate
// parse_exact_rate refuses, an effective_from that is not RFC 3339, or a reporting_currency other than
// `reporting_currency`.
Result<FxRateRecord> decode_fx_rate(std::string_view value, std::string_view reporting_currency);

// The live FX history of a running daemon (or of a replay). One writer applies records and publishes; any number of
// readers take the current snapshot, an immutable FxHistory, with one atomic load: no mutex on the hot path, and
// a reader keeps its snapshot however long it needs it. apply() and publish() only from the writer's thread.
class FxRateBook {
 public:
  explicit FxRateBook(std::string reporting_currency);

  // Applies one record: `value` decoded with decode_fx_rate replaces any rate of the same currency and
  // effective_from; an empty `value` (tombstone) under the key "<currency>|<effective_from>" withdraws that rate.
  // An error when the record cannot be used (nothing changes). Visible to readers only after publish().
  std::optional<Error> apply(std::string_view key, std::string_view value);

  // Makes everything applied so far visible to readers (a new snapshot). Cheap when nothing changed.
  void publish();

  // The snapshot published last (empty before the first publish). Any thread.
  std::shared_ptr<const FxHistory> snapshot() const { return current_.load(std::memory_order_acquire); }

  const std::string& reporting_currency() const { return reporting_; }

 private:
  std::string reporting_;
  FxHistory::Rates pending_;  // the writer's copy
  bool changed_ = false;
  std::atomic<std::shared_ptr<const FxHistory>> current_;
};

}  // namespace sm::aggregate
