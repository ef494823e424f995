#include "model/event_time.h"

#include <charconv>
#include <fmt/format.h>

namespace sm {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

std::optional<EventTime> parse_rfc3339(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) || s[13] != ':' ||
      !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 3) millis = millis * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) return std::nullopt;
    for (int i = n; i < 3; ++i) millis *= 10;
  }
  if (pos >= s.size()) return std::nullopt;
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh = 0, om = 0;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
        oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const auto days = std::chrono::sys_days{ymd};
  return EventTime{days.time_since_epoch()} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second} + Millis{millis} - std::chrono::minutes{offset_minutes};
}

std::string format_rfc3339(EventTime t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{days};
  const auto ms = (t - days).count();
  const long long hh = ms / 3'600'000, mm = ms / 60'000 % 60, ss = ms / 1000 % 60, frac = ms % 1000;
  const std::string date = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hh, mm, ss);
  return frac == 0 ? date + "Z" : fmt::format("{}.{:03}Z", date, frac);
}

std::optional<Millis> parse_duration(std::string_view text) {
  long long n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || n <= 0) return std::nullopt;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (unit == "ms") return Millis{n};
  if (unit == "s") return Millis{n * 1000};
  if (unit == "m") return Millis{n * 60'000};
  if (unit == "h") return Millis{n * 3'600'000};
  if (unit == "d") return Millis{n * 86'400'000};
  if (unit == "w") return Millis{n * 604'800'000};
  return std::nullopt;
}

std::string format_duration(Millis d) {
  const long long ms = d.count();
  struct Unit {
    long long size;
    const char* name;
  };
  for (const Unit u : {Unit{604'800'000, "w"}, Unit{86'400'000, "d"}, Unit{3'600'000, "h"}, Unit{60'000, "m"},
                       Unit{1000, "s"}}) {
    if (ms % u.size == 0) return std::to_string(ms / u.size) + u.name;
  }
  return std::to_string(ms) + "ms";
}

}  // namespace sm
