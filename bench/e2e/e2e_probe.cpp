// e2e_probe: the client side of the end-to-end benchmark (bench/e2e/run.sh runs it against a running daemon).
// It feeds pre-generated events (one record per line of a file) into the daemon's input topic and reads the
// alerts topic as a read_committed consumer, outside any group, in the same process, so that send and visible
// times come from one clock. Not a test: it asserts nothing and prints key=value lines for run.sh.
//
//   e2e_probe throughput BOOTSTRAP INPUT ALERTS GROUP PARTITIONS EVENTS_FILE
//       Produces every line as fast as the broker takes it; reports when the first and the last alert became
//       visible and when the group had committed every input (all outputs of all inputs visible).
//   e2e_probe latency BOOTSTRAP INPUT ALERTS GROUP PARTITIONS EVENTS_FILE RATE COUNT
//       Produces COUNT lines at RATE per second; for each alert, visible time minus its event's send time
//       (alerts carry eventId; the input's eventId maps to its send time).
//   e2e_probe delete-topics BOOTSTRAP PREFIX
//       Deletes every topic whose name starts with PREFIX (a run's own topics, when it ends): a broker that kept
//       every earlier run's ~50 partitions grew slower run after run.
// EVENTS_FILE holds proto3 JSON lines; with E2E_INPUT_FORMAT=protobuf in the environment each is sent as a binary
// sanctions.v1.TradeEvent instead (converted before the clock starts).
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "kafka/plain_clients.h"
#include "kafka/rdkafka_handles.h"
#include "sanctions/v1/alert.pb.h"
#include "sanctions/v1/trade_event.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
using sm::kafka::PlainProducer;
using sm::kafka::TailConsumer;

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// The eventId of an input line (proto3 JSON) or of an alert (JSON or binary protobuf).
std::string json_event_id(std::string_view s) {
  static constexpr std::string_view kField = "\"eventId\":\"";
  const auto at = s.find(kField);
  if (at == std::string_view::npos) return {};
  const auto start = at + kField.size();
  const auto end = s.find('"', start);
  return end == std::string_view::npos ? std::string() : std::string(s.substr(start, end - start));
}

std::string input_event_id(const std::string& value) {
  if (!value.empty() && value.front() == '{') return json_event_id(value);
  sanctions::v1::TradeEvent event;
  return event.ParseFromString(value) ? event.event_id() : std::string();
}

std::string alert_event_id(const std::string& value) {
  if (!value.empty() && value.front() == '{') return json_event_id(value);
  sanctions::v1::Alert alert;
  return alert.ParseFromString(value) ? alert.event_id() : std::string();
}

// Sum of the group's committed offsets on the input topic, or -1 while unreadable.
class CommittedOffsets {
 public:
  CommittedOffsets(const std::string& bootstrap, const std::string& group, std::string topic, int partitions)
      : topic_(std::move(topic)), partitions_(partitions) {
    const sm::kafka::Properties props = {
        {"bootstrap.servers", bootstrap}, {"group.id", group}, {"enable.auto.commit", "false"}};
    auto conf = sm::kafka::make_conf({&props});
    if (!conf) throw std::runtime_error(conf.error().message);
    auto client = sm::kafka::make_client(RD_KAFKA_CONSUMER, std::move(conf.value()));
    if (!client) throw std::runtime_error(client.error().message);
    client_ = std::move(client.value());
  }
  ~CommittedOffsets() { rd_kafka_consumer_close(client_.get()); }
  CommittedOffsets(const CommittedOffsets&) = delete;
  CommittedOffsets& operator=(const CommittedOffsets&) = delete;

  std::int64_t total() {
    sm::kafka::PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions_));
    for (int p = 0; p < partitions_; ++p) rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p);
    if (rd_kafka_committed(client_.get(), list.get(), 5000) != RD_KAFKA_RESP_ERR_NO_ERROR) return -1;
    std::int64_t sum = 0;
    for (int i = 0; i < list->cnt; ++i) sum += std::max<std::int64_t>(0, list->elems[i].offset);
    return sum;
  }

 private:
  std::string topic_;
  int partitions_;
  sm::kafka::ClientPtr client_;
};

// Reads the alerts topic on its own thread and stamps each alert with the time it became visible.
class AlertReader {
 public:
  AlertReader(const std::string& bootstrap, const std::string& topic) {
    auto consumer = TailConsumer::create(bootstrap, {topic}, {{"fetch.wait.max.ms", "10"}});
    if (!consumer) throw std::runtime_error(consumer.error().message);
    thread_ = std::thread([this, c = std::make_shared<TailConsumer>(std::move(consumer.value()))] { loop(*c); });
  }
  ~AlertReader() { stop(); }
  AlertReader(const AlertReader&) = delete;
  AlertReader& operator=(const AlertReader&) = delete;

  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::uint64_t count() const { return count_; }
  Clock::time_point last_seen() const { return Clock::time_point(Clock::duration(last_ns_.load())); }
  // (eventId, visible time) of every alert; read after stop().
  const std::vector<std::pair<std::string, Clock::time_point>>& seen() const { return seen_; }

