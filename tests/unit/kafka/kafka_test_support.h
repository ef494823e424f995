#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kafka/kafka_config.h"
#include "model/result.h"
#include "pipeline/record_processor.h"

namespace sm::kafka::testing {

// One record as an independent client (kcat) printed it.
struct SeenRecord {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;
  pipeline::Headers headers;

  std::string header(const std::string& name) const;  // "" when absent.
};

struct InputSpec {
  std::string key;
  std::string value;
  std::int32_t partition = 0;
  pipeline::Headers headers;
};

// Eight random hex digits, so that tests sharing a broker never share topics or groups.
std::string random_suffix();

// A KafkaConfig whose topics and group carry `suffix`, with short group timeouts so that a killed member leaves
// the group in seconds (the local broker allows sessions down to 1 s).
KafkaConfig test_config(const std::string& bootstrap, const std::string& suffix, const std::string& instance = "a");

// Writes `inputs` with a plain idempotent producer to the given partitions and waits until all are acknowledged.
std::optional<Error> produce_inputs(const std::string& bootstrap, const std::string& topic,
                                    const std::vector<InputSpec>& inputs);

// Everything in `topic` now, read by kcat (a separate process and client) from the beginning to the end;
// with read_committed, records of aborted or still-open transactions are not shown.
Result<std::vector<SeenRecord>> kcat_read(const std::string& bootstrap, const std::string& topic, bool read_committed);

// Offsets the group has committed for partitions 0..partitions-1 of `topic`, summed (missing ones count 0).
Result<std::int64_t> committed_total(const std::string& bootstrap, const std::string& group, const std::string& topic,
                                     int partitions);

// The bootstrap address tests must use: SM_KAFKA_BOOTSTRAP, or "" when unset.
std::string bootstrap_from_env();

}  // namespace sm::kafka::testing
