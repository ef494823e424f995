#include "dashboard/dashboard_routes.h"

#include <charconv>
#include <string>

#include "dashboard/static_assets.h"

namespace sm::dashboard {
namespace {

constexpr std::size_t kDefaultAlertLimit = 200;

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    if (const auto item = text.substr(0, comma); !item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

void add_dashboard_routes(ops::HttpServer& server, DashboardFeed& feed) {
  for (const StaticAsset& asset : static_assets()) {
    const auto serve = [&asset](const ops::HttpRequest&) {
      ops::HttpResponse res{200, std::string(asset.content_type), std::string(asset.bytes), {}};
      // The page and its scripts are one build: a browser must not mix assets of two daemons' versions.
      res.headers.emplace_back("Cache-Control", "no-cache");
      res.headers.emplace_back("X-Content-Type-Options", "nosniff");
      res.headers.emplace_back("Content-Security-Policy",
                               "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
      return res;
    };
    server.add_route(std::string(asset.path), serve);
    if (asset.path == "/dashboard/index.html") {
      server.add_route("/", serve);
      server.add_route("/dashboard", serve);
    }
  }

  server.add_route("/v1/alerts", [&feed](const ops::HttpRequest& req) {
    AlertFilter filter;
    if (const auto tier = req.query.get("tier")) filter.tiers = split_commas(*tier);
    if (const auto corridor = req.query.get("corridor")) filter.corridor = std::string(*corridor);
    if (const auto rule = req.query.get("rule")) filter.rule = std::string(*rule);
    std::size_t limit = kDefaultAlertLimit;
    if (const auto text = req.query.get("limit")) {
      const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
      if (ec != std::errc() || end != text->data() + text->size())
        return ops::HttpResponse::json_error(400, "limit must be a non-negative integer");
    }
    return ops::HttpResponse::json(200, feed.alerts_json(filter, limit));
  });
  server.add_route("/v1/aggregates", [&feed](const ops::HttpRequest& req) {
    return ops::HttpResponse::json(200, feed.aggregates_json(req.query.get("window").value_or("")));
  });
  server.add_stream_route("/v1/events", "text/event-stream",
                          [&feed](const ops::HttpRequest&, std::shared_ptr<ops::HttpStream> stream) {
                            feed.subscribe(std::move(stream));
                          });
}

}  // namespace sm::dashboard
