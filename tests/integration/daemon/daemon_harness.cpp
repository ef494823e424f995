#include "integration/daemon/daemon_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "testing/test_paths.h"
#include "unit/kafka/kafka_test_support.h"

extern char** environ;

namespace sm::e2e {

namespace t = sm::testing;

std::string bootstrap() {
  const std::string b = kafka::testing::bootstrap_from_env();
  if (b.empty()) {
    throw std::runtime_error(
        "SM_KAFKA_BOOTSTRAP is not set: run through ctest (its `kafka` fixture starts deploy/kafka/local-broker), "
        "or start the broker and export SM_KAFKA_BOOTSTRAP=$(deploy/kafka/local-broker bootstrap)");
  }
  return b;
}

namespace {

// Output of a command (stdout and stderr), and its exit status.
std::pair<int, std::string> capture(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  std::string output;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path, std::ios::binary);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

std::string run_checked(const std::string& command) {
  auto [code, output] = capture(command);
  if (code != 0) {
    throw std::runtime_error("`" + command + "` exited " + std::to_string(code) + ":\n" + output.substr(0, 4000));
  }
  return output;
}

bool wait_for(const std::function<bool()>& done, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

std::string set_toml(std::string text, const std::string& section, const std::string& key, const std::string& value) {
  const std::string header = "[" + section + "]";
  std::string current;
  std::size_t header_end = std::string::npos;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    const std::string line = text.substr(pos, eol - pos);
    if (line.starts_with("[")) {
      current = line.substr(0, line.find(']') + 1);
      if (current == header) header_end = eol;
    } else if (current == header && line.starts_with(key)) {
      const auto rest = line.find_first_not_of(' ', key.size());
      if (rest != std::string::npos && line[rest] == '=') {
        text.replace(pos, eol - pos, key + " = " + value);
        return text;
      }
    }
    pos = eol + 1;
  }
  if (header_end == std::string::npos) throw std::runtime_error("configuration has no " + header + " section");
  text.insert(header_end, "\n" + key + " = " + value);
  return text;
}

// ---- Scenario -----------------------------------------------------------------------------------------------

Scenario::Scenario(const std::string& name) {
  suffix_ = name + "-" + kafka::testing::random_suffix();
  dir_ = t::temp_dir("daemon-" + suffix_);
  input = "e2e.trade.events." + suffix_;
  alerts = "e2e.alerts." + suffix_;
  aggregates = "e2e.aggregates." + suffix_;
  dlq = "e2e.dlq." + suffix_;
  late = "e2e.late." + suffix_;
  changelog = "e2e.changelog." + suffix_;
  partial = "e2e.aggregates.partial." + suffix_;
  merge_changelog = "e2e.merge-changelog." + suffix_;
  group = "e2e-" + suffix_;
}

Scenario::~Scenario() {
  if (!::testing::Test::HasFailure()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string Scenario::write_config(const std::string& instance, const std::string& emit_interval) const {
  const std::string base = t::test_config(dir_);  // dir/sanctions-monitor.toml, reading the real data in place
  std::string text = t::read_file(base);
  auto str = [](const std::string& v) { return "\"" + v + "\""; };
  text = set_toml(text, "kafka", "bootstrap_servers", str(bootstrap()));
  text = set_toml(text, "kafka", "group_id", str(group));
  text = set_toml(text, "kafka", "transactional_id", str(group + "-" + instance));
  text = set_toml(text, "kafka", "input_topic", str(input));
  text = set_toml(text, "kafka", "alerts_topic", str(alerts));
  text = set_toml(text, "kafka", "aggregates_topic", str(aggregates));
  text = set_toml(text, "kafka", "dead_letter_topic", str(dlq));
  text = set_toml(text, "kafka", "late_events_topic", str(late));
  text = set_toml(text, "kafka", "changelog_topic", str(changelog));
  text = set_toml(text, "kafka", "partial_aggregates_topic", str(partial));
  text = set_toml(text, "kafka", "merge_changelog_topic", str(merge_changelog));
  text = set_toml(text, "kafka", "output_format", str("json"));
  text = set_toml(text, "kafka", "commit_interval", str("100ms"));
  // A killed member must leave the group in seconds (the local broker allows sessions down to 1 s). These go
  // to every client; the producers log that they ignore them.
  text = set_toml(text, "kafka.properties", "\"session.timeout.ms\"", str("3000"));
  text = set_toml(text, "kafka.properties", "\"heartbeat.interval.ms\"", str("300"));
  text = set_toml(text, "aggregates", "emit_interval", str(emit_interval));
  text = set_toml(text, "http", "address", str("127.0.0.1:0"));
  const std::string path = dir_ + "/daemon-" + instance + ".toml";
  std::ofstream(path) << text;
  run_checked(t::binary() + " config check " + path);
  if (first_config_.empty()) first_config_ = path;
  return path;
}

void Scenario::create_topics(int n) {
  if (first_config_.empty()) write_config("a");
  partitions = n;
  run_checked(t::binary() + " topics create --config " + first_config_ + " --partitions " + std::to_string(n));
}

std::vector<std::string> Scenario::generate(int count, int seed, double malformed_rate, double listed_rate,
                                            double late_rate) {
  if (first_config_.empty()) write_config("a");
  events_path_ = dir_ + "/events.jsonl";
  std::ostringstream cmd;
  cmd << t::binary() << " generate --config " << first_config_ << " --count " << count << " --seed " << seed
      << " --malformed-rate " << malformed_rate << " --listed-rate " << listed_rate << " --late-rate " << late_rate
      << " --output " << events_path_;
  run_checked(cmd.str());
  events_ = read_lines(events_path_);
  if (events_.size() != static_cast<std::size_t>(count)) {
    throw std::runtime_error("generate wrote " + std::to_string(events_.size()) + " lines, not " +
                             std::to_string(count));
  }
  return events_;
}

void Scenario::produce(std::size_t first, std::size_t last) const {
  const std::string path = dir_ + "/produce-" + std::to_string(first) + "-" + std::to_string(last) + ".tsv";
  {
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = first; i < last && i < events_.size(); ++i) out << "L" << (i + 1) << '\t' << events_[i] << '\n';
  }
  run_checked("kcat -P -q -b " + bootstrap() + " -t " + input +
              " -K '\\t' -X enable.idempotence=true -X linger.ms=5 < " + path);
}

void Scenario::produce_by_shipment(std::size_t first, std::size_t last) const {
  const std::string path = dir_ + "/produce-" + std::to_string(first) + "-" + std::to_string(last) + ".tsv";
  {
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = first; i < last && i < events_.size(); ++i) {
      const json j = json::parse(events_[i], nullptr, false);
      std::string key;
      if (j.is_object() && j.contains("shipmentId") && j["shipmentId"].is_string()) key = j["shipmentId"];
      if (key.empty() || key.find('\t') != std::string::npos) key = "L" + std::to_string(i + 1);
      out << key << '\t' << events_[i] << '\n';
    }
  }
  run_checked("kcat -P -q -b " + bootstrap() + " -t " + input +
              " -K '\\t' -X partitioner=murmur2_random -X enable.idempotence=true -X linger.ms=5 < " + path);
}

std::int64_t Scenario::committed() const {
  auto total = kafka::testing::committed_total(bootstrap(), group, input, partitions);
  return total.ok() ? *total : -1;
}

// ---- Reading topics -------------------------------------------------------------------------------------------

std::string Record::header(const std::string& name) const {
  const std::string needle = name + "=";
  for (std::size_t pos = 0; pos < headers.size();) {
    std::size_t end = headers.find(',', pos);
    if (end == std::string::npos) end = headers.size();
    if (headers.compare(pos, needle.size(), needle) == 0) {
      return headers.substr(pos + needle.size(), end - pos - needle.size());
    }
    pos = end + 1;
  }
  return "";
}

std::vector<Record> read_committed(const std::string& topic) {
  // Lengths first, so that keys and values are read byte-exact whatever they hold.
  const std::string cmd = "kcat -C -q -e -b " + bootstrap() + " -t " + topic +
                          " -o beginning -X isolation.level=read_committed -f '%p %o %K %S\\n%k%s\\n%h\\n'";
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + cmd);
  std::string out;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = ::pclose(pipe);
  if (status != 0) throw std::runtime_error("`" + cmd + "` failed with status " + std::to_string(status));

