#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/app_config.h"
#include "dashboard/committed_output_tap.h"
#include "ops/http_server.h"

namespace sm::dashboard {

struct FeedOptions {
  config::OutputFormat format = config::OutputFormat::kProtobuf;  // how the records' values are encoded
  std::size_t max_alerts = 500;       // the most recent alerts kept
  std::size_t max_aggregates = 5000;  // aggregate keys kept; the oldest windows go first
};

// Which alerts /v1/alerts returns; an empty field matches everything.
struct AlertFilter {
  std::vector<std::string> tiers;  // any of these tiers ("HIGH", "CRITICAL")
  std::string corridor;            // "CN-RU"
  std::string rule;                // a rule id among the alert's reasons
};

// What the dashboard shows, built only from committed output records (CommittedOutputs): a bounded ring of the
// most recent alerts and the latest aggregate per key (window size | window start | corridor), each shown in the
// proto3 JSON form the topics carry (pipeline::to_json_line). Binary records are kept as they are and turned into
// JSON only when someone looks (a subscriber, a snapshot request): the daemon's transaction rate is not bounded
// by a dashboard nobody has open. Every record published gets the next sequence
// number; subscribers (Server-Sent Events streams) receive each one as `id: <seq>`, `event: alert|aggregate`,
// `data: <json>`, after a first `event: hello` carrying the sequence number they start after, so that a client
// can load the snapshot endpoints and apply only the events that follow it.
//
// Not thread-safe: every call on one thread (the event loop that runs the HTTP server).
class DashboardFeed {
 public:
  explicit DashboardFeed(FeedOptions options);

  // Adds one committed transaction's records and sends them to every subscriber. A record whose value cannot be
  // decoded is counted in unreadable() and skipped.
  void publish(const CommittedOutputs& batch);

  // {"seq": N, "alerts": [newest first, at most `limit`]}
  std::string alerts_json(const AlertFilter& filter, std::size_t limit) const;
  // {"seq": N, "windowSizes": [...], "aggregates": [by window start, then corridor]}; "" for every window size.
  std::string aggregates_json(std::string_view window_size) const;

  // Starts sending to `stream`; closed streams are forgotten at the next send.
  void subscribe(std::shared_ptr<ops::HttpStream> stream);
  // An SSE comment to every subscriber: keeps idle connections (and proxies) open and finds dead ones.
  void heartbeat();

  std::uint64_t sequence() const { return seq_; }
  std::size_t alert_count() const { return alerts_.size(); }
  std::size_t aggregate_count() const { return aggregates_.size(); }
  std::size_t subscriber_count() const { return subscribers_.size(); }
  std::uint64_t unreadable() const { return unreadable_; }

 private:
  struct AlertEntry {
    std::uint64_t seq = 0;
    std::string tier;
    std::string corridor;
    std::vector<std::string> rules;
    std::string value;          // as published
    mutable std::string json;   // value as JSON, made on first use
  };
  struct AggregateEntry {
    std::uint64_t seq = 0;
    std::string window_size;
    std::string window_start;
    std::string corridor;
    std::string value;
    mutable std::string json;
  };

  template <typename Message>
  const std::string& json_of(const std::string& value, std::string& json) const;

  void add_alert(const pipeline::OutputRecord& record, std::string& events);
  void add_aggregate(const pipeline::OutputRecord& record, std::string& events);
  void broadcast(const std::string& data);

  FeedOptions options_;
  std::uint64_t seq_ = 0;
  std::uint64_t unreadable_ = 0;
  std::deque<AlertEntry> alerts_;                                  // oldest first
  std::map<std::string, AggregateEntry, std::less<>> aggregates_;  // by record key
  std::set<std::pair<std::string, std::string>> by_start_;         // (window start, key): eviction order
  std::set<std::string, std::less<>> window_sizes_;
  std::vector<std::shared_ptr<ops::HttpStream>> subscribers_;
};

}  // namespace sm::dashboard
