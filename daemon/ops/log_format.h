#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>

namespace sm::ops {

// How log lines look on stderr (the journal): `text` for people, `json` (one object a line) or `logfmt`
// (key=value pairs) for machines. Both structured forms escape the message completely: quotes, backslashes,
// control characters and invalid UTF-8 (as U+FFFD) can never break a line or its parsing.
enum class LogFormat { kText, kJson, kLogfmt };

// "text", "json" or "logfmt"; nullopt for anything else.
std::optional<LogFormat> parse_log_format(std::string_view name);

// Appends one line (with its newline) for an event: `time` (UTC, milliseconds), `level`, `msg`.
//   json:   {"time":"2026-03-01T10:00:00.250Z","level":"info","msg":"..."}
//   logfmt: time=2026-03-01T10:00:00.250Z level=info msg="..."   (a value is quoted only when it must be)
//   text:   2026-03-01T10:00:00.250Z info ...                    (the message as it is)
void append_log_line(LogFormat format, std::chrono::system_clock::time_point time, std::string_view level,
                     std::string_view message, std::string& out);

// The same lines as a spdlog formatter, for a logger's set_formatter().
std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format);

}  // namespace sm::ops
