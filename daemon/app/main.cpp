#include <cstring>
#include <iostream>
#include <map>

#include "app/commands.h"

namespace {

constexpr const char* kUsage = R"(sanctions-monitor: real-time secondary-sanctions screening of trade events

Usage: sanctions-monitor <command> [options]

Commands:
  demo       run the daemon on an embedded Kafka-protocol cluster fed with generated trade (no broker needed)
  run        the daemon: consume trade events from Kafka, publish alerts and aggregates exactly once
  replay     run the same engine over a file of events; alerts and aggregates as JSON lines
  screen     screen ad-hoc names against the configured sanctions lists
  compare    the similarity of two names, explained
  generate   synthetic, realistic trade events (JSON lines or length-delimited protobuf)
  lists      `lists check`: load the configured lists and print the load summary and version
  config     `config check FILE`: validate a configuration file and everything it names
  topics     `topics create`: create the input, output and changelog topics through the Kafka admin API

Run `sanctions-monitor <command> --help` for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::map<std::string, int (*)(const sm::app::Args&)> commands = {
      {"demo", sm::app::demo_command},         {"run", sm::app::run_command},
      {"replay", sm::app::replay_command},     {"screen", sm::app::screen_command},
      {"compare", sm::app::compare_command},   {"generate", sm::app::generate_command},
      {"lists", sm::app::lists_command},       {"config", sm::app::config_command},
      {"topics", sm::app::topics_command},
  };
  const auto it = commands.find(argv[1]);
  if (it == commands.end()) {
    std::cerr << "sanctions-monitor: unknown command \"" << argv[1] << "\"\n\n" << kUsage;
    return 2;
  }
  sm::app::Args args(argv + 2, argv + argc);
  try {
    return it->second(args);
  } catch (const std::exception& e) {
    std::cerr << "sanctions-monitor " << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
}
