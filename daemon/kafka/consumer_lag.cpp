#include "kafka/consumer_lag.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <tuple>

namespace sm::kafka {

Result<std::vector<PartitionLag>> parse_consumer_lag(std::string_view statistics_json) {
  const auto doc = nlohmann::json::parse(statistics_json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return make_error("bad_statistics", "statistics are not a JSON object");
  std::vector<PartitionLag> out;
  const auto topics = doc.find("topics");
  if (topics == doc.end()) return out;  // Nothing assigned yet: librdkafka leaves the object out.
  if (!topics->is_object()) return make_error("bad_statistics", "statistics: topics is not an object");
  for (const auto& [topic, t] : topics->items()) {
    const auto partitions = t.find("partitions");
    if (partitions == t.end() || !partitions->is_object()) continue;
    for (const auto& [key, p] : partitions->items()) {
      std::int32_t partition = -1;
      const auto parsed = std::from_chars(key.data(), key.data() + key.size(), partition);
      if (parsed.ec != std::errc() || parsed.ptr != key.data() + key.size() || partition < 0) continue;
      if (!p.is_object()) continue;
      // Owned: desired by the application, or being fetched (librdkafka versions differ in which they set).
      const std::string fetch_state = p.value("fetch_state", std::string("none"));
      const bool fetching = fetch_state != "none" && fetch_state != "stopping" && fetch_state != "stopped";
      if (!p.value("desired", false) && !fetching) continue;
      std::int64_t lag = p.value("consumer_lag_stored", std::int64_t{-1});
      if (lag < 0) lag = p.value("consumer_lag", std::int64_t{-1});
      if (lag < 0) continue;
      out.push_back(PartitionLag{topic, partition, lag});
    }
  }
  std::sort(out.begin(), out.end(), [](const PartitionLag& a, const PartitionLag& b) {
    return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
  });
  return out;
}

void ConsumerLagTracker::post(std::string_view statistics_json) {
  std::lock_guard lock(mutex_);
  pending_.assign(statistics_json);
}

std::vector<PartitionLag> ConsumerLagTracker::lags() {
  std::lock_guard parse_lock(parse_mutex_);
  std::string doc;
  {
    std::lock_guard lock(mutex_);
    doc.swap(pending_);
  }
  if (!doc.empty()) {
    auto parsed = parse_consumer_lag(doc);
    if (parsed) {
      last_ = std::move(*parsed);
    } else {
      spdlog::warn("kafka: {}", parsed.error().message);
    }
  }
  return last_;
}

}  // namespace sm::kafka
