#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/common.h"
#include "app/screen_json.h"
#include "screen/name_similarity.h"

namespace sm::app {

int screen_command(const Args& args) {
  po::options_description options("screen options");
  options.add_options()
      ("config,c", po::value<std::string>()->default_value(default_config_path()), "configuration file")
      ("batch", po::value<std::string>(), "a file with one name per line")
      ("min-score", po::value<double>(), "lowest score shown (default: the rules' alert threshold)")
      ("limit", po::value<std::size_t>()->default_value(10), "most matches per name")
      ("name", po::value<std::vector<std::string>>(), "names to screen");
  po::positional_options_description positional;
  positional.add("name", -1);
  int exit_code = 0;
  auto vm = parse_args("screen", args, options, &positional, exit_code);
  if (!vm) return exit_code;

  std::vector<std::string> names;
  if (vm->count("name") != 0U) names = (*vm)["name"].as<std::vector<std::string>>();
  if (vm->count("batch") != 0U) {
    std::ifstream in((*vm)["batch"].as<std::string>());
    if (!in) {
      std::cerr << "screen: cannot open " << (*vm)["batch"].as<std::string>() << "\n";
      return 1;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) names.push_back(line);
    }
  }
  if (names.empty()) {
    std::cerr << "screen: give names as arguments or --batch FILE\n";
    return 2;
  }
  auto loaded = load((*vm)["config"].as<std::string>());
  if (!loaded) return 2;
  const auto& ctx = *loaded->context;
  const double min_score = vm->count("min-score") != 0U ? (*vm)["min-score"].as<double>() : ctx.rules.alert_threshold;
  for (const auto& name : names) {
    screen::Query q;
    q.name = name;
    const auto matches = ctx.screener->screen(q, min_score, (*vm)["limit"].as<std::size_t>());
    std::cout << dump_json(screening_json(ctx, name, matches)) << "\n";
  }
  return 0;
}

int compare_command(const Args& args) {
  po::options_description options("compare options");
  options.add_options()("names", po::value<std::vector<std::string>>(), "two names");
  po::positional_options_description positional;
  positional.add("names", 2);
  int exit_code = 0;
  auto vm = parse_args("compare", args, options, &positional, exit_code);
  if (!vm) return exit_code;
  if (vm->count("names") == 0U || (*vm)["names"].as<std::vector<std::string>>().size() != 2) {
    std::cerr << "compare: give exactly two names\n";
    return 2;
  }
  const auto& names = (*vm)["names"].as<std::vector<std::string>>();
  const auto c = screen::compare_names(names[0], names[1]);
  const nlohmann::json out = {{"left", names[0]},
                              {"right", names[1]},
                              {"score", c.score},
                              {"leftNormalised", c.left_normalised},
                              {"rightNormalised", c.right_normalised},
                              {"explanation", c.explanation}};
  std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return 0;
}

int lists_command(const Args& args) {
  if (args.empty() || args[0] != "check") {
    std::cerr << "Usage: sanctions-monitor lists check [--config FILE]\n";
    return 2;
  }
  po::options_description options("lists check options");
  options.add_options()("config,c", po::value<std::string>()->default_value(default_config_path()), "configuration file");
  int exit_code = 0;
  auto vm = parse_args("lists check", Args(args.begin() + 1, args.end()), options, nullptr, exit_code);
  if (!vm) return exit_code;
  auto loaded = load((*vm)["config"].as<std::string>());
  if (!loaded) return 1;
  std::cout << dump_json(lists_json(*loaded->context), 2) << "\n";
  return 0;
}

int config_command(const Args& args) {
  if (args.size() != 2 || args[0] != "check") {
    std::cerr << "Usage: sanctions-monitor config check FILE\n";
    return 2;
  }
  auto loaded = load(args[1]);
  if (!loaded) return 2;
  const auto& ctx = *loaded->context;
  std::cout << args[1] << ": OK (" << ctx.screener->summaries().size() << " lists, version " << ctx.screener->version()
            << "; " << ctx.rules.rules().size() << " rules, version " << ctx.rules.version() << "; "
            << ctx.goods.hs_code_count() << " HS codes; CHPL " << ctx.goods.chpl_version() << ")\n";
  return 0;
}

}  // namespace sm::app
