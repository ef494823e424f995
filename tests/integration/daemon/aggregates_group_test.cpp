// Rolling aggregates across a consumer group, end to end (docs/AGGREGATES.md): three `sanctions-monitor run`
// processes in one group share a 4-partition input topic (each runs stage 1 for its input partitions and stage 2,
// the merge, for its partial-aggregate partitions); the oracle is `replay --partitions 4` over the same events.
// Read with read_committed and reduced to the last record per key, the daemons' aggregates must equal replay's
// exactly: every field, and `final` too for each window the daemons have closed on every partition.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <iostream>
#include <memory>
#include <regex>
#include <thread>

#include "integration/daemon/daemon_harness.h"

namespace sm::e2e {
namespace {

constexpr int kPartitions = 4;

struct Comparison {
  std::string difference;  // Fields other than `final`, over every key.
  std::size_t final_windows = 0;
  std::string final_difference;  // Windows the daemons call final must be replay's, `final` included.
};

Comparison compare(const Scenario& s, const Replay& ref) {
  Comparison c;
  const auto got = last_aggregates(read_committed(s.aggregates));
  c.difference = diff(ref.aggregates, got, {"final"});
  std::map<std::string, json> finals, expected;
  for (const auto& [key, a] : got) {
    if (!a.value("final", false)) continue;
    finals.emplace(key, a);
    if (const auto it = ref.aggregates.find(key); it != ref.aggregates.end()) expected.emplace(key, it->second);
  }
  c.final_windows = finals.size();
  c.final_difference = diff(expected, finals);
  return c;
}

// Waits until every input offset is committed, then until the merged aggregates equal replay's (stage 2 and the
// idle emit timer may lag the input by a moment).
void expect_aggregates_equal_replay(const Scenario& s, const Replay& ref, std::int64_t n,
                                    const std::vector<Daemon*>& daemons) {
  std::int64_t committed = -1;
  const bool all = wait_for([&] {
    for (Daemon* d : daemons) {
      if (!d->running()) return true;
    }
    return (committed = s.committed()) == n;
  });
  for (Daemon* d : daemons) ASSERT_TRUE(d->running()) << "a daemon exited\n" << d->log_tail();
  ASSERT_TRUE(all) << "committed input offsets " << committed << " of " << n;
  Comparison c;
  wait_for([&] {
    c = compare(s, ref);
    return c.difference.empty();
  });
  EXPECT_EQ(c.difference, "") << "last aggregate per window vs replay --partitions " << kPartitions;
  EXPECT_EQ(c.final_difference, "") << "windows the daemons marked final";
  EXPECT_GT(c.final_windows, 0U) << "some windows are closed on every partition";
  std::cout << ref.aggregates.size() << " windows equal replay's; " << c.final_windows << " final" << std::endl;
}

std::vector<std::unique_ptr<Daemon>> start_members(const Scenario& s, const std::vector<std::string>& configs,
                                                   const std::string& tag) {
  std::vector<std::unique_ptr<Daemon>> out;
  for (std::size_t i = 0; i < configs.size(); ++i) {
    out.push_back(std::make_unique<Daemon>(configs[i], s.dir() + "/daemon-" + std::to_string(i) + tag + ".log"));
  }
  return out;
}

// Three members, events out of order within and beyond the grace period, fed in chunks; one member is killed
// with SIGKILL mid-stream and restarted. The merged aggregates do not depend on which member counted what.
TEST(AggregatesAcrossGroup, ThreeMembersOneKilledMidStreamEqualReplayOverFourPartitions) {
  Scenario s("agg-group");
  const std::vector<std::string> configs = {s.write_config("a"), s.write_config("b"), s.write_config("c")};
  s.create_topics(kPartitions);
  s.generate(2400, 61, 0.01, 0.04, 0.03);
  const Replay ref = replay(s, "medium", kPartitions);
  ASSERT_GE(ref.late, 1U) << "some events are beyond the grace period on their partition";
  ASSERT_GE(ref.aggregates.size(), 20U);
  std::size_t with_top = 0;
  for (const auto& [key, a] : ref.aggregates) with_top += a.contains("topCounterparties") ? 1 : 0;
  ASSERT_GT(with_top, 0U) << "some windows have HIGH or CRITICAL exposure";

  auto members = start_members(s, configs, "");
  static const std::regex assigned("kafka: assigned partitions \\[[0-9]");
  const bool ready = wait_for([&] {
    for (auto& d : members) {
      if (!d->running() || !std::regex_search(d->log(), assigned)) return !d->running();
    }
    return true;
  });
  for (auto& d : members) ASSERT_TRUE(d->running()) << d->log_tail();
  ASSERT_TRUE(ready);

  const std::size_t chunk = 200;
  std::size_t fed = 0;
  auto feed = [&](std::size_t upto) {
    for (; fed < upto; fed += chunk) {
      s.produce_by_shipment(fed, std::min(fed + chunk, s.events().size()));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  };
  feed(1200);
  // Member b has committed work of its own before it dies.
  wait_for([&] { return s.committed() >= 600 || !members[1]->running(); });
  members[1]->stop(SIGKILL);
  std::cout << "kill -9 member b with " << fed << " events fed, committed input offset " << s.committed() << std::endl;
  feed(1800);
  members[1] = std::make_unique<Daemon>(configs[1], s.dir() + "/daemon-1-restarted.log");
  feed(s.events().size());

  std::vector<Daemon*> alive;
  for (auto& d : members) alive.push_back(d.get());
  expect_aggregates_equal_replay(s, ref, static_cast<std::int64_t>(s.events().size()), alive);
  EXPECT_EQ(read_committed(s.late).size(), ref.late) << "late events, each once";
  for (auto& d : members) {
    const int status = d->stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << d->log_tail();
  }
}

}  // namespace
}  // namespace sm::e2e
