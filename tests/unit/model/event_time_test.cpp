#include "model/event_time.h"

#include <gtest/gtest.h>

namespace sm {
namespace {

std::int64_t ms(std::string_view text) { return parse_rfc3339(text)->time_since_epoch().count(); }

TEST(EventTime, ParsesRfc3339InUtcAndWithOffsets) {
  EXPECT_EQ(ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ms("2026-03-01T12:00:00Z"), ms("2026-03-01T15:00:00+03:00"));
  EXPECT_EQ(ms("2026-03-01T12:00:00.250Z") - ms("2026-03-01T12:00:00Z"), 250);
  EXPECT_EQ(ms("2026-03-01t12:00:00.1z") - ms("2026-03-01T12:00:00Z"), 100);
  EXPECT_EQ(ms("2026-03-01T12:00:00.123456Z") - ms("2026-03-01T12:00:00Z"), 123);
}

TEST(EventTime, RejectsMalformedAndImpossibleDates) {
  for (const char* bad : {"", "2026-03-01", "2026-03-01T12:00:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                          "2026-03-01T24:00:00Z", "2026-03-01T12:00:00+0300", "2026-03-01T12:00:00Zjunk",
                          "2026-03-01T12:00:00.Z", "yesterday"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(EventTime, FormatsRoundTrip) {
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2026-03-01T15:04:05+03:00")), "2026-03-01T12:04:05Z");
  EXPECT_EQ(format_rfc3339(*parse_rfc3339("2024-02-29T23:59:59.007Z")), "2024-02-29T23:59:59.007Z");
}

TEST(Duration, ParsesAndFormats) {
  EXPECT_EQ(parse_duration("100ms")->count(), 100);
  EXPECT_EQ(parse_duration("15m")->count(), 900'000);
  EXPECT_EQ(parse_duration("1d")->count(), 86'400'000);
  EXPECT_FALSE(parse_duration("0h").has_value());
  EXPECT_FALSE(parse_duration("1y").has_value());
  EXPECT_FALSE(parse_duration("h").has_value());
  EXPECT_EQ(format_duration(Millis{3'600'000}), "1h");
  EXPECT_EQ(format_duration(Millis{30LL * 86'400'000}), "30d");
  EXPECT_EQ(format_duration(Millis{90'000}), "90s");
}

}  // namespace
}  // namespace sm
