#pragma once

#include "dashboard/dashboard_feed.h"
#include "ops/http_server.h"

namespace sm::dashboard {

// Registers the dashboard on `server`: the page at "/" (its assets under /dashboard/), and the read-only JSON
// endpoints it uses (docs/DASHBOARD.md):
//   /v1/alerts?tier=HIGH,CRITICAL&corridor=CN-RU&rule=USD_ON_RUSSIA_CORRIDOR&limit=100   recent alerts
//   /v1/aggregates?window=1h                                                             latest per key
//   /v1/events                                                                           Server-Sent Events
// The handlers call `feed` on the io_context's thread, so that io_context must run on one thread (as the
// service's does), and `feed` must outlive the server's connections.
void add_dashboard_routes(ops::HttpServer& server, DashboardFeed& feed);

}  // namespace sm::dashboard
