#include "ops/http_probe.h"

#include <algorithm>

#include "ops/metrics.h"

namespace sm::ops {
namespace {

constexpr const char* kClassNames[] = {"2xx", "3xx", "4xx", "5xx"};

}  // namespace

HttpProbe::HttpProbe(MetricsRegistry& registry, const std::vector<std::string>& routes)
    : duration_(registry.histogram("sanctions_monitor_http_request_duration_seconds",
                                   "Time from a complete HTTP request to its response, in seconds.",
                                   exponential_buckets(0.0001, 4, 9))),
      connections_(registry.gauge("sanctions_monitor_http_connections", "Open HTTP connections.")),
      rejected_(registry.counter("sanctions_monitor_http_connections_rejected_total",
                                 "HTTP connections closed at once because max_connections were open.")),
      timeouts_(registry.counter("sanctions_monitor_http_timeouts_total",
                                 "HTTP connections closed because a request or response took too long.")),
      streams_dropped_(registry.counter("sanctions_monitor_http_streams_dropped_total",
                                        "Streaming HTTP clients (Server-Sent Events) cut off for falling behind.")) {
  std::vector<std::string> labels = routes;
  labels.emplace_back("other");
  for (const auto& route : labels) {
    std::array<Counter*, kClasses> by_class{};
    for (std::size_t c = 0; c < kClasses; ++c) {
      by_class[c] = &registry.counter("sanctions_monitor_http_requests_total", "HTTP requests answered.",
                                      {{"route", route}, {"code", kClassNames[c]}});
    }
    requests_.push_back(by_class);
  }
}

namespace {

std::size_t status_class(int status) { return static_cast<std::size_t>(std::clamp(status / 100, 2, 5) - 2); }

}  // namespace

void HttpProbe::on_request(std::size_t route, int status, double seconds) {
  requests_[std::min(route, requests_.size() - 1)][status_class(status)]->inc();
  duration_.observe(seconds);
}

void HttpProbe::on_unreadable_request(int status) { requests_.back()[status_class(status)]->inc(); }

void HttpProbe::on_connection_opened() { connections_.inc(); }
void HttpProbe::on_connection_closed() { connections_.dec(); }
void HttpProbe::on_connection_rejected() { rejected_.inc(); }
void HttpProbe::on_timeout() { timeouts_.inc(); }
void HttpProbe::on_stream_dropped() { streams_dropped_.inc(); }

}  // namespace sm::ops
