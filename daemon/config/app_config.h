#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "aggregate/window_store.h"
#include "classify/goods_classifier.h"
#include "model/result.h"
#include "sanctions/v1/alert.pb.h"
#include "screen/screener.h"

namespace sm::config {

// How records are written to output topics and files.
enum class OutputFormat { kJson, kProtobuf };

struct AggregateSettings {
  std::vector<aggregate::WindowSpec> windows;             // Default: 1h and 1d tumbling, 30d advancing by 1d.
  Millis grace{15 * 60'000};                               // A window closes at end + grace (stream time).
  Millis emit_interval{10'000};                            // Open-window updates at most this often.
  std::string reporting_currency = "USD";
  std::map<std::string, std::string> fx_rates;             // "RUB" -> "0.0108": reporting units per unit.
  int top_counterparties = 10;                             // Counterparties listed per merged window (0: none).
  // Compacted topic of sanctions.v1.FxRate records (rates over time, ahead of fx_rates); "" (default): none.
  std::string fx_rates_topic;
};

struct KafkaSettings {
  std::string bootstrap_servers = "127.0.0.1:9092";
  std::string group_id = "sanctions-monitor";
  std::string transactional_id = "sanctions-monitor-1";  // Unique per instance; stable across its restarts.
  std::string input_topic = "trade.events";
  std::string input_format = "auto";                    // auto | json | protobuf
  std::string alerts_topic = "sanctions.alerts";
  std::string aggregates_topic = "sanctions.aggregates";
  std::string dead_letter_topic = "trade.events.dlq";
  std::string late_events_topic = "trade.events.late";
  std::string changelog_topic = "sanctions-monitor.state-changelog";
  // Aggregation stage 1 -> stage 2 (docs/AGGREGATES.md), and stage 2's own state.
  std::string partial_aggregates_topic = "sanctions.aggregates.partial";
  std::string merge_changelog_topic = "sanctions-monitor.merge-changelog";
  OutputFormat output_format = OutputFormat::kProtobuf;
  Millis commit_interval{100};
  int max_in_flight = 20'000;
  std::map<std::string, std::string> properties;  // Passed to librdkafka as is; "${ENV}" values read the environment.
};

// The whole configuration of one sanctions-monitor instance, paths resolved to absolute ones.
struct AppConfig {
  std::string source;       // The configuration file.
  std::string iso_codes_dir = "/usr/share/iso-codes/json";
  classify::GoodsConfig goods;
  screen::ScreenConfig screening;
  std::string rules_path;
  std::string ownership_file;            // Ownership CSV for the 50% rule (daemon/ownership); "" for none.
  bool ownership_list_relations = true;  // Also use the lists' own ownership and "Linked To" relations.
  sanctions::v1::RiskTier min_alert_tier = sanctions::v1::MEDIUM;  // Lower tiers are assessed and counted, not published.
  int assess_threads = 2;  // [processing]: threads that decode and assess records (pipeline::ProcessorOptions).
  AggregateSettings aggregates;
  KafkaSettings kafka;
  std::string sample_lists_dir;  // Fictional lists the demo uses when the configured lists are missing.
  std::string http_address = "127.0.0.1:9464";
  std::string log_format = "text";  // text | json | logfmt
  std::string log_level = "info";
};

// Loads and validates a TOML configuration. Relative paths are resolved against `[paths] root`, itself
// relative to the file's directory (the example sets root = ".." so paths read as relative to the repo).
// Errors name the file, the key and the line: "deploy/sanctions-monitor.toml:12: aggregates.windows[1]: ...".
// Unknown keys are errors, so a typo never silently falls back to a default.
Result<AppConfig> load_config(const std::string& path);

}  // namespace sm::config
