#pragma once

#include <functional>
#include <string>

#include "app/common.h"
#include "kafka/kafka_config.h"
#include "kafka/transactional_runner.h"

namespace sm::app {

struct ServiceOptions {
  std::string config_path;  // Re-read on SIGHUP.
  bool allow_sample_lists = false;
  // Polled every 200 ms on the event loop; when it returns true the service stops as on SIGTERM (the demo's end).
  std::function<bool(const kafka::RunnerCounters&)> finished;
  // Called on the event loop once the HTTP server listens, with its port.
  std::function<void(std::uint16_t)> on_listening;
};

// The daemon: the Kafka transport running the engine, behind an Asio event loop that owns signals (SIGTERM and
// SIGINT stop consuming, commit the open transaction and exit 0; SIGHUP reloads lists, rules and rates without
// stopping), the HTTP endpoints (/healthz, /readyz, /metrics, /v1/screen, /v1/lists), systemd notification and
// the watchdog. Blocks until stopped. Returns the process exit code.
int run_service(Loaded loaded, const kafka::KafkaConfig& kafka_config, const ServiceOptions& options);

// KafkaConfig from the [kafka] section.
kafka::KafkaConfig kafka_config(const config::AppConfig& config);

// Routes spdlog to stderr in the configured format (text, JSON lines or logfmt; ops/log_format.h) and level.
void configure_logging(const config::AppConfig& config);

}  // namespace sm::app
