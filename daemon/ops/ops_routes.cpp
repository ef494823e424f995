#include "ops/ops_routes.h"

#include "ops/http_server.h"
#include "ops/metrics.h"
#include "ops/readiness.h"

namespace sm::ops {

void add_ops_routes(HttpServer& server, const Readiness& readiness, const MetricsRegistry& metrics) {
  server.add_route("/healthz", [](const HttpRequest&) { return HttpResponse::text(200, "ok\n"); });
  server.add_route("/readyz", [&readiness](const HttpRequest&) {
    auto report = readiness.report();
    return HttpResponse::text(report.ready ? 200 : 503, std::move(report.text));
  });
  server.add_route("/metrics", [&metrics](const HttpRequest&) {
    HttpResponse res;
    res.content_type = std::string(MetricsRegistry::kContentType);
    res.body = metrics.render();
    return res;
  });
}

}  // namespace sm::ops
