#include "ops/log_format.h"

#include <cstdio>
#include <ctime>

namespace sm::ops {
namespace {

// The length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one (overlong forms, surrogates
// and code points past U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = 0;
  unsigned lo = 0x80;
  unsigned hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

// JSON string escaping (RFC 8259), which logfmt's quoted values use too.
void append_escaped(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
}

// logfmt leaves a value bare only when it is non-empty printable ASCII without space, '=' or '"'.
bool logfmt_bare(std::string_view s) {
  if (s.empty()) return false;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7F || c == '=' || c == '"' || c == '\\') return false;
  }
  return true;
}

void append_logfmt_pair(std::string_view key, std::string_view value, std::string& out) {
  out += key;
  out += '=';
  if (logfmt_bare(value)) {
    out += value;
  } else {
    out += '"';
    append_escaped(value, out);
    out += '"';
  }
}

void append_time(std::chrono::system_clock::time_point time, std::string& out) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  auto secs = static_cast<std::time_t>(ms / 1000);
  auto millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  out.append(buf, n);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(millis));
  out += frac;
}

class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    line_.clear();
    const auto level = spdlog::level::to_string_view(msg.level);
    append_log_line(format_, msg.time, std::string_view(level.data(), level.size()),
                    std::string_view(msg.payload.data(), msg.payload.size()), line_);
    dest.append(line_.data(), line_.data() + line_.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<LineFormatter>(format_); }

 private:
  LogFormat format_;
  std::string line_;
};

}  // namespace

std::optional<LogFormat> parse_log_format(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  if (name == "logfmt") return LogFormat::kLogfmt;
  return std::nullopt;
}

void append_log_line(LogFormat format, std::chrono::system_clock::time_point time, std::string_view level,
                     std::string_view message, std::string& out) {
  switch (format) {
    case LogFormat::kJson:
      out += "{\"time\":\"";
      append_time(time, out);
      out += "\",\"level\":\"";
      append_escaped(level, out);
      out += "\",\"msg\":\"";
      append_escaped(message, out);
      out += "\"}\n";
      return;
    case LogFormat::kLogfmt: {
      std::string t;
      append_time(time, t);
      append_logfmt_pair("time", t, out);
      out += ' ';
      append_logfmt_pair("level", level, out);
      out += ' ';
      append_logfmt_pair("msg", message, out);
      out += '\n';
      return;
    }
    case LogFormat::kText:
      append_time(time, out);
      out += ' ';
      out += level;
      out += ' ';
      out += message;
      out += '\n';
      return;
  }
}

std::unique_ptr<spdlog::formatter> make_log_formatter(LogFormat format) {
  return std::make_unique<LineFormatter>(format);
}

}  // namespace sm::ops
