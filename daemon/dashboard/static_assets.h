#pragma once

#include <span>
#include <string_view>

namespace sm::dashboard {

// One file of the dashboard page, embedded into the binary at build time (web/ and the charting library from
// web/node_modules, pinned by web/package-lock.json): the page works on a closed network, with nothing installed
// beside the binary.
struct StaticAsset {
  std::string_view path;          // the URL path it is served at, e.g. "/dashboard/dashboard.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view bytes;
};

// Every embedded asset; the storage is static.
std::span<const StaticAsset> static_assets();

}  // namespace sm::dashboard
