#pragma once

#include <boost/program_options.hpp>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "config/app_config.h"
#include "engine/engine.h"
#include "pipeline/engine_processor.h"

namespace sm::app {

namespace po = boost::program_options;

// Parses `args` against `options` (and positional ones); prints usage on --help or error.
// Returns nullopt when the command should exit with `exit_code`.
std::optional<po::variables_map> parse_args(const std::string& command, const Args& args,
                                            const po::options_description& options,
                                            const po::positional_options_description* positional, int& exit_code);

// Loads the configuration and the engine context it names, printing any error to stderr.
struct Loaded {
  config::AppConfig config;
  std::shared_ptr<const engine::EngineContext> context;
};
std::optional<Loaded> load(const std::string& config_path, bool allow_sample_lists = false);

// Processor options from the configuration.
pipeline::ProcessorOptions processor_options(const config::AppConfig& config);

}  // namespace sm::app
