// The daemon as systemd and an operator see it, against the real broker: sd_notify messages on a socket of the
// test's own (READY, WATCHDOG, RELOADING, STOPPING and STATUS, in order), SIGHUP with a good and with a broken
// configuration, /metrics after real traffic (consumer lag, latency histograms, rejections by reason, list
// version and age), JSON log lines that parse, and secrets that never reach the log. Needs SM_KAFKA_BOOTSTRAP.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <regex>
#include <sstream>

#include "integration/daemon/daemon_harness.h"
#include "testing/test_paths.h"

namespace sm::e2e {
namespace {

constexpr const char* kEnvSecret = "env-sasl-secret-7f3a9c";      // via "${SM_TEST_SASL_PASSWORD}"
constexpr const char* kFileSecret = "file-ssl-key-secret-51d2e8";  // written in the configuration itself

// A unix datagram socket standing in for systemd's NOTIFY_SOCKET. Like systemd it reads all the time (on a thread
// of its own): a socket nobody reads fills up after a few datagrams and then blocks the daemon's sd_notify.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket(AF_UNIX)");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long: " + path);
    path.copy(addr.sun_path, path.size());
    ::unlink(path.c_str());
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind " + path);
    timeval tv{0, 100'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    reader_ = std::thread([this] { read_until_stopped(); });
  }
  ~NotifySocket() {
    stop_ = true;
    reader_.join();
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // Every line received so far, in arrival order.
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  std::size_t size() const { return lines().size(); }

  // Waits (up to kPatience) for a line starting with `prefix` after the first `from` lines; its index or -1.
  long wait_line(const std::string& prefix, std::size_t from = 0) const {
    long found = -1;
    wait_for([&] {
      const auto all = lines();
      for (std::size_t i = from; i < all.size(); ++i) {
        if (all[i].starts_with(prefix)) {
          found = static_cast<long>(i);
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  void read_until_stopped() {
    char buf[4096];
    while (!stop_) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) continue;
      std::istringstream in(std::string(buf, static_cast<std::size_t>(n)));
      std::lock_guard lock(mutex_);
      for (std::string line; std::getline(in, line);) lines_.push_back(line);
    }
  }

  std::string path_;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;  // guarded by mutex_
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

// The service's state messages (READY/WATCHDOG/RELOADING/STOPPING) in arrival order, consecutive WATCHDOG=1 as one.
std::vector<std::string> state_sequence(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    if (l == "READY=1" || l == "WATCHDOG=1" || l == "RELOADING=1" || l == "STOPPING=1") {
      if (!(l == "WATCHDOG=1" && !out.empty() && out.back() == l)) out.push_back(l);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

std::string read_text(const std::string& path) { return testing::read_file(path); }

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::trunc) << text; }

// The test's daemon configuration: JSON logs, and two secrets among the Kafka properties (both ignored by a
// PLAINTEXT connection, so they only test that nobody prints them).
std::string ops_config(Scenario& s, const std::string& instance) {
  const std::string path = s.write_config(instance);
  std::string text = read_text(path);
  text = set_toml(text, "log", "format", "\"json\"");
  text = set_toml(text, "kafka.properties", "\"sasl.password\"", "\"${SM_TEST_SASL_PASSWORD}\"");
  text = set_toml(text, "kafka.properties", "\"ssl.key.password\"", std::string("\"") + kFileSecret + "\"");
  write_text(path, text);
  const std::string check = run_checked(testing::binary() + " config check " + path + " 2>&1");
  EXPECT_EQ(check.find(kEnvSecret), std::string::npos) << check;
  EXPECT_EQ(check.find(kFileSecret), std::string::npos) << check;
  return path;
}

class DaemonOps : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("SM_TEST_SASL_PASSWORD", kEnvSecret, 1);
    ::setenv("WATCHDOG_USEC", "1000000", 1);  // WATCHDOG=1 every 0.5 s
    ::unsetenv("WATCHDOG_PID");
  }
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
  }

  // Points NOTIFY_SOCKET at a fresh socket in the scenario's directory for the daemons started after.
  std::unique_ptr<NotifySocket> notify_socket(const Scenario& s) {
    const std::string path = s.dir() + "/notify.sock";
    auto socket = std::make_unique<NotifySocket>(path);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    return socket;
  }
};

std::string http_get(int port, const std::string& path) {
  return run_checked("curl -sS --max-time 20 -o - -w '\\n%{http_code}' http://127.0.0.1:" + std::to_string(port) + path);
}

// Every sample of a metrics text: "name{labels}" -> value.
std::map<std::string, double> samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

// Every line of the daemon's log is one JSON object with time, level and msg; and no secret appears.
void expect_clean_json_log(const std::string& log) {
  std::istringstream in(log);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++n;
    json j;
    ASSERT_NO_THROW(j = json::parse(line)) << "not a JSON line: " << line;
    EXPECT_TRUE(j.contains("time") && j.contains("level") && j.contains("msg")) << line;
  }
  EXPECT_GT(n, 5U);
  EXPECT_EQ(log.find(kEnvSecret), std::string::npos) << "the environment's secret was logged";
  EXPECT_EQ(log.find(kFileSecret), std::string::npos) << "the configuration's secret was logged";
  EXPECT_NE(log.find("sasl.password=****"), std::string::npos) << "the properties line (masked) is missing";
  EXPECT_NE(log.find("ssl.key.password=****"), std::string::npos);
}

TEST_F(DaemonOps, NotifiesReadyWatchdogReloadingAndStoppingInOrder) {
  Scenario s("notify");
  const std::string config = ops_config(s, "a");
  s.create_topics(2);
  auto notify = notify_socket(s);
  Daemon d(config, s.dir() + "/daemon.log");

  const long ready = notify->wait_line("READY=1");
  ASSERT_GE(ready, 0) << d.log_tail();
  ASSERT_GE(notify->wait_line("WATCHDOG=1", static_cast<std::size_t>(ready)), 0) << "no watchdog ping after READY";
  EXPECT_GE(notify->wait_line("STATUS="), 0);

  // A good reload: RELOADING=1 (with the monotonic time systemd wants), then READY=1 and a STATUS saying so.
  const std::size_t before_reload = notify->size();
  ASSERT_EQ(::kill(d.pid(), SIGHUP), 0);
  const long reloading = notify->wait_line("RELOADING=1", before_reload);
  ASSERT_GE(reloading, 0) << d.log_tail();
  EXPECT_GE(notify->wait_line("MONOTONIC_USEC=", static_cast<std::size_t>(reloading)), 0);
  EXPECT_GE(notify->wait_line("READY=1", static_cast<std::size_t>(reloading)), 0);
  EXPECT_GE(notify->wait_line("STATUS=reloaded: lists ", static_cast<std::size_t>(reloading)), 0);
  EXPECT_GE(notify->wait_line("WATCHDOG=1", static_cast<std::size_t>(reloading)), 0) << "the loop keeps pinging";

  const std::size_t before_stop = notify->size();
  EXPECT_EQ(d.stop(SIGTERM), 0) << d.log_tail();
  ASSERT_GE(notify->wait_line("STOPPING=1", before_stop), 0);

  // Watchdog pings run from the loop's start to its end, so they may come between any two states; the states
  // themselves arrive exactly in this order.
  const auto seq = state_sequence(notify->lines());
  std::vector<std::string> states;
  for (const auto& x : seq) {
    if (x != "WATCHDOG=1") states.push_back(x);
  }
  EXPECT_EQ(join(states), "READY=1 RELOADING=1 READY=1 STOPPING=1") << join(seq);
  expect_clean_json_log(d.log());
}

TEST_F(DaemonOps, BrokenConfigurationOnReloadKeepsServingAndSaysWhatIsWrong) {
  Scenario s("reload");
  const std::string config = ops_config(s, "a");
  s.create_topics(2);
  s.generate(200, 7, 0.0, 0.02);
  auto notify = notify_socket(s);
  Daemon d(config, s.dir() + "/daemon.log");
  ASSERT_GE(notify->wait_line("READY=1"), 0) << d.log_tail();
  const int port = d.http_port();
  ASSERT_NE(port, 0) << d.log_tail();
  s.produce(0, 100);
  ASSERT_TRUE(wait_for([&] { return s.committed() == 100; })) << d.log_tail();

  // A typo in the configuration: unknown keys are errors, named with file and line.
  const std::string good = read_text(config);
  write_text(config, set_toml(good, "http", "adress", "\"127.0.0.1:1\""));
  const std::size_t before = notify->size();
  ASSERT_EQ(::kill(d.pid(), SIGHUP), 0);
  const long status = notify->wait_line("STATUS=reload refused", before);
  ASSERT_GE(status, 0) << d.log_tail();
  const std::string status_line = notify->lines()[static_cast<std::size_t>(status)];
  EXPECT_NE(status_line.find("http.adress"), std::string::npos) << status_line;
  EXPECT_GE(notify->wait_line("READY=1", static_cast<std::size_t>(status)), 0) << "the old configuration serves";
  ASSERT_TRUE(wait_for([&] { return d.log().find("reload refused") != std::string::npos; }));
  EXPECT_NE(d.log().find(config), std::string::npos) << "the error names the file";
  EXPECT_NE(d.log().find("http.adress"), std::string::npos) << "and the key";

  // Still consuming, still ready, and the refusal counted.
  ASSERT_TRUE(d.running());
  s.produce(100, 200);
  ASSERT_TRUE(wait_for([&] { return s.committed() == 200; })) << d.log_tail();
  const std::string readyz = http_get(port, "/readyz");
  EXPECT_TRUE(readyz.ends_with("\n200")) << readyz;
  const auto m = samples(http_get(port, "/metrics"));
  EXPECT_EQ(m.at("sanctions_monitor_reloads_failed_total"), 1.0);
  EXPECT_EQ(m.at("sanctions_monitor_reloads_total"), 0.0);

  // Fixed again: the next reload applies.
  write_text(config, good);
  const std::size_t before_fix = notify->size();
  ASSERT_EQ(::kill(d.pid(), SIGHUP), 0);
  EXPECT_GE(notify->wait_line("STATUS=reloaded", before_fix), 0) << d.log_tail();
  EXPECT_TRUE(wait_for([&] { return samples(http_get(port, "/metrics")).at("sanctions_monitor_reloads_total") == 1.0; }));
  EXPECT_EQ(d.stop(SIGTERM), 0) << d.log_tail();
  expect_clean_json_log(d.log());
}

TEST_F(DaemonOps, MetricsShowLagLatencyRejectionsAndTheServingLists) {
  Scenario s("metrics");
  const std::string config = ops_config(s, "a");
  s.create_topics(3);
  const auto events = s.generate(600, 11, 0.05, 0.02);
  const Replay ref = replay(s);
  ASSERT_FALSE(ref.rejects.empty());
  std::map<std::string, double> rejected_by_code;
  for (const auto& [line, code] : ref.rejects) rejected_by_code[code] += 1;

  auto notify = notify_socket(s);
  Daemon d(config, s.dir() + "/daemon.log");
  ASSERT_GE(notify->wait_line("READY=1"), 0) << d.log_tail();
  const int port = d.http_port();
  ASSERT_NE(port, 0);
  s.produce(0, events.size());
  ASSERT_TRUE(wait_for([&] { return s.committed() == static_cast<std::int64_t>(events.size()); })) << d.log_tail();

  // Lag comes from librdkafka's statistics every few seconds: every assigned partition shows up, at 0 once the
  // committed positions reach the end; for stage 1's input topic and the merge stage's partial topic alike.
  std::map<std::string, double> m;
  const auto lag_series = [](const std::string& topic, int p) {
    return "sanctions_monitor_consumer_lag{partition=\"" + std::to_string(p) + "\",topic=\"" + topic + "\"}";
  };
  const bool caught_up = wait_for([&] {
    m = samples(http_get(port, "/metrics"));
    int partitions = 0;
    for (const auto& topic : {s.input, s.partial}) {
      for (int p = 0; p < 3; ++p) {
        const auto it = m.find(lag_series(topic, p));
        if (it != m.end() && it->second == 0.0) ++partitions;
      }
    }
    return partitions == 6;
  });
  std::string lag_lines;
  for (const auto& [series, value] : m) {
    if (series.starts_with("sanctions_monitor_consumer_lag")) lag_lines += series + " " + std::to_string(value) + "\n";
  }
  EXPECT_TRUE(caught_up) << "lag series:\n" << lag_lines;
  for (int p = 0; p < 3; ++p) {
    EXPECT_TRUE(m.contains(lag_series(s.input, p))) << lag_lines;
    EXPECT_TRUE(m.contains(lag_series(s.partial, p))) << lag_lines;
  }
  std::size_t lag_count = 0;
  for (const auto& [series, value] : m) lag_count += series.starts_with("sanctions_monitor_consumer_lag{") ? 1 : 0;
  EXPECT_EQ(lag_count, 6U) << "only the two group consumers' partitions:\n" << lag_lines;

  // Ready means both stages own partitions whose state is restored; /readyz names each condition.
  const std::string readyz = http_get(port, "/readyz");
  EXPECT_TRUE(readyz.ends_with("\n200")) << readyz;
  EXPECT_NE(readyz.find("[+] partitions assigned and state restored: 3 partitions"), std::string::npos) << readyz;
  EXPECT_NE(readyz.find("[+] merge stage partitions assigned and state restored: 3 partitions"), std::string::npos)
      << readyz;
  EXPECT_EQ(m.at("sanctions_monitor_readiness_condition{condition=\"merge stage partitions assigned and state restored\"}"),
            1.0);

  const double n = static_cast<double>(events.size());
  EXPECT_EQ(m.at("sanctions_monitor_events_consumed_total"), n);
  // Every record handled once (no aborts in this run), each timed and each committed with its timestamp.
  EXPECT_GE(m.at("sanctions_monitor_processing_duration_seconds_count"), n);
  EXPECT_EQ(m.at("sanctions_monitor_processing_duration_seconds_bucket{le=\"+Inf\"}"),
            m.at("sanctions_monitor_processing_duration_seconds_count"));
  EXPECT_GT(m.at("sanctions_monitor_processing_duration_seconds_sum"), 0.0);
  EXPECT_GE(m.at("sanctions_monitor_commit_latency_seconds_count"), n);
  EXPECT_GT(m.at("sanctions_monitor_commit_latency_seconds_sum"), 0.0);
  for (const auto& [code, count] : rejected_by_code) {
    EXPECT_EQ(m.at("sanctions_monitor_events_rejected_total{reason=\"" + code + "\"}"), count) << code;
  }
  EXPECT_EQ(m.at("sanctions_monitor_events_rejected_total{reason=\"too_large\"}"), 0.0) << "every code is listed";
  EXPECT_EQ(m.at("sanctions_monitor_dead_letters_total"), static_cast<double>(ref.rejects.size()));
  EXPECT_EQ(m.count("sanctions_monitor_late_events_total"), 1U);  // per-partition stream time: not replay's count

  // The serving lists: an info series carrying the versions /v1/lists reports, and a plausible age.
  const json lists = json::parse(run_checked("curl -sS --max-time 20 http://127.0.0.1:" + std::to_string(port) + "/v1/lists"));
  const std::string info = "sanctions_monitor_lists_info{rules_version=\"" + lists.at("rulesVersion").get<std::string>() +
                           "\",version=\"" + lists.at("version").get<std::string>() + "\"}";
  EXPECT_EQ(m.count(info), 1U) << info;
  const double age = m.at("sanctions_monitor_lists_age_seconds");
  EXPECT_GT(age, 0.0);
  EXPECT_LT(age, 20.0 * 365 * 86400);
  EXPECT_EQ(d.stop(SIGTERM), 0) << d.log_tail();
  expect_clean_json_log(d.log());
}

}  // namespace
}  // namespace sm::e2e
