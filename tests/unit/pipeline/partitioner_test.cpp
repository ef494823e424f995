#include "pipeline/partitioner.h"

#include <gtest/gtest.h>

namespace sm::pipeline {
namespace {

// The values of Apache Kafka's own test of Utils.murmur2 (clients/src/test/.../utils/UtilsTest.java).
TEST(KafkaPartitioner, Murmur2MatchesKafkasReferenceValues) {
  EXPECT_EQ(kafka_murmur2("21"), -973932308);
  EXPECT_EQ(kafka_murmur2("foobar"), -790332482);
  EXPECT_EQ(kafka_murmur2("a-little-bit-long-string"), -985981536);
  EXPECT_EQ(kafka_murmur2("a-little-bit-longer-string"), -1486304829);
  EXPECT_EQ(kafka_murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
  EXPECT_EQ(kafka_murmur2("abc"), 479470107);
}

TEST(KafkaPartitioner, PartitionIsThePositiveHashModuloTheCount) {
  EXPECT_EQ(kafka_partition("21", 7), static_cast<std::int32_t>((-973932308 & 0x7fffffff) % 7));
  for (const char* key : {"a", "shp-1", "shp-2026-12", ""}) {
    const auto p = kafka_partition(key, 3);
    EXPECT_GE(p, 0);
    EXPECT_LT(p, 3);
    EXPECT_EQ(kafka_partition(key, 1), 0);
  }
}

}  // namespace
}  // namespace sm::pipeline
