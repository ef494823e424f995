#pragma once

#include <string>
#include <vector>

namespace sm::app {

// Each subcommand takes its own arguments (without the subcommand name) and returns the process exit code:
// 0 success, 1 runtime failure (reported on stderr), 2 usage or configuration error.
using Args = std::vector<std::string>;

int replay_command(const Args& args);
int screen_command(const Args& args);
int compare_command(const Args& args);
int generate_command(const Args& args);
int lists_command(const Args& args);
int config_command(const Args& args);
int run_command(const Args& args);
int demo_command(const Args& args);
int topics_command(const Args& args);

// The configuration used when --config is not given: deploy/sanctions-monitor.toml beside the binary's source
// tree (SM_DEFAULT_CONFIG at build time), or SM_CONFIG from the environment.
std::string default_config_path();

}  // namespace sm::app