  std::vector<Record> records;
  std::size_t pos = 0;
  auto fail = [&](const std::string& what) {
    throw std::runtime_error("kcat output of " + topic + " at byte " + std::to_string(pos) + ": " + what);
  };
  while (pos < out.size()) {
    const auto eol = out.find('\n', pos);
    if (eol == std::string::npos) fail("no end of the record line");
    std::istringstream head(out.substr(pos, eol - pos));
    Record r;
    long long key_len = 0, value_len = 0;
    if (!(head >> r.partition >> r.offset >> key_len >> value_len)) fail("bad record line");
    pos = eol + 1;
    const auto klen = static_cast<std::size_t>(std::max(0LL, key_len));
    const auto vlen = static_cast<std::size_t>(std::max(0LL, value_len));
    if (pos + klen + vlen + 1 > out.size()) fail("truncated record");
    r.key = out.substr(pos, klen);
    r.value = out.substr(pos + klen, vlen);
    pos += klen + vlen;
    if (out[pos] != '\n') fail("no newline after the value");
    ++pos;
    const auto hend = out.find('\n', pos);
    if (hend == std::string::npos) fail("no end of the headers");
    r.headers = out.substr(pos, hend - pos);
    pos = hend + 1;
    records.push_back(std::move(r));
  }
  return records;
}

// ---- Reference and comparisons -------------------------------------------------------------------------------

std::string aggregate_key(const json& a) {
  return a.at("windowSize").get<std::string>() + "|" + a.at("windowStart").get<std::string>() + "|" +
         a.at("corridor").get<std::string>();
}

Replay replay(const Scenario& s, const std::string& min_tier, int partitions, const std::string& extra_args,
              const std::string& name) {
  const std::string d = s.dir() + "/" + name;
  run_checked("mkdir -p " + d);
  run_checked(t::binary() + " replay --config " + s.config() + " --input " + s.events_path() + " --alerts-out " + d +
              "/alerts.jsonl --aggregates-out " + d + "/aggregates.jsonl --rejects-out " + d +
              "/rejects.jsonl --late-out " + d + "/late.jsonl --min-tier " + min_tier + " --partitions " + std::to_string(partitions) + " " + extra_args + " 2> " + d + "/stderr.txt");
  Replay r;
  for (const auto& line : read_lines(d + "/alerts.jsonl")) {
    json a = json::parse(line);
    const std::string id = a.at("eventId");
    if (!r.alerts.emplace(id, std::move(a)).second) throw std::runtime_error("replay: two alerts for " + id);
  }
  for (const auto& line : read_lines(d + "/aggregates.jsonl")) {
    json a = json::parse(line);
    const std::string key = aggregate_key(a);
    if (!r.aggregates.emplace(key, std::move(a)).second) throw std::runtime_error("replay: window twice: " + key);
  }
  for (const auto& line : read_lines(d + "/rejects.jsonl")) {
    const json j = json::parse(line);
    r.rejects[j.at("line").get<std::int64_t>()] = j.at("code").get<std::string>();
  }
  r.late = read_lines(d + "/late.jsonl").size();
  return r;
}

std::map<std::string, json> alerts_by_event(const std::vector<Record>& records, std::vector<std::string>& duplicates) {
  std::map<std::string, json> out;
  for (const auto& r : records) {
    json a = json::parse(r.value);
    const std::string id = a.at("eventId");
    if (!out.emplace(id, std::move(a)).second) duplicates.push_back(id);
  }
  return out;
}

std::map<std::string, json> last_aggregates(const std::vector<Record>& records) {
  std::map<std::string, std::pair<std::int64_t, json>> last;
  for (const auto& r : records) {
    json a = json::parse(r.value);
    const std::string key = aggregate_key(a);
    if (r.key != key) throw std::runtime_error("aggregate record key " + r.key + " does not match its window " + key);
    auto [it, fresh] = last.try_emplace(key, r.offset, a);
    if (!fresh && r.offset > it->second.first) it->second = {r.offset, std::move(a)};
  }
  std::map<std::string, json> out;
  for (auto& [key, v] : last) out.emplace(key, std::move(v.second));
  return out;
}

std::string diff(const std::map<std::string, json>& expected, const std::map<std::string, json>& actual,
                 const std::vector<std::string>& ignore, std::size_t max_lines) {
  auto strip = [&](json j) {
    for (const auto& f : ignore) j.erase(f);
    return j;
  };
  std::ostringstream out;
  std::size_t lines = 0, missing = 0, extra = 0, different = 0;
  for (const auto& [key, want] : expected) {
    auto it = actual.find(key);
    if (it == actual.end()) {
      if (lines++ < max_lines) out << "  missing " << key << "\n";
      ++missing;
    } else if (strip(want) != strip(it->second)) {
      if (lines++ < max_lines) {
        out << "  differs " << key << "\n    want " << strip(want).dump() << "\n    got  " << strip(it->second).dump()
            << "\n";
      }
      ++different;
    }
  }
  for (const auto& [key, got] : actual) {
    if (!expected.contains(key)) {
      if (lines++ < max_lines) out << "  unexpected " << key << "\n";
      ++extra;
    }
  }
  if (lines == 0) return "";
  return std::to_string(missing) + " missing, " + std::to_string(extra) + " unexpected, " + std::to_string(different) +
         " different (of " + std::to_string(expected.size()) + " expected):\n" + out.str();
}

// ---- The daemon process ---------------------------------------------------------------------------------------

Daemon::Daemon(const std::string& config, const std::string& log_path) : log_path_(log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const std::string bin = t::binary();
  std::vector<std::string> args = {bin, "run", "--config", config};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, bin.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + bin + ": error " + std::to_string(rc));
}

