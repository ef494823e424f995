#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sm {

using Millis = std::chrono::milliseconds;
using EventTime = std::chrono::sys_time<Millis>;

// Parses RFC 3339 date-times: "2026-03-01T12:00:00Z", "2026-03-01T12:00:00.250+03:00" ('t'/'z' accepted,
// fractions beyond milliseconds truncated). Returns nullopt for anything else, including invalid dates.
std::optional<EventTime> parse_rfc3339(std::string_view text);

// Formats as UTC RFC 3339 with a "Z" suffix; milliseconds only when non-zero: "2026-03-01T12:00:00Z".
std::string format_rfc3339(EventTime t);

// Parses a duration such as "100ms", "30s", "15m", "1h", "1d" ("1w" too). Returns nullopt if malformed or <= 0.
std::optional<Millis> parse_duration(std::string_view text);

// The shortest of the forms parse_duration accepts: 3600000 ms -> "1h".
std::string format_duration(Millis d);

}  // namespace sm