 private:
  void loop(TailConsumer& consumer) {
    while (!stop_) {
      auto rec = consumer.poll(std::chrono::milliseconds(50));
      if (!rec) continue;
      const auto now = Clock::now();
      seen_.emplace_back(alert_event_id(rec->value), now);
      last_ns_ = now.time_since_epoch().count();
      ++count_;
    }
  }
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<Clock::duration::rep> last_ns_{0};
  std::vector<std::pair<std::string, Clock::time_point>> seen_;
  std::thread thread_;
};

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  const char* format = std::getenv("E2E_INPUT_FORMAT");
  const bool binary = format != nullptr && std::string_view(format) == "protobuf";
  std::vector<std::string> lines;
  sanctions::v1::TradeEvent event;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (binary) {
      event.Clear();
      if (!google::protobuf::util::JsonStringToMessage(line, &event).ok()) {
        throw std::runtime_error(path + ": a line is not a TradeEvent in proto3 JSON");
      }
      line = event.SerializeAsString();
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// Waits until the group has committed `n` inputs, then until no alert has arrived for `quiet`.
Clock::time_point wait_done(CommittedOffsets& committed, std::int64_t n, const AlertReader& alerts,
                            std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  std::int64_t c = 0;
  while ((c = committed.total()) < n && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto all_committed = Clock::now();
  if (c < n) std::cerr << "e2e_probe: only " << c << " of " << n << " inputs committed before the deadline\n";
  for (std::uint64_t before = alerts.count();;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto now_count = alerts.count();
    if (now_count == before) break;
    before = now_count;
  }
  return all_committed;
}

PlainProducer producer_for(const std::string& bootstrap) {
  auto p = PlainProducer::create(bootstrap);
  if (!p) throw std::runtime_error(p.error().message);
  return std::move(p.value());
}

int throughput(const std::string& bootstrap, const std::string& input, const std::string& alerts_topic,
               const std::string& group, int partitions, const std::string& file) {
  const auto lines = read_lines(file);
  const auto n = static_cast<std::int64_t>(lines.size());
  CommittedOffsets committed(bootstrap, group, input, partitions);
  AlertReader alerts(bootstrap, alerts_topic);
  auto producer = producer_for(bootstrap);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (auto err = producer.produce(input, std::to_string(i), lines[i])) throw std::runtime_error(err->message);
  }
  if (auto err = producer.flush(std::chrono::minutes(5))) throw std::runtime_error(err->message);
  const auto produced = Clock::now();
  const auto all_committed = wait_done(committed, n, alerts, std::chrono::minutes(20));
  alerts.stop();
  const auto& seen = alerts.seen();
  if (seen.empty()) {
    std::cerr << "e2e_probe: no alert became visible\n";
    return 1;
  }
  const auto first = seen.front().second;
  const auto last = seen.back().second;
  std::printf("events=%lld\nproduce_s=%.3f\nproduce_eps=%.0f\n", static_cast<long long>(n), seconds(produced - start),
              static_cast<double>(n) / seconds(produced - start));
  std::printf("alerts=%zu\nfirst_alert_s=%.3f\nlast_alert_s=%.3f\nall_committed_s=%.3f\n", seen.size(),
              seconds(first - start), seconds(last - start), seconds(all_committed - start));
  std::printf("throughput_first_to_last_alert_eps=%.0f\n", static_cast<double>(n) / seconds(last - first));
  std::printf("throughput_produce_start_to_all_committed_eps=%.0f\n",
              static_cast<double>(n) / seconds(all_committed - start));
  return 0;
}

int latency(const std::string& bootstrap, const std::string& input, const std::string& alerts_topic,
            const std::string& group, int partitions, const std::string& file, double rate, std::size_t count) {
  auto lines = read_lines(file);
  if (lines.size() > count) lines.resize(count);
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < lines.size(); ++i) index.emplace(input_event_id(lines[i]), i);
  std::vector<Clock::time_point> sent(lines.size());
  CommittedOffsets committed(bootstrap, group, input, partitions);
  AlertReader alerts(bootstrap, alerts_topic);
  auto producer = producer_for(bootstrap);
  const auto start = Clock::now();
  std::size_t next = 0;
  while (next < lines.size()) {
    const auto due = static_cast<std::size_t>(seconds(Clock::now() - start) * rate) + 1;
    for (; next < std::min(due, lines.size()); ++next) {
      sent[next] = Clock::now();
      if (auto err = producer.produce(input, std::to_string(next), lines[next])) throw std::runtime_error(err->message);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  const auto produced = Clock::now();
  if (auto err = producer.flush(std::chrono::minutes(5))) throw std::runtime_error(err->message);
  wait_done(committed, static_cast<std::int64_t>(lines.size()), alerts, std::chrono::minutes(10));
  alerts.stop();
  std::vector<double> ms, steady;  // steady: events sent after the first kWarmUp (connections, first transactions)
  constexpr double kWarmUp = 3.0;
  std::size_t unknown = 0;
  // E2E_SAMPLES=FILE: every sample as "send time since start (s) latency (ms)", to see how it varies over time.
  std::FILE* samples = std::getenv("E2E_SAMPLES") != nullptr ? std::fopen(std::getenv("E2E_SAMPLES"), "w") : nullptr;
  for (const auto& [id, visible] : alerts.seen()) {
    const auto it = index.find(id);
    if (it == index.end()) {
      ++unknown;
      continue;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(visible - sent[it->second]).count());
    if (seconds(sent[it->second] - start) >= kWarmUp) steady.push_back(ms.back());
    if (samples != nullptr) std::fprintf(samples, "%.3f %.1f\n", seconds(sent[it->second] - start), ms.back());
  }
  if (samples != nullptr) std::fclose(samples);
  if (ms.empty()) {
    std::cerr << "e2e_probe: no alert matched an input\n";
    return 1;
  }
  std::sort(ms.begin(), ms.end());
  std::sort(steady.begin(), steady.end());
  auto pct_of = [](const std::vector<double>& v, double p) {
    return v.empty() ? -1.0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
  };
  auto pct = [&](double p) { return pct_of(ms, p); };
  std::printf("events=%zu\ntarget_eps=%.0f\nachieved_eps=%.0f\nsamples=%zu\nunmatched=%zu\n", lines.size(), rate,
              static_cast<double>(lines.size()) / seconds(produced - start), ms.size(), unknown);
  std::printf("latency_p50_ms=%.1f\nlatency_p90_ms=%.1f\nlatency_p99_ms=%.1f\nlatency_max_ms=%.1f\n", pct(0.50),
              pct(0.90), pct(0.99), ms.back());
  std::printf("steady_samples=%zu\nsteady_p50_ms=%.1f\nsteady_p90_ms=%.1f\nsteady_p99_ms=%.1f\nsteady_max_ms=%.1f\n",
              steady.size(), pct_of(steady, 0.50), pct_of(steady, 0.90), pct_of(steady, 0.99),
              steady.empty() ? -1.0 : steady.back());
  return 0;
}

int delete_topics(const std::string& bootstrap, const std::string& prefix) {
  using namespace sm::kafka;
  const Properties props = {{"bootstrap.servers", bootstrap}};
  auto conf = make_conf({&props});
  if (!conf) throw std::runtime_error(conf.error().message);
  auto client = make_client(RD_KAFKA_PRODUCER, std::move(conf.value()));
  if (!client) throw std::runtime_error(client.error().message);
  rd_kafka_t* rk = client.value().get();
  const rd_kafka_metadata_t* raw = nullptr;
  if (const auto err = rd_kafka_metadata(rk, 1, nullptr, &raw, 10'000); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error(std::string("metadata: ") + rd_kafka_err2str(err));
  }
  const MetadataPtr metadata(raw);
  std::vector<rd_kafka_DeleteTopic_t*> doomed;
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    const std::string_view name = metadata->topics[i].topic;
    if (name.starts_with(prefix)) doomed.push_back(rd_kafka_DeleteTopic_new(metadata->topics[i].topic));
  }
  if (!doomed.empty()) {
    const QueuePtr queue(rd_kafka_queue_new(rk));
    rd_kafka_DeleteTopics(rk, doomed.data(), doomed.size(), nullptr, queue.get());
    const EventPtr event(rd_kafka_queue_poll(queue.get(), 30'000));
    rd_kafka_DeleteTopic_destroy_array(doomed.data(), doomed.size());
    if (!event || rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error(std::string("delete topics: ") +
                               (event ? rd_kafka_event_error_string(event.get()) : "no answer in 30 s"));
    }
    const auto* result = rd_kafka_event_DeleteTopics_result(event.get());
    std::size_t count = 0;
    const rd_kafka_topic_result_t** topics = rd_kafka_DeleteTopics_result_topics(result, &count);
    for (std::size_t i = 0; i < count; ++i) {
      if (rd_kafka_topic_result_error(topics[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        std::cerr << "e2e_probe: delete " << rd_kafka_topic_result_name(topics[i]) << ": "
                  << rd_kafka_topic_result_error_string(topics[i]) << "\n";
      }
    }
  }
  std::printf("deleted_topics=%zu\n", doomed.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv, argv + argc);
  try {
    if (a.size() == 8 && a[1] == "throughput") return throughput(a[2], a[3], a[4], a[5], std::stoi(a[6]), a[7]);
    if (a.size() == 4 && a[1] == "delete-topics") return delete_topics(a[2], a[3]);
    if (a.size() == 10 && a[1] == "latency") {
      return latency(a[2], a[3], a[4], a[5], std::stoi(a[6]), a[7], std::stod(a[8]), std::stoul(a[9]));
    }
  } catch (const std::exception& e) {
    std::cerr << "e2e_probe: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: e2e_probe throughput BOOTSTRAP INPUT ALERTS GROUP PARTITIONS EVENTS_FILE\n"
               "       e2e_probe latency BOOTSTRAP INPUT ALERTS GROUP PARTITIONS EVENTS_FILE RATE COUNT\n"
               "       e2e_probe delete-topics BOOTSTRAP PREFIX\n";
  return 64;
}