Daemon::~Daemon() {
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool Daemon::running() {
  if (reaped_) return false;
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
    reaped_ = true;
    return false;
  }
  return true;
}

int Daemon::stop(int sig) {
  if (reaped_) return status_;
  ::kill(pid_, sig);
  const bool exited = wait_for([&] { return !running(); }, std::chrono::seconds(60));
  if (!exited) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status_, 0);
    reaped_ = true;
    throw std::runtime_error("the daemon did not exit within 60 s of signal " + std::to_string(sig) + "\n" +
                             log_tail());
  }
  return status_;
}

std::string Daemon::log() const { return t::read_file(log_path_); }

int Daemon::http_port() {
  static const std::regex re(R"(http: listening on 127\.0\.0\.1:(\d+))");
  int port = 0;
  wait_for([&] {
    std::smatch m;
    const std::string text = log();
    if (std::regex_search(text, m, re)) port = std::stoi(m[1]);
    return port != 0 || !running();
  });
  return port;
}

std::string Daemon::log_tail(std::size_t lines) const {
  const std::string text = log();
  std::size_t pos = text.size();
  for (std::size_t n = 0; n <= lines && pos > 0; ++n) {
    const auto nl = text.rfind('\n', pos - 1);
    if (nl == std::string::npos) {
      pos = 0;
      break;
    }
    pos = nl;
  }
  return "---- " + log_path_ + " (last lines) ----\n" + text.substr(pos) + "\n----";
}

}  // namespace sm::e2e
