#include "ops/query_params.h"

#include <gtest/gtest.h>

#include "ops/http_server.h"

namespace sm::ops {
namespace {

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(percent_decode("ACME%20Trading%2fLLC", false), "ACME Trading/LLC");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%D0%9E%D0%9E%D0%9E", false), "\xD0\x9E\xD0\x9E\xD0\x9E");  // UTF-8 bytes as sent
}

TEST(PercentDecode, RejectsTruncatedOrNonHexEscapes) {
  EXPECT_EQ(percent_decode("%", false), std::nullopt);
  EXPECT_EQ(percent_decode("abc%4", false), std::nullopt);
  EXPECT_EQ(percent_decode("%zz", false), std::nullopt);
  EXPECT_EQ(percent_decode("%4g", false), std::nullopt);
}

TEST(QueryParams, ParsesKeysValuesRepeatsAndBareKeys) {
  const auto q = QueryParams::parse("name=ACME+Trading%26Co&limit=5&list=sdn&list=cons&&verbose");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->get("name"), "ACME Trading&Co");
  EXPECT_EQ(q->get("limit"), "5");
  EXPECT_EQ(q->get_all("list"), (std::vector<std::string_view>{"sdn", "cons"}));
  EXPECT_TRUE(q->contains("verbose"));
  EXPECT_EQ(q->get("verbose"), "");
  EXPECT_EQ(q->get("missing"), std::nullopt);
  EXPECT_EQ(q->items().size(), 5u);
}

TEST(QueryParams, EmptyQueryHasNoItems) {
  const auto q = QueryParams::parse("");
  ASSERT_TRUE(q.has_value());
  EXPECT_TRUE(q->items().empty());
}

TEST(QueryParams, MalformedEscapeFailsTheWholeQuery) {
  EXPECT_EQ(QueryParams::parse("a=1&name=%G0").has_value(), false);
  EXPECT_EQ(QueryParams::parse("%=1").has_value(), false);
}

TEST(SplitHostPort, AcceptsIPv4IPv6AndNames) {
  EXPECT_EQ(split_host_port("127.0.0.1:9464"), (std::pair<std::string, std::uint16_t>{"127.0.0.1", 9464}));
  EXPECT_EQ(split_host_port("[::1]:80"), (std::pair<std::string, std::uint16_t>{"::1", 80}));
  EXPECT_EQ(split_host_port("0.0.0.0:0"), (std::pair<std::string, std::uint16_t>{"0.0.0.0", 0}));
}

TEST(SplitHostPort, RejectsMalformed) {
  EXPECT_EQ(split_host_port("127.0.0.1"), std::nullopt);
  EXPECT_EQ(split_host_port("127.0.0.1:"), std::nullopt);
  EXPECT_EQ(split_host_port(":9464"), std::nullopt);
  EXPECT_EQ(split_host_port("::1:9464"), std::nullopt);
  EXPECT_EQ(split_host_port("127.0.0.1:65536"), std::nullopt);
  EXPECT_EQ(split_host_port("127.0.0.1:94a"), std::nullopt);
}

}  // namespace
}  // namespace sm::ops
