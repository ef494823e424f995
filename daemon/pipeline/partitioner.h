#pragma once

#include <cstdint>
#include <string_view>

namespace sm::pipeline {

// Kafka's default partitioner for a non-empty key: murmur2(key) & 0x7fffffff, modulo the partition count (Java
// producers, Kafka Streams and librdkafka's "murmur2_random"). Replay uses it to place events as a producer keyed
// by shipment id does; stage 1 uses it to send every partial of a window to one partition. `partitions` > 0.
std::int32_t kafka_partition(std::string_view key, std::int32_t partitions);

// Kafka's murmur2 (seed 0x9747b28c) as a signed 32-bit value, as org.apache.kafka.common.utils.Utils.murmur2.
std::int32_t kafka_murmur2(std::string_view key);

}  // namespace sm::pipeline
