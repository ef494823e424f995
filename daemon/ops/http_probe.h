#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace sm::ops {

class Counter;
class Gauge;
class Histogram;
class MetricsRegistry;

// The HTTP server's metrics, apart from its logic: the server calls on_*(), the probe owns names and labels.
// Every series is registered in the constructor, so the calls below take no lock and are safe from any thread.
//
//   sanctions_monitor_http_requests_total{route, code}     route: a registered path or "other"; code: 2xx..5xx
//   sanctions_monitor_http_request_duration_seconds        from a complete request to its response being queued
//   sanctions_monitor_http_connections                     open connections
//   sanctions_monitor_http_connections_rejected_total      over max_connections, closed at once
//   sanctions_monitor_http_timeouts_total                  connections cut off by the read or write timeout
//   sanctions_monitor_http_streams_dropped_total           streaming clients cut off for falling behind
class HttpProbe {
 public:
  // `routes`: the registered paths; index i in on_request() is routes[i], routes.size() means "other".
  HttpProbe(MetricsRegistry& registry, const std::vector<std::string>& routes);

  // A request answered by a route (or 404/405: route "other" / the path's route).
  void on_request(std::size_t route, int status, double seconds);
  // A request refused before it was read whole (400, 413, 431): counted under route "other", not timed.
  void on_unreadable_request(int status);
  void on_connection_opened();
  void on_connection_closed();
  void on_connection_rejected();
  void on_timeout();
  void on_stream_dropped();

 private:
  static constexpr std::size_t kClasses = 4;  // 2xx, 3xx, 4xx, 5xx
  std::vector<std::array<Counter*, kClasses>> requests_;
  Histogram& duration_;
  Gauge& connections_;
  Counter& rejected_;
  Counter& timeouts_;
  Counter& streams_dropped_;
};

}  // namespace sm::ops
