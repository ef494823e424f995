#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "model/result.h"
#include "pipeline/record_processor.h"

namespace sm::kafka {

inline constexpr std::size_t kOutputKindCount = 5;

// Index of an OutputKind in per-kind arrays (topics, counters).
constexpr std::size_t kind_index(pipeline::OutputKind kind) { return static_cast<std::size_t>(kind); }

using Properties = std::map<std::string, std::string>;

// Everything the Kafka transport needs: where the cluster is, which topics mean what, how often to commit, and
// librdkafka properties passed through unchanged (security.protocol, sasl.*, ssl.*, timeouts). A plain value:
// copy it freely; nothing here is validated until a client is built from it.
struct KafkaConfig {
  std::string bootstrap_servers = "127.0.0.1:9092";
  std::string group_id = "sanctions-monitor";
  // transactional.id = prefix, or prefix + "-" + instance_id when instance_id is set. It must be unique per
  // running instance and stable across that instance's restarts: a restart then fences its predecessor and
  // aborts the transaction the predecessor left open.
  std::string transactional_id_prefix = "sanctions-monitor";
  std::string instance_id;
  std::string input_topic = "trade.events";
  // Indexed by kind_index(OutputKind): alerts, aggregates, dead letters, late events, changelog.
  std::array<std::string, kOutputKindCount> output_topics = {
      "sanctions.alerts", "sanctions.aggregates", "trade.events.dlq", "trade.events.late",
      "sanctions-monitor.state-changelog"};
  // A transaction is committed this often (and on_tick called), or sooner when max_in_flight is reached.
  std::chrono::milliseconds commit_interval{100};
  // Back-pressure bound: at most this many input records in one open transaction. The producer's queue and the
  // consumer's prefetch are bounded too (queue.buffering.max.messages, queued.max.messages.kbytes).
  std::size_t max_in_flight = 20'000;
  // How long replaying one assignment's changelog partitions may take before the runner gives up.
  std::chrono::milliseconds restore_timeout{120'000};
  // librdkafka properties for every client (the place for security.protocol, sasl.*, ssl.*), then extra ones
  // for the group consumer or the transactional producer only. A value "${NAME}" is read from the environment
  // variable NAME, so secrets need not sit in files; values of keys that look secret are never logged.
  Properties properties;
  Properties consumer_properties;
  Properties producer_properties;
  // When set, the group consumer's statistics (librdkafka's JSON document) are handed here every
  // statistics_interval, on the transport's thread, during its poll: copy the text and return.
  std::function<void(std::string_view statistics_json)> on_statistics;
  std::chrono::milliseconds statistics_interval{5'000};

  const std::string& topic(pipeline::OutputKind kind) const { return output_topics[kind_index(kind)]; }
  std::string transactional_id() const;
};

// Replaces each "${NAME}" value by the environment variable NAME; an unset variable is an error (naming the
// variable and the key, never a value).
Result<Properties> resolve_properties(const Properties& properties);

// True for keys whose values must not be logged: those containing "password", "secret" or "key" (so
// sasl.password, ssl.key.password, ssl.keystore.key, sasl.oauthbearer.client.secret...).
bool is_secret_key(std::string_view key);

// "k1=v1, k2=****" for logs, secret values masked.
std::string describe_properties(const Properties& properties);

// The name of an OutputKind for logs and metrics labels: "alert", "aggregate", "dead_letter", "late_event",
// "changelog".
std::string_view kind_name(pipeline::OutputKind kind);

}  // namespace sm::kafka
