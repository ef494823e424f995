// kafka_throughput_probe: how fast the exactly-once runner moves records through a real broker, with the
// trivial CountingProcessor (so the numbers are the transport's own cost). Not a test: it asserts nothing.
//   kafka_throughput_probe <bootstrap> [records=200000] [partitions=4] [value bytes=200] [commit ms=100]
#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <thread>

#include "kafka/topic_admin.h"
#include "kafka/transactional_runner.h"
#include "unit/kafka/counting_processor.h"
#include "unit/kafka/kafka_test_support.h"

int main(int argc, char** argv) {
  using namespace sm::kafka;
  using Clock = std::chrono::steady_clock;
  if (argc < 2) {
    std::cerr << "usage: kafka_throughput_probe <bootstrap> [records] [partitions] [value-bytes] [commit-ms]\n";
    return 64;
  }
  const std::string bootstrap = argv[1];
  const int records = argc > 2 ? std::atoi(argv[2]) : 200'000;
  const int partitions = argc > 3 ? std::atoi(argv[3]) : 4;
  const int value_bytes = argc > 4 ? std::atoi(argv[4]) : 200;
  auto config = testing::test_config(bootstrap, testing::random_suffix());
  config.commit_interval = std::chrono::milliseconds(argc > 5 ? std::atoi(argv[5]) : 100);

  auto admin = TopicAdmin::create(config);
  if (!admin) return std::cerr << admin.error().message << "\n", 1;
  if (auto err = admin->ensure_topics(standard_topics(config, partitions, 1))) return std::cerr << err->message << "\n", 1;

  std::vector<testing::InputSpec> inputs;
  inputs.reserve(static_cast<std::size_t>(records));
  const std::string filler(static_cast<std::size_t>(value_bytes), 'x');
  for (int i = 0; i < records; ++i) inputs.push_back({"k" + std::to_string(i), filler, i % partitions, {}});
  auto t0 = Clock::now();
  if (auto err = testing::produce_inputs(bootstrap, config.input_topic, inputs)) return std::cerr << err->message << "\n", 1;
  const double produce_s = std::chrono::duration<double>(Clock::now() - t0).count();

  testing::CountingProcessor processor;
  TransactionalRunner runner(config, processor);
  auto result = std::async(std::launch::async, [&] { return runner.run(); });
  // Start the clock at the first record, so that group join and restore are not counted.
  while (runner.counters().consumed.load() == 0 && result.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready) {
  }
  t0 = Clock::now();
  auto committed = [&] {
    std::int64_t sum = 0;
    for (const auto& [p, n] : processor.last_committed_counts()) sum += n;
    return sum;
  };
  while (committed() < records && result.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
  }
  const double run_s = std::chrono::duration<double>(Clock::now() - t0).count();
  runner.stop();
  if (auto err = result.get()) return std::cerr << err->code << ": " << err->message << "\n", 1;

  const auto& c = runner.counters();
  std::cout << records << " records of " << value_bytes << " B over " << partitions << " partitions, commit every "
            << config.commit_interval.count() << " ms\n"
            << "  input produced (plain idempotent producer): " << static_cast<int>(records / produce_s) << " records/s\n"
            << "  consume-process-produce, exactly once:      " << static_cast<int>(records / run_s) << " records/s ("
            << run_s << " s)\n"
            << "  transactions committed: " << c.transactions_committed.load()
            << ", aborted: " << c.transactions_aborted.load()
            << ", back-pressure waits: " << c.backpressure_waits.load() << "\n";
  return 0;
}
