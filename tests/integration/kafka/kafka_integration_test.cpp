// The Kafka transport against a real broker: every input gives exactly one output as read_committed readers see
// it, through dead letters, kill -9 crashes, a member leaving the group, and fencing. Outputs are read back with
// kcat, a separate client. Needs SM_KAFKA_BOOTSTRAP (ctest's `kafka` fixture starts the broker and sets it).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kafka/topic_admin.h"
#include "kafka/transactional_runner.h"
#include "unit/kafka/counting_processor.h"
#include "unit/kafka/kafka_test_support.h"

namespace sm::kafka {
namespace {

using pipeline::OutputKind;
using testing::CountingProcessor;
using testing::InputSpec;
using testing::SeenRecord;

// Guards against hangs; generous, and never an assertion about speed.
constexpr auto kPatience = std::chrono::seconds(120);

template <typename Pred>
bool wait_for(Pred done, std::chrono::seconds limit = kPatience) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// A runner on its own thread.
struct Running {
  Running(const KafkaConfig& config, std::chrono::microseconds delay)
      : processor(delay), runner(config, processor), result(std::async(std::launch::async, [this] {
          return runner.run();
        })) {}
  ~Running() {
    if (result.valid()) {  // A failed assertion left it running: stop it rather than block forever.
      runner.stop();
      result.wait();
    }
  }
  // True once run() has returned (on its own, unless stop() was called).
  bool finished() const {
    return result.valid() && result.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }
  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;
  // Stops it and returns what run() returned.
  std::optional<Error> stop() {
    runner.stop();
    if (result.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      ADD_FAILURE() << "run() did not return within 60 s of stop()";
      return make_error("hang", "run() did not return");
    }
    return result.get();
  }
  CountingProcessor processor;
  TransactionalRunner runner;
  std::future<std::optional<Error>> result;
};

// A runner in a child process (tests/integration/kafka/runner_helper.cpp) that can be killed with SIGKILL.
class Child {
 public:
  Child(const std::string& bootstrap, const std::string& suffix, const std::string& instance, int delay_us) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string delay = std::to_string(delay_us);
      ::execl(SM_KAFKA_RUNNER_HELPER, SM_KAFKA_RUNNER_HELPER, bootstrap.c_str(), suffix.c_str(), instance.c_str(),
              delay.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool running() {
    if (reaped_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      status_ = status;
      return false;
    }
    return true;
  }
  // Sends `sig` and returns the wait status.
  int signal_and_wait(int sig) {
    if (!reaped_) {
      ::kill(pid_, sig);
      ::waitpid(pid_, &status_, 0);
      reaped_ = true;
    }
    return status_;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

class KafkaIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    bootstrap_ = testing::bootstrap_from_env();
    ASSERT_FALSE(bootstrap_.empty())
        << "SM_KAFKA_BOOTSTRAP is not set: run through ctest (its `kafka` fixture runs deploy/kafka/local-broker "
           "start), or start the broker yourself and export SM_KAFKA_BOOTSTRAP=$(deploy/kafka/local-broker bootstrap)";
    suffix_ = testing::random_suffix();
    config_ = testing::test_config(bootstrap_, suffix_);
  }

  void create_topics(int partitions) {
    partitions_ = partitions;
    auto admin = TopicAdmin::create(config_);
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    const auto specs = standard_topics(config_, partitions, 1);
    const auto err = admin->ensure_topics(specs);
    ASSERT_FALSE(err) << err->code << ": " << err->message;
    // Idempotent: asking again for topics that exist is fine.
    const auto again = admin->ensure_topics(specs);
    ASSERT_FALSE(again) << again->message;
    auto n = admin->partition_count(config_.topic(OutputKind::kChangelog));
    ASSERT_TRUE(n.ok()) << n.error().message;
    ASSERT_EQ(*n, partitions);
  }

  // `count` inputs k0..k<count-1>, round-robin over the partitions; every `bad_every`-th value starts with BAD.
  void produce(int count, int bad_every = 0) {
    inputs_.clear();
    for (int i = 0; i < count; ++i) {
      const bool bad = bad_every > 0 && i % bad_every == bad_every - 1;
      inputs_.push_back(InputSpec{"k" + std::to_string(i), (bad ? "BAD-" : "v-") + std::to_string(i),
                                  i % partitions_, {{"trace-id", "t" + std::to_string(i)}}});
    }
    const auto err = testing::produce_inputs(bootstrap_, config_.input_topic, inputs_);
    ASSERT_FALSE(err) << err->message;
  }

  // The group's committed offsets summed over the partitions, or -1 while they cannot be read: after a kill the
  // broker holds the answer back (the dead producer's offsets are pending) until the next incarnation's
  // init_transactions aborts that transaction.
  std::int64_t committed() {
    auto total = testing::committed_total(bootstrap_, config_.group_id, config_.input_topic, partitions_);
    return total.ok() ? *total : -1;
  }

  std::vector<SeenRecord> read(OutputKind kind, bool read_committed = true) {
    auto records = testing::kcat_read(bootstrap_, config_.topic(kind), read_committed);
    EXPECT_TRUE(records.ok()) << records.error().message;
    return records.ok() ? *records : std::vector<SeenRecord>{};
  }

  // The exactly-once property, as a read_committed reader sees the outputs: one alert per good input, keyed by
  // it and in its partition; per partition the alerts carry the processor's counts 1..n once each (so the state
  // restored after each crash or move matched the committed outputs); the changelog's last count per partition
  // is that partition's number of inputs.
  void expect_exactly_once() {
    std::map<std::int32_t, std::int64_t> per_partition;
    std::map<std::string, const InputSpec*> good;
    for (const auto& in : inputs_) {
      ++per_partition[in.partition];
      if (!in.value.starts_with("BAD")) good[in.key] = &in;
    }
    const auto alerts = read(OutputKind::kAlert);
    EXPECT_EQ(alerts.size(), good.size()) << "alerts as read_committed";
    std::map<std::string, int> seen;
    std::map<std::int32_t, std::vector<std::int64_t>> counts;
    for (const auto& a : alerts) {
      ++seen[a.key];
      auto it = good.find(a.key);
      if (it == good.end()) {
        ADD_FAILURE() << "alert for an unknown or bad input: " << a.key;
        continue;
      }
      const std::string expect_prefix = std::to_string(it->second->partition) + ":";
      EXPECT_TRUE(a.value.starts_with(expect_prefix)) << a.value;
      EXPECT_TRUE(a.value.ends_with(":" + it->second->value)) << a.value;
      const auto first = a.value.find(':');
      const auto second = a.value.find(':', first + 1);
      counts[it->second->partition].push_back(std::stoll(a.value.substr(first + 1, second - first - 1)));
    }
    int duplicates = 0;
    for (const auto& [key, n] : seen) duplicates += n > 1 ? 1 : 0;
    EXPECT_EQ(duplicates, 0) << "inputs with more than one committed alert";
    EXPECT_EQ(seen.size(), good.size()) << "inputs with at least one committed alert";

    const bool any_bad = good.size() != inputs_.size();
    if (!any_bad) {  // Without dead letters every count of a partition shows in its alerts.
      for (const auto& [p, n] : per_partition) {
        auto& c = counts[p];
        std::sort(c.begin(), c.end());
        std::vector<std::int64_t> expected(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) expected[static_cast<std::size_t>(i)] = i + 1;
        EXPECT_EQ(c, expected) << "counts in the alerts of partition " << p;
      }
    }

    std::map<std::int32_t, std::int64_t> last_state;
    for (const auto& r : read(OutputKind::kChangelog)) {
      EXPECT_EQ(r.key, "count-" + std::to_string(r.partition)) << "state in its own changelog partition";
      last_state[r.partition] = std::stoll(r.value);
    }
    EXPECT_EQ(last_state, per_partition) << "changelog count per partition = inputs of that partition";
  }

  std::string bootstrap_;
  std::string suffix_;
  KafkaConfig config_;
  int partitions_ = 1;
  std::vector<InputSpec> inputs_;
};

// (a) One alert per good input, the bad ones in the DLQ with the original bytes, headers and the reason.
TEST_F(KafkaIntegration, EveryInputGivesExactlyOneOutputAndBadOnesGoToTheDeadLetterTopic) {
  create_topics(3);
  produce(600, 10);
  Running r(config_, {});
  const bool done = wait_for([&] { return r.finished() || committed() == 600; });
  const auto error = r.stop();
  ASSERT_TRUE(done) << "committed offsets stayed at " << committed();
  ASSERT_FALSE(error) << error->code << ": " << error->message;

  expect_exactly_once();
  const auto dlq = read(OutputKind::kDeadLetter);
  ASSERT_EQ(dlq.size(), 60u);
  std::set<std::string> dlq_keys;
  for (const auto& d : dlq) {
    dlq_keys.insert(d.key);
    const int i = std::stoi(d.key.substr(1));
    EXPECT_EQ(i % 10, 9) << d.key;
    EXPECT_EQ(d.value, "BAD-" + std::to_string(i));
    EXPECT_EQ(d.partition >= 0, true);
    EXPECT_EQ(d.header("trace-id"), "t" + std::to_string(i));
    EXPECT_EQ(d.header("sm.error.message"), "value starts with BAD");
    EXPECT_EQ(d.header("__connect.errors.exception.message"), "test: value starts with BAD");
    EXPECT_EQ(d.header("__connect.errors.topic"), config_.input_topic);
    EXPECT_EQ(d.header("__connect.errors.partition"), std::to_string(i % 3));
    // Inputs go round-robin, so input i sits at offset i / 3 of partition i % 3.
    EXPECT_EQ(d.header("__connect.errors.offset"), std::to_string(i / 3));
  }
  EXPECT_EQ(dlq_keys.size(), 60u);

  const auto& c = r.runner.counters();
  EXPECT_EQ(c.consumed.load(), 600u);
  EXPECT_EQ(c.produced[kind_index(OutputKind::kAlert)].load(), 540u);
  EXPECT_EQ(c.produced[kind_index(OutputKind::kDeadLetter)].load(), 60u);
  EXPECT_GE(c.transactions_committed.load(), 1u);
  EXPECT_EQ(c.transactions_aborted.load(), 0u);
}

// (b) kill -9 mid-stream, three times, then a clean finish: still exactly once, state consistent with outputs.
TEST_F(KafkaIntegration, KilledMidStreamAndRestartedStillExactlyOnce) {
  create_topics(3);
  produce(2400);
  std::mt19937 rng(std::random_device{}());
  std::int64_t progress = 0;
  for (int kill = 0; kill < 3; ++kill) {
    Child child(bootstrap_, suffix_, "crashy", 1500);
    // Kill only after this incarnation committed something new, so that each restart happens mid-stream.
    std::int64_t now = -1;
    const bool advanced = wait_for([&] {
      now = committed();
      return !child.running() || now >= progress + 300;
    });
    ASSERT_TRUE(child.running()) << "the helper exited on its own (status " << child.signal_and_wait(0) << ")";
    ASSERT_TRUE(advanced) << "no progress after kill " << kill << " (committed " << now << ")";
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 150)(rng)));
    const int status = child.signal_and_wait(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
    progress = now;
    ASSERT_LT(progress, 2400) << "finished before kill " << kill << ": make the stream longer";
  }
  Child last(bootstrap_, suffix_, "crashy", 1500);
  ASSERT_TRUE(wait_for([&] { return !last.running() || committed() == 2400; })) << "committed " << committed();
  ASSERT_TRUE(last.running()) << "the helper exited on its own";
  const int status = last.signal_and_wait(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;

  expect_exactly_once();
  // The kills left aborted outputs behind; a read_uncommitted reader sees them, so the check above meant something.
  const auto uncommitted = read(OutputKind::kAlert, /*read_committed=*/false);
  EXPECT_GT(uncommitted.size(), 2400u) << "no kill landed inside an open transaction";
}

// (c) Two members share the partitions; one leaves mid-stream; the other takes over its partitions and state.
TEST_F(KafkaIntegration, TwoInstancesInOneGroupOneStoppedMidStreamStillExactlyOnce) {
  create_topics(4);
  produce(2400);
  KafkaConfig config_b = testing::test_config(bootstrap_, suffix_, "b");
  Running a(config_, std::chrono::microseconds(1000));
  ASSERT_TRUE(wait_for([&] { return a.finished() || a.runner.counters().consumed.load() >= 100; }));
  ASSERT_FALSE(a.finished()) << a.result.get()->message;
  {
    Running b(config_b, std::chrono::microseconds(1000));
    const bool shared =
        wait_for([&] { return a.finished() || b.finished() || b.runner.counters().consumed.load() >= 200; });
    const auto error_b = b.stop();
    ASSERT_TRUE(shared) << "the second member never got partitions";
    ASSERT_FALSE(error_b) << error_b->code << ": " << error_b->message;
    EXPECT_GT(b.runner.counters().transactions_committed.load(), 0u);
  }
  ASSERT_LT(committed(), 2400) << "finished before the second member left: make the stream longer";
  const bool done = wait_for([&] { return a.finished() || committed() == 2400; });
  const auto error_a = a.stop();
  ASSERT_TRUE(done) << "committed " << committed();
  ASSERT_FALSE(error_a) << error_a->code << ": " << error_a->message;

  expect_exactly_once();
  // A gave partitions away and took them back, restoring the state the other member had committed.
  EXPECT_GE(a.runner.counters().rebalances.load(), 3u);
  EXPECT_GT(a.processor.restored.load(), 0u);
  EXPECT_EQ(a.processor.foreign_restores.load(), 0u);
}

// (d) A second runner with the same transactional.id fences the first, which stops with a clear error.
TEST_F(KafkaIntegration, SameTransactionalIdFencesTheOlderRunner) {
  create_topics(2);
  produce(2400);
  Running first(config_, std::chrono::microseconds(1000));
  ASSERT_TRUE(
      wait_for([&] { return first.finished() || first.runner.counters().transactions_committed.load() >= 2; }));
  ASSERT_FALSE(first.finished()) << "stopped before the second runner started: " << first.result.get()->message;
  Running second(config_, std::chrono::microseconds(1000));  // Same instance id, so same transactional.id.
  ASSERT_EQ(first.result.wait_for(kPatience), std::future_status::ready) << "the fenced runner kept running";
  const auto fenced = first.result.get();
  ASSERT_TRUE(fenced) << "the older runner stopped without an error";
  EXPECT_EQ(fenced->code, "fenced") << fenced->message;
  EXPECT_NE(fenced->message.find(config_.transactional_id()), std::string::npos) << fenced->message;

  const bool done = wait_for([&] { return second.finished() || committed() == 2400; });
  const auto error = second.stop();
  ASSERT_TRUE(done) << "committed " << committed();
  ASSERT_FALSE(error) << error->code << ": " << error->message;
  expect_exactly_once();
}

}  // namespace
}  // namespace sm::kafka
