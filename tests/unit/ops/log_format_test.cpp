#include "ops/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace sm::ops {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

const system_clock::time_point kTime = system_clock::time_point(milliseconds(1'772'359'200'250));  // 2026-03-01T10:00:00.250Z

std::string line(LogFormat format, std::string_view message, std::string_view level = "info") {
  std::string out;
  append_log_line(format, kTime, level, message, out);
  return out;
}

TEST(LogFormat, ParsesTheThreeNames) {
  EXPECT_EQ(parse_log_format("text"), LogFormat::kText);
  EXPECT_EQ(parse_log_format("json"), LogFormat::kJson);
  EXPECT_EQ(parse_log_format("logfmt"), LogFormat::kLogfmt);
  EXPECT_FALSE(parse_log_format("JSON"));
  EXPECT_FALSE(parse_log_format(""));
}

TEST(LogFormat, JsonLineIsOneObjectWithTheMessageIntact) {
  EXPECT_EQ(line(LogFormat::kJson, "ready: 3 partitions"),
            "{\"time\":\"2026-03-01T10:00:00.250Z\",\"level\":\"info\",\"msg\":\"ready: 3 partitions\"}\n");
  // Quotes, backslashes, line breaks, other control characters and non-ASCII names from input records.
  const std::string tricky = "name \"OOO \\\"Vostok\\\"\"\nsecond line\ttab\x01\x1f end \xd0\x9e\xd0\x9e\xd0\x9e \xe5\x8d\x8e";
  const std::string out = line(LogFormat::kJson, tricky, "warning");
  ASSERT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "one event, one line";
  const auto parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed.at("msg").get<std::string>(), tricky);
  EXPECT_EQ(parsed.at("level").get<std::string>(), "warning");
  EXPECT_EQ(parsed.at("time").get<std::string>(), "2026-03-01T10:00:00.250Z");
}

TEST(LogFormat, InvalidUtf8BecomesTheReplacementCharacter) {
  // A stray continuation byte, a truncated sequence, an overlong '/', a UTF-16 surrogate.
  const std::string out = line(LogFormat::kJson, "a\x80" "b\xe2\x82" "c\xc0\xaf" "d\xed\xa0\x80" "e");
  const auto msg = nlohmann::json::parse(out).at("msg").get<std::string>();  // throws on invalid UTF-8
  EXPECT_EQ(msg, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "e");
}

TEST(LogFormat, LogfmtQuotesOnlyWhatMustBeQuoted) {
  EXPECT_EQ(line(LogFormat::kLogfmt, "stopped"), "time=2026-03-01T10:00:00.250Z level=info msg=stopped\n");
  EXPECT_EQ(line(LogFormat::kLogfmt, "reload refused: a=b \"x\"\\y\nz", "error"),
            "time=2026-03-01T10:00:00.250Z level=error msg=\"reload refused: a=b \\\"x\\\"\\\\y\\nz\"\n");
  EXPECT_EQ(line(LogFormat::kLogfmt, ""), "time=2026-03-01T10:00:00.250Z level=info msg=\"\"\n");
  EXPECT_EQ(line(LogFormat::kLogfmt, "caf\xc3\xa9"), "time=2026-03-01T10:00:00.250Z level=info msg=\"caf\xc3\xa9\"\n");
}

TEST(LogFormat, TextIsForPeople) {
  EXPECT_EQ(line(LogFormat::kText, "ready: \"3\""), "2026-03-01T10:00:00.250Z info ready: \"3\"\n");
}

TEST(LogFormat, SpdlogLoggerWritesEscapedJsonLines) {
  std::ostringstream stream;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream);
  spdlog::logger logger("test", sink);
  logger.set_formatter(make_log_formatter(LogFormat::kJson));
  logger.warn("reload refused: {}", "deploy/rules.toml:3: rules[0].points: \"ten\" is not a number");
  logger.info("second");
  std::istringstream lines(stream.str());
  std::string first;
  std::string second;
  ASSERT_TRUE(std::getline(lines, first));
  ASSERT_TRUE(std::getline(lines, second));
  const auto j = nlohmann::json::parse(first);
  EXPECT_EQ(j.at("level"), "warning");
  EXPECT_EQ(j.at("msg"), "reload refused: deploy/rules.toml:3: rules[0].points: \"ten\" is not a number");
  EXPECT_EQ(nlohmann::json::parse(second).at("msg"), "second");
}

}  // namespace
}  // namespace sm::ops
