// End to end, as a user runs it: `sanctions-monitor run --config FILE` as its own process against the real broker
// (ctest's `kafka` fixture), events fed with kcat, outputs read back with kcat as a read_committed consumer, and
// compared with `sanctions-monitor replay` on the same events. Needs SM_KAFKA_BOOTSTRAP; never skips.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <regex>
#include <set>
#include <thread>

#include "integration/daemon/daemon_harness.h"
#include "testing/test_paths.h"

namespace sm::e2e {
namespace {

// The scenario's alerts as a read_committed reader sees them must be replay's, each exactly once.
void expect_alerts_equal_replay(const Scenario& s, const Replay& ref) {
  const auto records = read_committed(s.alerts);
  std::vector<std::string> duplicates;
  const auto got = alerts_by_event(records, duplicates);
  EXPECT_TRUE(duplicates.empty()) << duplicates.size() << " alerts published twice, e.g. " << duplicates.front();
  EXPECT_EQ(records.size(), ref.alerts.size()) << "alert records, read_committed";
  EXPECT_EQ(diff(ref.alerts, got), "") << "alerts (whole JSON objects, by eventId)";
  for (const auto& r : records) {
    const json a = json::parse(r.value);
    EXPECT_EQ(r.key, a.value("shipmentId", "")) << "alerts are keyed by shipment";
    EXPECT_EQ(r.header("sm.risk-tier"), a.value("riskTier", "")) << r.headers;
  }
}

// Every record replay rejected is in the dead-letter topic once, byte for byte, with replay's code; nothing else.
void expect_dead_letters_equal_replay(const Scenario& s, const Replay& ref) {
  const auto dead = read_committed(s.dlq);
  EXPECT_EQ(dead.size(), ref.rejects.size()) << "dead letters, read_committed";
  std::set<std::string> seen;
  for (const auto& r : dead) {
    ASSERT_TRUE(r.key.starts_with("L")) << "a dead letter keeps the input's key: " << r.key;
    const auto line = std::stoll(r.key.substr(1));
    EXPECT_TRUE(seen.insert(r.key).second) << "dead-lettered twice: " << r.key;
    const auto it = ref.rejects.find(line);
    if (it == ref.rejects.end()) {
      ADD_FAILURE() << "dead letter for line " << line << ", which replay accepted";
      continue;
    }
    ASSERT_LE(static_cast<std::size_t>(line), s.events().size());
    EXPECT_EQ(r.value, s.events()[static_cast<std::size_t>(line) - 1]) << "the original bytes of line " << line;
    EXPECT_EQ(r.header("sm.error.code"), it->second) << "line " << line << ": " << r.headers;
  }
}

// The last aggregate per window, read_committed, equals replay's final one except for `final`.
std::string aggregates_difference(const Scenario& s, const Replay& ref) {
  return diff(ref.aggregates, last_aggregates(read_committed(s.aggregates)), {"final"});
}

// Waits until the group has committed every input (so every output of every input is visible to read_committed
// readers), failing at once if a daemon that should be running has exited.
void wait_all_committed(const Scenario& s, std::int64_t n, const std::vector<Daemon*>& alive) {
  std::int64_t last = -1;
  const bool done = wait_for([&] {
    for (Daemon* d : alive) {
      if (!d->running()) return true;
    }
    last = s.committed();
    return last == n;
  });
  for (Daemon* d : alive) ASSERT_TRUE(d->running()) << "the daemon exited\n" << d->log_tail();
  ASSERT_TRUE(done) << "committed input offsets " << last << " of " << n << "\n"
                    << (alive.empty() ? "" : alive.front()->log_tail());
  ASSERT_EQ(last, n);
}

// SIGTERM: exit status 0 and a clean stop in the log. With `quiet`, nothing was logged at error level either
// (not asked of a member that lived through a rebalance: a transaction that loses its generation is logged by
// librdkafka at error level, then aborted and re-run, as it should be).
void expect_clean_stop(Daemon& d, bool quiet = true) {
  const int status = d.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "wait status " << status << "\n" << d.log_tail();
  const std::string log = d.log();
  EXPECT_NE(log.find("stopping (SIGTERM)"), std::string::npos) << d.log_tail();
  EXPECT_NE(log.find("stopped cleanly"), std::string::npos) << d.log_tail();
  if (quiet) {
    EXPECT_EQ(log.find(" error "), std::string::npos) << d.log_tail();
  }
}

// "stopped cleanly: N consumed" from a daemon's log, or -1.
long long consumed_at_stop(const std::string& log) {
  std::smatch m;
  static const std::regex re("stopped cleanly: ([0-9]+) consumed");
  return std::regex_search(log, m, re) ? std::stoll(m[1]) : -1;
}

// (a) 3,000 generated events (2% malformed, 5% with listed parties) into 3 partitions: the daemon's alerts are
// replay's, each once; the malformed records are the dead letters, byte for byte, with their codes; SIGTERM stops
// it cleanly.
TEST(DaemonEndToEnd, AlertsAndDeadLettersEqualReplayAndSigtermStopsCleanly) {
  Scenario s("alerts");
  s.write_config("a");
  s.create_topics(3);
  s.generate(3000, 7, 0.02, 0.05);
  const Replay ref = replay(s);
  ASSERT_GE(ref.rejects.size(), 30U) << "the stream has malformed records";
  ASSERT_GE(ref.alerts.size(), 100U) << "the stream has alerts";
  ASSERT_LT(ref.alerts.size() + ref.rejects.size(), 3000U) << "and events below the alert tier";

  Daemon d(s.config(), s.dir() + "/daemon-a.log");
  s.produce(0, 3000);
  wait_all_committed(s, 3000, {&d});
  expect_alerts_equal_replay(s, ref);
  expect_dead_letters_equal_replay(s, ref);
  expect_clean_stop(d);
  EXPECT_EQ(consumed_at_stop(d.log()), 3000) << d.log_tail();
  EXPECT_EQ(read_committed(s.alerts).size(), ref.alerts.size()) << "nothing more after the stop";
}

// (b) One partition, so that the daemon sees the events in replay's order: once it has consumed them all and
// idles, the last aggregate per window equals replay's final one (the daemon keeps the newest windows open, so
// `final` differs there), and the late events are replay's.
TEST(DaemonEndToEnd, LastAggregatePerWindowEqualsReplayWhileIdle) {
  Scenario s("aggregates");
  s.write_config("a");
  s.create_topics(1);
  s.generate(2000, 23, 0.01, 0.03, 0.01);
  const Replay ref = replay(s);
  ASSERT_GE(ref.aggregates.size(), 20U);
  ASSERT_GE(ref.late, 1U) << "the stream has late events";

  Daemon d(s.config(), s.dir() + "/daemon-a.log");
  s.produce(0, 2000);
  wait_all_committed(s, 2000, {&d});
  // The open windows' last updates come from the idle daemon's timer (emit_interval 200 ms).
  std::string difference;
  wait_for([&] { return (difference = aggregates_difference(s, ref)).empty() || !d.running(); });
  EXPECT_EQ(difference, "") << d.log_tail();
  EXPECT_EQ(read_committed(s.late).size(), ref.late) << "late events";
  expect_dead_letters_equal_replay(s, ref);
  expect_clean_stop(d);
  EXPECT_EQ(aggregates_difference(s, ref), "") << "after the stop";
}

// (b, continued) Updates of open windows are published at most every emit_interval; a daemon stopped before
// its next update leaves them unpublished, but committed in its changelog. The next incarnation restores that
// state and must publish it even if no new event touches those windows.
TEST(DaemonEndToEnd, OpenWindowsArePublishedAfterARestartWithoutNewEvents) {
  Scenario s("restart");
  s.write_config("a", "1h");  // First incarnation: open-window updates effectively never.
  s.create_topics(1);
  s.generate(1000, 31, 0.0, 0.03);
  const Replay ref = replay(s);
  {
    Daemon first(s.config(), s.dir() + "/daemon-a-1.log");
    s.produce(0, 1000);
    wait_all_committed(s, 1000, {&first});
    expect_clean_stop(first);
  }
  const std::string before = aggregates_difference(s, ref);
  std::cout << "before the restart: " << (before.empty() ? "all windows published" : before.substr(0, 200)) << "\n";
  s.write_config("a", "200ms");
  Daemon second(s.config(), s.dir() + "/daemon-a-2.log");
  std::string difference;
  wait_for([&] { return (difference = aggregates_difference(s, ref)).empty() || !second.running(); });
  EXPECT_EQ(difference, "") << second.log_tail();
  EXPECT_EQ(s.committed(), 1000);
  expect_clean_stop(second);
}

// Feeds the scenario's events in chunks from a thread, never beyond `allowed` chunks, with a pause between
// chunks so that the daemons always have a stream to work on.
class Feeder {
 public:
  Feeder(const Scenario& s, std::size_t chunk, int allowed, std::chrono::milliseconds pause)
      : s_(s), chunk_(chunk), allowed_(allowed), pause_(pause), thread_([this] { feed(); }) {}
  ~Feeder() {
    stop_ = true;
    thread_.join();
  }
  Feeder(const Feeder&) = delete;
  Feeder& operator=(const Feeder&) = delete;
  void allow(int chunks) { allowed_ = chunks; }
  // Events the broker has acknowledged so far.
  std::size_t fed() const { return fed_; }
  // Lets `more` chunks go and waits until the next one is acknowledged: the daemon then has fresh input in hand.
  bool release(int more) {
    const std::size_t before = fed_;
    allowed_ += more;
    return wait_for([&] { return fed_ > before || done_; });
  }
  bool done() const { return done_; }
  std::string error() const { return done_ ? error_ : ""; }

