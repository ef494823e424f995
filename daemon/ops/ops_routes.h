#pragma once

namespace sm::ops {

class HttpServer;
class MetricsRegistry;
class Readiness;

// Registers the operator endpoints on `server` (before its start()):
//   /healthz  200 "ok" whenever the event loop answers at all: the process is alive
//   /readyz   200 with every condition when `readiness` is ready, else 503 with the unmet conditions' reasons
//   /metrics  `metrics` in the Prometheus text format 0.0.4
// `readiness` and `metrics` must outlive the server's connections.
void add_ops_routes(HttpServer& server, const Readiness& readiness, const MetricsRegistry& metrics);

}  // namespace sm::ops
