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
class EventGenerator {
 public:
  explicit EventGenerator(GeneratorOptions options);

  // The next event. Event ids are "evt-<seed>-<n>".
  sanctions::v1::TradeEvent next();

  // The next record as one JSON line (no trailing newline); with malformed_rate > 0 some lines are broken
  // on purpose (bad JSON, unknown currency, negative amount, missing ids), each kind in turn.
  std::string next_json_line();

  std::uint64_t produced() const { return produced_; }

 private:
  GeneratorOptions options_;
  std::uint64_t produced_ = 0;
  std::uint64_t state_ = 0;  // PRNG state (splitmix64 or similar, stable across platforms).
  std::int64_t clock_ms_ = 0;
};

}  // namespace sm::generate
