#include "dashboard/dashboard_feed.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <tuple>
#include <unordered_set>

#include "pipeline/engine_processor.h"
#include "sanctions/v1/aggregate.pb.h"
#include "sanctions/v1/alert.pb.h"

namespace sm::dashboard {
namespace {

// The record's message, whichever encoding the topics carry; JSON values are also their own JSON form (shown
// exactly as published). False when it does not decode.
bool decode(config::OutputFormat format, const std::string& value, google::protobuf::Message& message,
            std::string& json) {
  if (format == config::OutputFormat::kJson) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;  // a newer writer's fields are shown, not refused
    if (!google::protobuf::util::JsonStringToMessage(value, &message, options).ok()) return false;
    json = value;
    return true;
  }
  return message.ParseFromString(value);
}

void append_event(std::string& out, std::uint64_t seq, std::string_view kind, std::string_view json) {
  out += "id: ";
  out += std::to_string(seq);
  out += "\nevent: ";
  out += kind;
  out += "\ndata: ";
  out += json;  // one line: proto3 JSON escapes line breaks inside strings
  out += "\n\n";
}

std::string quoted(std::string_view s) {
  // Window sizes are config tokens ("1h", "30d/1d"); escape the two characters that could break the JSON anyway.
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

DashboardFeed::DashboardFeed(FeedOptions options) : options_(options) {}

template <typename Message>
const std::string& DashboardFeed::json_of(const std::string& value, std::string& json) const {
  if (json.empty()) {
    Message message;
    message.ParseFromString(value);  // parsed once already when it was added
    json = pipeline::to_json_line(message);
  }
  return json;
}

void DashboardFeed::publish(const CommittedOutputs& batch) {
  std::string events;
  // Only the newest max_alerts of a large batch could stay in the ring: the rest are not even decoded.
  const std::size_t skip = batch.alerts.size() > options_.max_alerts ? batch.alerts.size() - options_.max_alerts : 0;
  for (std::size_t i = skip; i < batch.alerts.size(); ++i) add_alert(batch.alerts[i], events);
  // Several updates of one aggregate key in a batch: the last one is the answer.
  std::unordered_set<std::string_view> seen;
  std::vector<const pipeline::OutputRecord*> latest;
  for (auto it = batch.aggregates.rbegin(); it != batch.aggregates.rend(); ++it) {
    if (seen.insert(it->key).second) latest.push_back(&*it);
  }
  for (auto it = latest.rbegin(); it != latest.rend(); ++it) add_aggregate(**it, events);
  if (!events.empty()) broadcast(events);
}

void DashboardFeed::add_alert(const pipeline::OutputRecord& record, std::string& events) {
  sanctions::v1::Alert alert;
  AlertEntry entry;
  if (!decode(options_.format, record.value, alert, entry.json)) {
    ++unreadable_;
    return;
  }
  entry.seq = ++seq_;
  entry.tier = sanctions::v1::RiskTier_Name(alert.risk_tier());
  entry.corridor = alert.corridor();
  for (const auto& reason : alert.reasons()) entry.rules.push_back(reason.rule_id());
  if (entry.json.empty()) entry.value = record.value;  // a JSON value is kept once, as its JSON
  if (!subscribers_.empty()) {
    append_event(events, entry.seq, "alert", json_of<sanctions::v1::Alert>(entry.value, entry.json));
  }
  alerts_.push_back(std::move(entry));
  while (alerts_.size() > options_.max_alerts) alerts_.pop_front();
}

void DashboardFeed::add_aggregate(const pipeline::OutputRecord& record, std::string& events) {
  sanctions::v1::Aggregate aggregate;
  AggregateEntry entry;
  if (!decode(options_.format, record.value, aggregate, entry.json)) {
    ++unreadable_;
    return;
  }
  entry.seq = ++seq_;
  entry.window_size = aggregate.window_size();
  entry.window_start = aggregate.window_start();
  entry.corridor = aggregate.corridor();
  if (entry.json.empty()) entry.value = record.value;  // a JSON value is kept once, as its JSON
  if (!subscribers_.empty()) {
    append_event(events, entry.seq, "aggregate", json_of<sanctions::v1::Aggregate>(entry.value, entry.json));
  }
  window_sizes_.insert(entry.window_size);

  auto [it, inserted] = aggregates_.try_emplace(record.key);
  if (!inserted) by_start_.erase({it->second.window_start, record.key});
  by_start_.emplace(entry.window_start, record.key);
  it->second = std::move(entry);
  while (aggregates_.size() > options_.max_aggregates) {
    const auto oldest = by_start_.begin();
    aggregates_.erase(oldest->second);
    by_start_.erase(oldest);
  }
}

std::string DashboardFeed::alerts_json(const AlertFilter& filter, std::size_t limit) const {
  std::string out = "{\"seq\":" + std::to_string(seq_) + ",\"alerts\":[";
  std::size_t n = 0;
  for (auto it = alerts_.rbegin(); it != alerts_.rend() && n < limit; ++it) {
    if (!filter.tiers.empty() && std::find(filter.tiers.begin(), filter.tiers.end(), it->tier) == filter.tiers.end())
      continue;
    if (!filter.corridor.empty() && it->corridor != filter.corridor) continue;
    if (!filter.rule.empty() && std::find(it->rules.begin(), it->rules.end(), filter.rule) == it->rules.end()) continue;
    if (n++ > 0) out += ',';
    out += json_of<sanctions::v1::Alert>(it->value, it->json);
  }
  return out + "]}\n";
}

std::string DashboardFeed::aggregates_json(std::string_view window_size) const {
  std::string out = "{\"seq\":" + std::to_string(seq_) + ",\"windowSizes\":[";
  bool first = true;
  for (const auto& size : window_sizes_) {
    if (!first) out += ',';
    first = false;
    out += quoted(size);
  }
  out += "],\"aggregates\":[";
  std::vector<const AggregateEntry*> rows;
  for (const auto& [key, entry] : aggregates_) {
    if (window_size.empty() || entry.window_size == window_size) rows.push_back(&entry);
  }
  std::sort(rows.begin(), rows.end(), [](const AggregateEntry* a, const AggregateEntry* b) {
    return std::tie(a->window_start, a->corridor, a->window_size) < std::tie(b->window_start, b->corridor, b->window_size);
  });
  first = true;
  for (const auto* row : rows) {
    if (!first) out += ',';
    first = false;
    out += json_of<sanctions::v1::Aggregate>(row->value, row->json);
  }
  return out + "]}\n";
}

void DashboardFeed::subscribe(std::shared_ptr<ops::HttpStream> stream) {
  // retry: how long a browser waits before reconnecting after the connection drops.
  if (!stream->send("retry: 2000\nevent: hello\ndata: {\"seq\":" + std::to_string(seq_) + "}\n\n")) return;
  subscribers_.push_back(std::move(stream));
}

void DashboardFeed::heartbeat() { broadcast(": keep-alive\n\n"); }

void DashboardFeed::broadcast(const std::string& data) {
  std::erase_if(subscribers_, [&data](const std::shared_ptr<ops::HttpStream>& s) { return !s->send(data); });
}

}  // namespace sm::dashboard
