// Client-state tests against librdkafka's in-process mock cluster: wiring, routing, headers, callbacks and a clean
// stop. The mock cannot prove exactly-once (it shows aborted records and stores no transactional offsets); the
// integration tests do that against a real broker.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <set>
#include <thread>

#include "kafka/mock_cluster.h"
#include "kafka/transactional_runner.h"
#include "unit/kafka/counting_processor.h"
#include "unit/kafka/kafka_test_support.h"

namespace sm::kafka {
namespace {

using testing::CountingProcessor;
using testing::InputSpec;

// Waits for `done` while the runner runs; a generous guard against hangs, not a timing requirement.
template <typename Pred>
bool wait_for(Pred done, std::chrono::seconds limit = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

MockCluster start_cluster_with(const KafkaConfig& c, int partitions) {
  auto cluster = MockCluster::start();
  EXPECT_TRUE(cluster.ok()) << cluster.error().message;
  EXPECT_FALSE(cluster->create_topic(c.input_topic, partitions));
  for (const auto& t : c.output_topics) EXPECT_FALSE(cluster->create_topic(t, partitions));
  return std::move(cluster.value());
}

TEST(MockCluster, AnotherProcessSeesItsTopics) {
  auto cluster = MockCluster::start();
  ASSERT_TRUE(cluster.ok()) << cluster.error().message;
  ASSERT_FALSE(cluster->bootstrap().empty());
  ASSERT_FALSE(cluster->create_topic("mock.topic.x", 3));
  std::FILE* pipe = ::popen(("kcat -L -b " + cluster->bootstrap() + " -t mock.topic.x 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[1024];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  ASSERT_EQ(::pclose(pipe), 0) << out;
  EXPECT_NE(out.find("topic \"mock.topic.x\" with 3 partitions"), std::string::npos) << out;
}

TEST(TransactionalRunnerMock, RoutesOutputsDeadLettersAndChangelogAndStopsCleanly) {
  const auto c = testing::test_config("", testing::random_suffix());
  MockCluster cluster = start_cluster_with(c, 2);
  KafkaConfig config = c;
  config.bootstrap_servers = cluster.bootstrap();

  std::vector<InputSpec> inputs;
  for (int i = 0; i < 40; ++i) {
    InputSpec in{"k" + std::to_string(i), (i % 4 == 3 ? "BAD-" : "ok-") + std::to_string(i), i % 2,
                 {{"trace-id", "t" + std::to_string(i)}}};
    inputs.push_back(std::move(in));
  }
  ASSERT_FALSE(testing::produce_inputs(config.bootstrap_servers, config.input_topic, inputs));

  CountingProcessor processor;
  TransactionalRunner runner(config, processor);
  auto result = std::async(std::launch::async, [&] { return runner.run(); });
  const bool consumed_all = wait_for([&] {
    return runner.counters().consumed.load() >= inputs.size() && runner.counters().transactions_committed.load() > 0 &&
           processor.commits.load() > 0 && runner.counters().produced[kind_index(pipeline::OutputKind::kChangelog)] >= 2;
  });
  runner.stop();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(60)), std::future_status::ready) << "stop() did not end run()";
  const auto error = result.get();
  ASSERT_FALSE(error) << error->code << ": " << error->message;
  ASSERT_TRUE(consumed_all) << "consumed " << runner.counters().consumed.load();

  EXPECT_EQ(runner.counters().consumed.load(), 40u);
  EXPECT_EQ(runner.counters().produced[kind_index(pipeline::OutputKind::kAlert)].load(), 30u);
  EXPECT_EQ(runner.counters().produced[kind_index(pipeline::OutputKind::kDeadLetter)].load(), 10u);
  EXPECT_GE(runner.counters().rebalances.load(), 2u);  // Assigned at start, revoked at close.
  EXPECT_EQ(runner.counters().transactions_aborted.load(), 0u);
  EXPECT_EQ(processor.assignments.load(), 1u);
  EXPECT_EQ(processor.revocations.load(), 1u);
  EXPECT_TRUE(processor.assigned().empty());  // on_revoked ran when the consumer closed.
  EXPECT_GT(processor.ticks.load(), 0u);

  auto alerts = testing::kcat_read(config.bootstrap_servers, config.topic(pipeline::OutputKind::kAlert), false);
  ASSERT_TRUE(alerts.ok()) << alerts.error().message;
  std::set<std::string> keys;
  for (const auto& r : *alerts) keys.insert(r.key);
  EXPECT_EQ(alerts->size(), 30u);
  EXPECT_EQ(keys.size(), 30u);

  auto dlq = testing::kcat_read(config.bootstrap_servers, config.topic(pipeline::OutputKind::kDeadLetter), false);
  ASSERT_TRUE(dlq.ok()) << dlq.error().message;
  ASSERT_EQ(dlq->size(), 10u);
  for (const auto& r : *dlq) {
    const int i = std::stoi(r.key.substr(1));
    EXPECT_EQ(r.value, "BAD-" + std::to_string(i)) << "the original bytes";
    EXPECT_EQ(r.header("trace-id"), "t" + std::to_string(i)) << "the original headers";
    EXPECT_EQ(r.header("sm.error.message"), "value starts with BAD") << "the processor's headers";
    EXPECT_EQ(r.header("__connect.errors.topic"), config.input_topic);
    EXPECT_EQ(r.header("__connect.errors.partition"), std::to_string(i % 2));
    EXPECT_FALSE(r.header("__connect.errors.offset").empty());
    EXPECT_EQ(r.header("__connect.errors.exception.message"), "test: value starts with BAD");
  }

  auto changelog = testing::kcat_read(config.bootstrap_servers, config.topic(pipeline::OutputKind::kChangelog), false);
  ASSERT_TRUE(changelog.ok()) << changelog.error().message;
  ASSERT_FALSE(changelog->empty());
  for (const auto& r : *changelog) {
    EXPECT_EQ(r.key, "count-" + std::to_string(r.partition)) << "state written to its own partition";
  }
}

// A delivery that fails for good makes the transaction abortable: the runner aborts, the processor rolls its state
// back, and the consumed records are delivered again from the committed offsets (here: the start, since nothing
// was committed before). Counting each input once in the state proves both the rollback and the rewind.
TEST(TransactionalRunnerMock, FailedDeliveryAbortsRollsBackAndRedelivers) {
  const auto c = testing::test_config("", testing::random_suffix());
  MockCluster cluster = start_cluster_with(c, 1);
  KafkaConfig config = c;
  config.bootstrap_servers = cluster.bootstrap();
  std::vector<InputSpec> inputs;
  for (int i = 0; i < 20; ++i) inputs.push_back(InputSpec{"k" + std::to_string(i), "v" + std::to_string(i), 0, {}});
  ASSERT_FALSE(testing::produce_inputs(config.bootstrap_servers, config.input_topic, inputs));
  cluster.fail_requests(0 /* Produce */, {10 /* MESSAGE_TOO_LARGE */});

  CountingProcessor processor;
  TransactionalRunner runner(config, processor);
  auto result = std::async(std::launch::async, [&] { return runner.run(); });
  const bool done = wait_for([&] {
    const auto committed = processor.last_committed_counts();
    return committed.count(0) != 0 && committed.at(0) >= 20;
  });
  runner.stop();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  const auto error = result.get();
  ASSERT_FALSE(error) << error->code << ": " << error->message;
  ASSERT_TRUE(done) << "never committed all 20";

  EXPECT_GE(runner.counters().transactions_aborted.load(), 1u);
  EXPECT_GE(processor.aborts.load(), 1u);
  EXPECT_GT(runner.counters().consumed.load(), 20u) << "the aborted records were delivered again";
  EXPECT_EQ(processor.last_committed_counts().at(0), 20) << "each input counted once in the committed state";
}

// Back-pressure: no transaction holds more than max_in_flight inputs, and a full producer queue makes the runner
// wait (and count it) instead of growing memory or dropping outputs.
TEST(TransactionalRunnerMock, BoundsInFlightWork) {
  const auto c = testing::test_config("", testing::random_suffix());
  MockCluster cluster = start_cluster_with(c, 2);
  KafkaConfig config = c;
  config.bootstrap_servers = cluster.bootstrap();
  config.max_in_flight = 5;
  config.commit_interval = std::chrono::milliseconds(60'000);  // Only the bound can trigger commits.
  config.producer_properties["queue.buffering.max.messages"] = "2";
  std::vector<InputSpec> inputs;
  for (int i = 0; i < 40; ++i) {
    inputs.push_back(InputSpec{"k" + std::to_string(i), "v" + std::to_string(i), i % 2, {}});
  }
  ASSERT_FALSE(testing::produce_inputs(config.bootstrap_servers, config.input_topic, inputs));

  CountingProcessor processor;
  TransactionalRunner runner(config, processor);
  auto result = std::async(std::launch::async, [&] { return runner.run(); });
  const bool done = wait_for([&] { return runner.counters().transactions_committed.load() >= 8; });
  runner.stop();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  const auto error = result.get();
  ASSERT_FALSE(error) << error->code << ": " << error->message;
  ASSERT_TRUE(done) << "committed " << runner.counters().transactions_committed.load() << " transactions";

  EXPECT_EQ(runner.counters().consumed.load(), 40u);
  EXPECT_EQ(runner.counters().produced[kind_index(pipeline::OutputKind::kAlert)].load(), 40u);
  EXPECT_GE(runner.counters().transactions_committed.load(), 8u) << "40 inputs, at most 5 per transaction";
  EXPECT_GT(runner.counters().backpressure_waits.load(), 0u);
}

TEST(TransactionalRunnerMock, BadPropertyIsReportedWithoutConnecting) {
  KafkaConfig config = testing::test_config("127.0.0.1:1", testing::random_suffix());
  config.properties["no.such.property"] = "1";
  CountingProcessor processor;
  TransactionalRunner runner(config, processor);
  const auto error = runner.run();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "bad_kafka_property");
  EXPECT_NE(error->message.find("no.such.property"), std::string::npos);
}

TEST(TransactionalRunnerMock, ChangelogWithFewerPartitionsThanInputIsRefused) {
  const auto c = testing::test_config("", testing::random_suffix());
  auto cluster = MockCluster::start();
  ASSERT_TRUE(cluster.ok());
  ASSERT_FALSE(cluster->create_topic(c.input_topic, 4));
  ASSERT_FALSE(cluster->create_topic(c.topic(pipeline::OutputKind::kChangelog), 2));
  KafkaConfig config = c;
  config.bootstrap_servers = cluster->bootstrap();
  CountingProcessor processor;
  TransactionalRunner runner(config, processor);
  const auto error = runner.run();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "kafka_topic");
  EXPECT_NE(error->message.find("fewer than the 4"), std::string::npos) << error->message;
}

TEST(TransactionalRunnerMock, StopRightAwayReturnsCleanly) {
  const auto c = testing::test_config("", testing::random_suffix());
  MockCluster cluster = start_cluster_with(c, 1);
  KafkaConfig config = c;
  config.bootstrap_servers = cluster.bootstrap();
  CountingProcessor processor;
  TransactionalRunner runner(config, processor);
  runner.stop();  // Before run(): run() sets up, sees the request and leaves.
  const auto error = runner.run();
  EXPECT_FALSE(error) << error->message;
  EXPECT_EQ(runner.counters().consumed.load(), 0u);
}

}  // namespace
}  // namespace sm::kafka