 private:
  void feed() {
    try {
      for (std::size_t first = 0; first < s_.events().size() && !stop_; first += chunk_) {
        while (static_cast<int>(first / chunk_) >= allowed_.load() && !stop_) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (stop_) break;
        s_.produce(first, first + chunk_);
        fed_ = std::min(first + chunk_, s_.events().size());
        std::this_thread::sleep_for(pause_);
      }
    } catch (const std::exception& e) {
      error_ = e.what();
    }
    done_ = true;
  }
  const Scenario& s_;
  std::size_t chunk_;
  std::atomic<int> allowed_;
  std::chrono::milliseconds pause_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<std::size_t> fed_{0};
  std::string error_;
  std::thread thread_;
};

// (c) The stream is fed while the daemon runs; three times, once its committed alerts have grown, it is killed
// with SIGKILL and restarted. Afterwards read_committed readers see exactly one alert per qualifying event
// (replay's), every dead letter once, and (one partition) replay's aggregates: the state came back from the
// changelog, nothing counted twice or lost.
TEST(DaemonEndToEnd, KilledThreeTimesMidStreamStillExactlyOnce) {
  Scenario s("crash");
  s.write_config("a");
  s.create_topics(1);
  s.generate(3000, 41, 0.02, 0.05);
  const Replay ref = replay(s);
  const std::size_t chunk = 100;
  const int per_phase = 7;  // Chunks fed before each kill: the stream is never complete before the third.
  Feeder feeder(s, chunk, per_phase, std::chrono::milliseconds(60));
  int incarnation = 1;
  auto daemon = std::make_unique<Daemon>(s.config(), s.dir() + "/daemon-1.log");
  for (int kill = 1; kill <= 3; ++kill) {
    // Each incarnation commits a good share of work (about 150 events' alerts) before it is killed.
    const std::size_t base = read_committed(s.alerts).size();
    std::size_t now = base;
    const bool grew = wait_for([&] {
      if (!daemon->running()) return true;
      now = read_committed(s.alerts).size();
      return now >= base + 50;
    });
    ASSERT_TRUE(daemon->running()) << "the daemon exited\n" << daemon->log_tail();
    ASSERT_TRUE(grew) << "committed alerts did not grow beyond " << base << "\n" << daemon->log_tail();
    // Fresh input just acknowledged by the broker, so the daemon is most likely in the middle of a transaction.
    ASSERT_TRUE(feeder.release(per_phase));
    daemon->stop(SIGKILL);
    std::cout << "kill -9 #" << kill << " with " << now << " committed alerts, " << feeder.fed()
              << " events fed, committed input offset " << s.committed() << std::endl;
    daemon = std::make_unique<Daemon>(s.config(), s.dir() + "/daemon-" + std::to_string(++incarnation) + ".log");
  }
  feeder.allow(1000);
  ASSERT_TRUE(wait_for([&] { return feeder.done(); })) << "feeding did not finish";
  ASSERT_EQ(feeder.error(), "");
  wait_all_committed(s, 3000, {daemon.get()});
  expect_alerts_equal_replay(s, ref);
  expect_dead_letters_equal_replay(s, ref);
  std::string difference;
  wait_for([&] { return (difference = aggregates_difference(s, ref)).empty() || !daemon->running(); });
  EXPECT_EQ(difference, "") << daemon->log_tail();
  // The restarted incarnations began from the changelog.
  bool restored = false;
  for (int i = 2; i <= incarnation; ++i) {
    const std::string log = sm::testing::read_file(s.dir() + "/daemon-" + std::to_string(i) + ".log");
    static const std::regex re("restored ([1-9][0-9]*) changelog records");
    restored |= std::regex_search(log, re);
  }
  EXPECT_TRUE(restored) << "no restarted daemon restored state from the changelog";
  expect_clean_stop(*daemon);
  expect_alerts_equal_replay(s, ref);
}

// (d) Two daemons in one group (their own transactional ids) share a 4-partition topic; one is stopped with
// SIGTERM mid-stream and the other takes its partitions over: the alerts are still replay's, each once.
TEST(DaemonEndToEnd, TwoMembersOneStoppedMidStreamStillExactlyOnce) {
  Scenario s("group");
  const std::string config_a = s.write_config("a");
  const std::string config_b = s.write_config("b");
  s.create_topics(4);
  s.generate(3000, 53, 0.02, 0.05);
  const Replay ref = replay(s);
  Daemon a(config_a, s.dir() + "/daemon-a.log");
  Daemon b(config_b, s.dir() + "/daemon-b.log");
  // Both own partitions before the stream starts.
  static const std::regex assigned("kafka: assigned partitions \\[[0-9]");
  const bool both = wait_for([&] {
    if (!a.running() || !b.running()) return true;
    return std::regex_search(a.log(), assigned) && std::regex_search(b.log(), assigned);
  });
  ASSERT_TRUE(a.running()) << a.log_tail();
  ASSERT_TRUE(b.running()) << b.log_tail();
  ASSERT_TRUE(both) << "both members never owned partitions\n" << a.log_tail() << "\n" << b.log_tail();

  const int per_phase = 12;
  Feeder feeder(s, 100, per_phase, std::chrono::milliseconds(60));
  const bool grew = wait_for([&] { return read_committed(s.alerts).size() >= ref.alerts.size() / 5 || !a.running(); });
  ASSERT_TRUE(grew && a.running()) << a.log_tail();
  ASSERT_TRUE(feeder.release(per_phase));
  expect_clean_stop(a, false);
  std::cout << "member a stopped with " << feeder.fed() << " events fed, committed input offset " << s.committed()
            << std::endl;
  feeder.allow(1000);
  ASSERT_TRUE(wait_for([&] { return feeder.done(); })) << "feeding did not finish";
  ASSERT_EQ(feeder.error(), "");
  wait_all_committed(s, 3000, {&b});
  expect_alerts_equal_replay(s, ref);
  expect_dead_letters_equal_replay(s, ref);
  expect_clean_stop(b, false);
  const auto by_a = consumed_at_stop(a.log());
  const auto by_b = consumed_at_stop(b.log());
  EXPECT_GT(by_a, 0) << "member a did part of the work";
  EXPECT_GT(by_b, 0) << "member b did part of the work";
  EXPECT_GE(by_a + by_b, 3000);
}

}  // namespace
}  // namespace sm::e2e
