// kafka_runner_helper: one TransactionalRunner with the CountingProcessor, in its own process, so that the
// integration tests can kill -9 it mid-transaction. SIGTERM/SIGINT stop it cleanly.
//   kafka_runner_helper <bootstrap> <topic suffix> <instance id> <delay per record, µs>
// Exit status: 0 after a clean stop, 3 when fenced, 2 on any other error, 64 on bad usage.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "kafka/transactional_runner.h"
#include "unit/kafka/counting_processor.h"
#include "unit/kafka/kafka_test_support.h"

namespace {

std::atomic<sm::kafka::TransactionalRunner*> g_runner{nullptr};

extern "C" void on_signal(int) {
  // stop() only sets an atomic flag: safe in a signal handler.
  if (auto* r = g_runner.load()) r->stop();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: kafka_runner_helper <bootstrap> <suffix> <instance> <delay-us>\n";
    return 64;
  }
  spdlog::set_default_logger(spdlog::stderr_logger_mt("helper"));
  spdlog::set_pattern("[%H:%M:%S.%e] [helper " + std::string(argv[3]) + "] [%l] %v");
  auto config = sm::kafka::testing::test_config(argv[1], argv[2], argv[3]);
  // This helper exists to be killed inside an open transaction, and the test checks that a kill did land in one by
  // finding that transaction's aborted records with a read_uncommitted reader. The runner's default linger (50 ms,
  // half the commit interval) keeps the newest records in the client, so a kill early in a transaction could leave
  // nothing on the broker to find; a 5 ms linger sends them almost at once.
  config.producer_properties["linger.ms"] = "5";
  sm::kafka::testing::CountingProcessor processor(std::chrono::microseconds(std::atoll(argv[4])));
  sm::kafka::TransactionalRunner runner(config, processor);
  g_runner.store(&runner);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  const auto error = runner.run();
  g_runner.store(nullptr);
  if (!error) return 0;
  std::cerr << "kafka_runner_helper: " << error->code << ": " << error->message << "\n";
  return error->code == "fenced" ? 3 : 2;
}
