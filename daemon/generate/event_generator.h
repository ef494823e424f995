#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sanctions/v1/trade_event.pb.h"

namespace sm::generate {

struct GeneratorOptions {
  std::uint64_t seed = 1;
  std::string start_time = "2026-03-01T00:00:00Z";  // Event time of the first event (RFC 3339).
  std::int64_t mean_gap_ms = 60'000;                 // Mean event-time gap between consecutive events.
  double listed_party_rate = 0.02;   // Share of events with a counterparty drawn from `listed_names`.
  double malformed_rate = 0.0;       // Share of records made malformed on purpose (JSON output only).
  double late_rate = 0.0;            // Share of events whose event time lies behind the stream (out of order).
  std::vector<std::string> listed_names;  // Real list entries to draw from, spelled with document-like variations.
};

// Deterministic synthetic trade: the same options give the same events, byte for byte.
// Realistic mix: corridors (CN-RU, RU-CN, IN-RU, TR-RU, KZ-RU, AE-RU, RU-IN, CN-KZ, DE-RU ...), settlement
// currencies by corridor (RUB/CNY dominant on CN-RU except outside energy, USD and EUR tails, AED/INR/TRY,
// netting/barter), goods by HS code (crude oil and LNG, CHPL electronics, aircraft parts, machinery, cars,
// seafood, pork, soybeans, confectionery, furniture ...), banks with BICs, vessels with IMO numbers, and
// transit through third countries.
//
// Details of the contract:
// - Ids are "evt-<seed>-<n>" and "shp-<seed>-<n>", n counting from 1 (one event per shipment).
// - The first event is at start_time; then the stream clock advances by exponential gaps of mean mean_gap_ms
//   (whole milliseconds). A late event (late_rate) is stamped 1 to 48 hours behind the stream clock.
// - listed_party_rate: the share of events in which one of exporter, importer, end user or a bank's name is a
//   `listed_names` entry, spelled as vary_listed_name() does (generate/spelling.h).
// - The random draws for lateness, listing and malformed records are made whatever the rates, so changing a
//   rate changes only the events it touches, not the rest of the stream.
// - Amounts are decimal strings with two decimals; line values are in the settlement currency, or USD when the
//   settlement has no currency (barter, some netting). Energy cargoes run to millions, food to tens of thousands.
// Throws std::invalid_argument if start_time is not RFC 3339 or mean_gap_ms is negative. Not thread-safe.
class EventGenerator {
 public:
  // The kinds of malformed records, produced in this order, cycling.
  enum class Malformed { kTruncatedJson, kUnknownCurrency, kNegativeAmount, kMissingEventId, kBadEventTime };
  static constexpr int kMalformedKinds = 5;

  explicit EventGenerator(GeneratorOptions options);

  // The next event. Event ids are "evt-<seed>-<n>".
  sanctions::v1::TradeEvent next();

  // The next record as one JSON line (no trailing newline); with malformed_rate > 0 some lines are broken
  // on purpose (bad JSON, unknown currency, negative amount, missing ids), each kind in turn.
  std::string next_json_line();

  std::uint64_t produced() const { return produced_; }
  // Malformed records produced so far by next_json_line().
  std::uint64_t malformed() const { return malformed_; }

 private:
  // Builds event number produced_ + 1 into `event`, advancing the stream.
  void build(sanctions::v1::TradeEvent& event);

  GeneratorOptions options_;
  std::uint64_t produced_ = 0;
  std::uint64_t state_ = 0;  // PRNG state (splitmix64 or similar, stable across platforms).
  std::int64_t clock_ms_ = 0;
  std::uint64_t fault_state_ = 0;  // A second stream for malformed records, so that they leave events alone.
  std::uint64_t malformed_ = 0;
  std::string id_prefix_;                 // "-<seed>-", shared by event and shipment ids.
  sanctions::v1::TradeEvent scratch_;     // Reused between events: its strings keep their capacity.
};

}  // namespace sm::generate
