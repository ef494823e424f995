#include <fstream>
#include <iostream>

#include "app/common.h"
#include "generate/event_generator.h"

namespace sm::app {

int generate_command(const Args& args) {
  po::options_description options("generate options");
  options.add_options()
      ("count,n", po::value<std::uint64_t>()->default_value(1000), "number of events")
      ("seed,s", po::value<std::uint64_t>()->default_value(1), "random seed (same seed, same events)")
      ("format", po::value<std::string>()->default_value("json"), "json (lines) or protobuf (length-delimited)")
      ("output,o", po::value<std::string>()->default_value("-"), "output file (- for stdout)")
      ("start", po::value<std::string>()->default_value("2026-03-01T00:00:00Z"), "event time of the first event")
      ("mean-gap", po::value<std::string>()->default_value("60s"), "mean event-time gap between events")
      ("listed-rate", po::value<double>()->default_value(0.02), "share of events with a party from the real lists")
      ("malformed-rate", po::value<double>()->default_value(0.0), "share of malformed records (json only)")
      ("late-rate", po::value<double>()->default_value(0.0), "share of events 1-48 h behind the stream")
      ("config,c", po::value<std::string>()->default_value(default_config_path()),
       "configuration whose lists supply listed parties");
  int exit_code = 0;
  auto vm = parse_args("generate", args, options, nullptr, exit_code);
  if (!vm) return exit_code;
  const std::string format = (*vm)["format"].as<std::string>();
  if (format != "json" && format != "protobuf") {
    std::cerr << "generate: --format must be json or protobuf\n";
    return 2;
  }
  const auto gap = parse_duration((*vm)["mean-gap"].as<std::string>());
  if (!gap || !parse_rfc3339((*vm)["start"].as<std::string>())) {
    std::cerr << "generate: --start must be RFC 3339 and --mean-gap a duration such as 60s\n";
    return 2;
  }
  generate::GeneratorOptions o;
  o.seed = (*vm)["seed"].as<std::uint64_t>();
  o.start_time = (*vm)["start"].as<std::string>();
  o.mean_gap_ms = gap->count();
  o.listed_party_rate = (*vm)["listed-rate"].as<double>();
  o.malformed_rate = (*vm)["malformed-rate"].as<double>();
  o.late_rate = (*vm)["late-rate"].as<double>();
  if (o.listed_party_rate > 0) {
    auto loaded = load((*vm)["config"].as<std::string>(), /*allow_sample_lists=*/true);
    if (!loaded) return 2;
    o.listed_names = loaded->context->screener->entry_names({"RUSSIA-EO14024", "UKRAINE-EO13662", "UKRAINE-EO13660"}, 400);
    if (o.listed_names.empty()) o.listed_names = loaded->context->screener->entry_names({}, 400);
  }
  std::ofstream file;
  std::ostream* out = &std::cout;
  if ((*vm)["output"].as<std::string>() != "-") {
    file.open((*vm)["output"].as<std::string>(), std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "generate: cannot open " << (*vm)["output"].as<std::string>() << "\n";
      return 1;
    }
    out = &file;
  }
  generate::EventGenerator generator(o);
  const auto count = (*vm)["count"].as<std::uint64_t>();
  std::string bytes;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (format == "json") {
      *out << generator.next_json_line() << '\n';
      continue;
    }
    bytes.clear();
    generator.next().SerializeToString(&bytes);
    for (std::uint64_t n = bytes.size(); ; n >>= 7) {  // varint length prefix
      if (n < 0x80) {
        out->put(static_cast<char>(n));
        break;
      }
      out->put(static_cast<char>((n & 0x7F) | 0x80));
    }
    out->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  out->flush();
  return *out ? 0 : 1;
}

}  // namespace sm::app
