#pragma once
// What the daemon end-to-end tests need to drive `sanctions-monitor` as a user would: a configuration pointing at
// the test broker with topics of its own, the daemon as a separate process, kcat to feed and read topics, and
// `sanctions-monitor replay` on the same events as the reference.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sm::e2e {

using nlohmann::json;

// Guards against hangs only; generous, never an assertion about speed.
constexpr std::chrono::seconds kPatience{150};

// SM_KAFKA_BOOTSTRAP; throws when it is unset (the test then fails, it is never skipped).
std::string bootstrap();

// Runs a shell command; throws with the command and its output when it does not exit 0.
std::string run_checked(const std::string& command);

// Polls `done` every 200 ms until it holds (true) or `limit` passes (false).
bool wait_for(const std::function<bool()>& done, std::chrono::seconds limit = kPatience);

// Sets `key = value` (value already in TOML syntax) in [section] of a TOML text, replacing the key's line or
// adding it right after the section header. Throws if the section is missing.
std::string set_toml(std::string text, const std::string& section, const std::string& key, const std::string& value);

// One test's world: a directory, topic names and a group with a random suffix, and configurations for daemons.
class Scenario {
 public:
  explicit Scenario(const std::string& name);
  ~Scenario();  // Removes the directory when the test passed (kept for a look when it failed).
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;

  // Writes a configuration for one daemon instance (transactional id "<group>-<instance>"): JSON output, 100 ms
  // commits, `emit_interval` aggregate updates, HTTP on an ephemeral port, short group sessions so that a
  // killed member leaves the group in seconds. Returns its path.
  std::string write_config(const std::string& instance, const std::string& emit_interval = "200ms") const;
  // `sanctions-monitor topics create` with the first configuration written.
  void create_topics(int partitions);

  // `sanctions-monitor generate` into <dir>/events.jsonl; returns the lines (one record each).
  std::vector<std::string> generate(int count, int seed, double malformed_rate, double listed_rate,
                                    double late_rate = 0.0);
  // Produces lines [first, last) of the generated events to the input topic with kcat, keyed "L<line number>"
  // (line numbers from 1, as replay counts them); returns when the broker has acknowledged them.
  void produce(std::size_t first, std::size_t last) const;
  // The same, keyed by each event's shipmentId ("L<line number>" when it has none) and placed by Kafka's default
  // partitioner (murmur2, as `replay --partitions N` places events).
  void produce_by_shipment(std::size_t first, std::size_t last) const;

  // Sum of the group's committed input offsets (-1 while the broker holds them back after a crash).
  std::int64_t committed() const;

  const std::string& dir() const { return dir_; }
  const std::string& config() const { return first_config_; }
  const std::string& events_path() const { return events_path_; }
  const std::vector<std::string>& events() const { return events_; }
  std::string input, alerts, aggregates, dlq, late, changelog, partial, merge_changelog, group;
  int partitions = 0;

 private:
  std::string dir_;
  std::string suffix_;
  mutable std::string first_config_;
  std::string events_path_;
  std::vector<std::string> events_;
};

// One record as kcat printed it (key and value byte-exact).
struct Record {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::string key;
  std::string value;
  std::string headers;  // kcat's "name=value,name=value"
  std::string header(const std::string& name) const;  // The value of `name` ("" if absent); values without commas.
};

// Everything in `topic` from the beginning to its current end, as a read_committed consumer sees it.
std::vector<Record> read_committed(const std::string& topic);

// The reference: `sanctions-monitor replay` on the scenario's events with the scenario's configuration.
struct Replay {
  std::map<std::string, json> alerts;       // By eventId.
  std::map<std::string, json> aggregates;   // By "size|start|corridor" (replay writes each window once, final).
  std::map<std::int64_t, std::string> rejects;  // Line number -> rejection code.
  std::size_t late = 0;
};
// With `partitions` > 1, `replay --partitions` (events placed as produce_by_shipment places them). `extra_args` are
// added to the command line (e.g. "--fx-rates FILE"); `name` names the output directory under the scenario's.
Replay replay(const Scenario& s, const std::string& min_tier = "medium", int partitions = 1,
              const std::string& extra_args = "", const std::string& name = "replay");

// The aggregate key of an Aggregate JSON object: "<windowSize>|<windowStart>|<corridor>".
std::string aggregate_key(const json& a);
// Alerts read back, by eventId; `duplicates` lists every eventId seen more than once.
std::map<std::string, json> alerts_by_event(const std::vector<Record>& records, std::vector<std::string>& duplicates);
// The last aggregate record per key (in offset order per partition; keys are partitioned by key, so one
// partition holds all of a key's records).
std::map<std::string, json> last_aggregates(const std::vector<Record>& records);
// A readable difference between two JSON maps ("" when equal), ignoring fields named in `ignore`.
std::string diff(const std::map<std::string, json>& expected, const std::map<std::string, json>& actual,
                 const std::vector<std::string>& ignore = {}, std::size_t max_lines = 8);

// `sanctions-monitor run --config FILE` as a child process, stdout and stderr in a log file.
class Daemon {
 public:
  Daemon(const std::string& config, const std::string& log_path);
  ~Daemon();  // Kills (SIGKILL) and reaps a daemon still running.
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  bool running();
  // Sends `sig` and waits for the exit (up to 60 s, then SIGKILL); returns the wait status.
  int stop(int sig);
  std::string log() const;
  // The log's last lines, for failure messages.
  std::string log_tail(std::size_t lines = 30) const;
  // The HTTP port from its "http: listening on 127.0.0.1:PORT" log line (waits for it); 0 if it exits first.
  int http_port();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string log_path_;
};

}  // namespace sm::e2e
