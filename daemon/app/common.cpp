#include "app/common.h"

#include <cstdlib>
#include <iostream>

namespace sm::app {

std::string default_config_path() {
  if (const char* env = std::getenv("SM_CONFIG"); env != nullptr && *env != '\0') return env;
  return SM_DEFAULT_CONFIG;
}

std::optional<po::variables_map> parse_args(const std::string& command, const Args& args,
                                            const po::options_description& options,
                                            const po::positional_options_description* positional, int& exit_code) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::command_line_parser parser(args);
    parser.options(all);
    if (positional != nullptr) parser.positional(*positional);
    po::store(parser.run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "sanctions-monitor " << command << ": " << e.what() << "\n\n" << all;
    exit_code = 2;
    return std::nullopt;
  }
  if (vm.count("help") != 0U) {
    std::cout << "Usage: sanctions-monitor " << command << " [options]\n\n" << all;
    exit_code = 0;
    return std::nullopt;
  }
  return vm;
}

std::optional<Loaded> load(const std::string& config_path, bool allow_sample_lists) {
  auto cfg = config::load_config(config_path);
  if (!cfg) {
    std::cerr << "configuration error:\n" << cfg.error().message << "\n";
    return std::nullopt;
  }
  auto ctx = engine::EngineContext::load(*cfg, allow_sample_lists);
  if (!ctx) {
    std::cerr << "cannot load what " << config_path << " names: " << ctx.error().message << "\n";
    return std::nullopt;
  }
  if ((*ctx)->using_sample_lists) {
    std::cerr << "NOTE: the configured sanctions lists were not found; screening against the FICTIONAL sample lists in "
              << cfg->sample_lists_dir << " instead. Alerts from them name no real party.\n";
  }
  return Loaded{std::move(*cfg), std::move(*ctx)};
}

pipeline::ProcessorOptions processor_options(const config::AppConfig& config) {
  pipeline::ProcessorOptions o;
  o.input_format = config.kafka.input_format == "json"       ? decode::Format::kJson
                   : config.kafka.input_format == "protobuf" ? decode::Format::kProtobuf
                                                             : decode::Format::kAuto;
  o.output_format = config.kafka.output_format;
  o.min_alert_tier = config.min_alert_tier;
  o.aggregates = config.aggregates;
  o.assess_threads = static_cast<std::size_t>(config.assess_threads);
  return o;
}

}  // namespace sm::app
