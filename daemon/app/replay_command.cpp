#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/common.h"
#include "app/fx_rate_feed.h"
#include "app/merge_stage.h"
#include "pipeline/merge_processor.h"
#include "pipeline/partitioner.h"
#include "score/rule_set.h"

namespace sm::app {
namespace {

// Reads records one by one from a file of JSON lines or of length-delimited protobuf (varint length prefix).
class RecordReader {
 public:
  RecordReader(std::istream& in, decode::Format format) : in_(in), format_(format) {
    if (format_ == decode::Format::kAuto) {
      // JSON lines start with '{' (after blanks); anything else is length-delimited protobuf.
      int c = in_.peek();
      while (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        in_.get();
        ++line_;
        if (c != '\n') --line_;
        c = in_.peek();
      }
      format_ = c == '{' ? decode::Format::kJson : decode::Format::kProtobuf;
    }
  }

  // The next record, or false at the end. `number` is the line (JSON) or record ordinal (protobuf), from 1.
  bool next(std::string& record, std::int64_t& number, std::string& error) {
    if (format_ == decode::Format::kJson) {
      while (std::getline(in_, record)) {
        ++line_;
        if (!record.empty() && record.back() == '\r') record.pop_back();
        if (record.find_first_not_of(" \t") == std::string::npos) continue;
        number = line_;
        return true;
      }
      return false;
    }
    std::uint64_t length = 0;
    int shift = 0;
    for (;;) {
      const int c = in_.get();
      if (c == EOF) {
        if (shift != 0) error = "truncated length prefix at record " + std::to_string(line_ + 1);
        return false;
      }
      length |= static_cast<std::uint64_t>(c & 0x7F) << shift;
      if ((c & 0x80) == 0) break;
      shift += 7;
      if (shift > 35) {
        error = "bad length prefix at record " + std::to_string(line_ + 1);
        return false;
      }
    }
    if (length > std::uint64_t{64} * 1024 * 1024) {
      error = "record " + std::to_string(line_ + 1) + " claims " + std::to_string(length) + " bytes";
      return false;
    }
    record.resize(length);
    in_.read(record.data(), static_cast<std::streamsize>(length));
    if (static_cast<std::uint64_t>(in_.gcount()) != length) {
      error = "truncated record " + std::to_string(line_ + 1);
      return false;
    }
    number = ++line_;
    return true;
  }

  decode::Format format() const { return format_; }

 private:
  std::istream& in_;
  decode::Format format_;
  std::int64_t line_ = 0;
};

std::string header(const pipeline::Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

}  // namespace

int replay_command(const Args& args) {
  po::options_description options("replay options");
  options.add_options()
      ("input,i", po::value<std::string>()->required(), "events: JSON lines or length-delimited protobuf")
      ("config,c", po::value<std::string>()->default_value(default_config_path()), "configuration file")
      ("format", po::value<std::string>()->default_value("auto"), "input format: auto, json or protobuf")
      ("alerts-out", po::value<std::string>()->default_value("-"), "alerts as JSON lines (- for stdout)")
      ("aggregates-out", po::value<std::string>()->default_value("-"), "final aggregates as JSON lines (- for stdout)")
      ("rejects-out", po::value<std::string>(), "rejected records with line and reason, as JSON lines")
      ("late-out", po::value<std::string>(), "events that arrived after their window closed, as JSON lines")
      ("min-tier", po::value<std::string>(), "lowest tier written as an alert (low gives one alert per event)")
      ("partitions", po::value<int>()->default_value(1),
       "input partitions to simulate: each event goes to murmur2(shipmentId) % N, as a Kafka producer keyed by "
       "shipment id places it (an undecodable record to 0); each partition has its own stream time, and the "
       "aggregates are merged across partitions as the daemon merges them")
      ("fx-rates", po::value<std::string>(),
       "exchange rates over time: JSON lines of sanctions.v1.FxRate, the values of [aggregates] fx_rates_topic; "
       "each line is valued at the rate in force at its event's time (configured rates before the first)");
  int exit_code = 0;
  auto vm = parse_args("replay", args, options, nullptr, exit_code);
  if (!vm) return exit_code;

  auto loaded = load((*vm)["config"].as<std::string>());
  if (!loaded) return 2;
  pipeline::ProcessorOptions opts = processor_options(loaded->config);
  opts.output_format = config::OutputFormat::kJson;
  // One thread: the rejected and late records below are reported with the line being processed, so each
  // record's outputs must come out of its own process() call.
  opts.assess_threads = 1;
  if (vm->count("min-tier") != 0U) {
    opts.min_alert_tier = score::parse_tier((*vm)["min-tier"].as<std::string>());
    if (opts.min_alert_tier == sanctions::v1::RISK_TIER_UNSPECIFIED) {
      std::cerr << "replay: --min-tier must be low, medium, high or critical\n";
      return 2;
    }
  }
  const std::string format_name = (*vm)["format"].as<std::string>();
  decode::Format format = decode::Format::kAuto;
  if (format_name == "json") format = decode::Format::kJson;
  else if (format_name == "protobuf") format = decode::Format::kProtobuf;
  else if (format_name != "auto") {
    std::cerr << "replay: --format must be auto, json or protobuf\n";
    return 2;
  }
  opts.input_format = format;
  const int partitions = (*vm)["partitions"].as<int>();
  if (partitions < 1) {
    std::cerr << "replay: --partitions must be at least 1\n";
    return 2;
  }
  opts.source_partitions = partitions;
  opts.partial_partitions = 1;
  pipeline::MergeOptions merge_opts = merge_options(loaded->config);
  merge_opts.output_format = config::OutputFormat::kJson;

  const std::string input_path = (*vm)["input"].as<std::string>();
  std::ifstream input(input_path, std::ios::binary);
  if (!input) {
    std::cerr << "replay: cannot open " << input_path << "\n";
    return 1;
  }
  auto open_out = [](const std::string& path, std::ofstream& file) -> std::ostream* {
    if (path == "-") return &std::cout;
    file.open(path, std::ios::binary | std::ios::trunc);
    return file ? &file : nullptr;
  };
  std::ofstream alerts_file, aggregates_file, rejects_file, late_file;
  std::ostream* alerts = open_out((*vm)["alerts-out"].as<std::string>(), alerts_file);
  std::ostream* aggregates = open_out((*vm)["aggregates-out"].as<std::string>(), aggregates_file);
  std::ostream* rejects = vm->count("rejects-out") != 0U ? open_out((*vm)["rejects-out"].as<std::string>(), rejects_file) : nullptr;
  std::ostream* late = vm->count("late-out") != 0U ? open_out((*vm)["late-out"].as<std::string>(), late_file) : nullptr;
  if (alerts == nullptr || aggregates == nullptr || (vm->count("rejects-out") != 0U && rejects == nullptr) ||
      (vm->count("late-out") != 0U && late == nullptr)) {
    std::cerr << "replay: cannot open an output file\n";
    return 1;
  }

  std::shared_ptr<const aggregate::FxRateBook> fx_book;
  if (vm->count("fx-rates") != 0U) {
    auto book = load_fx_rates_file((*vm)["fx-rates"].as<std::string>(), loaded->config.aggregates.reporting_currency,
                                   std::cerr);
    if (!book) {
      std::cerr << "replay: " << book.error().message << "\n";
      return 1;
    }
    fx_book = std::move(*book);
  }
  pipeline::EngineProcessor processor(engine::with_fx_book(loaded->context, fx_book), opts);
  pipeline::MergeProcessor merge(merge_opts);
  RecordReader reader(input, format);
  const bool json_input = reader.format() == decode::Format::kJson;
  std::vector<pipeline::OutputRecord> out, merged;
  std::string record, error;
  std::int64_t number = 0, records = 0, alert_count = 0, aggregate_count = 0, rejected = 0, late_count = 0;
  // Stage 1's partials and watermarks go through the merge, as on Kafka (one partial partition suffices: the
  // merged result does not depend on how partials are partitioned).
  auto to_merge = [&](const pipeline::OutputRecord& o) {
    pipeline::InputRecord in;
    in.key = o.key;
    in.value = o.value;
    merge.process(in, merged);
    for (const auto& m : merged) {
      if (m.kind == pipeline::OutputKind::kAggregate) {
        *aggregates << m.value << '\n';
        ++aggregate_count;
      }
    }
    merged.clear();
  };
  auto drain = [&]() {
    for (const auto& o : out) {
      switch (o.kind) {
        case pipeline::OutputKind::kAlert: *alerts << o.value << '\n'; ++alert_count; break;
        case pipeline::OutputKind::kAggregate: to_merge(o); break;
        case pipeline::OutputKind::kDeadLetter: {
          ++rejected;
          const std::string where = json_input ? "line" : "record";
          std::cerr << "replay: " << input_path << " " << where << " " << number << ": rejected ("
                    << header(o.headers, "sm.error.code") << "): " << header(o.headers, "sm.error.message") << "\n";
          if (rejects != nullptr) {
            nlohmann::json j = {{where, number},
                                {"code", header(o.headers, "sm.error.code")},
                                {"field", header(o.headers, "sm.error.field")},
                                {"message", header(o.headers, "sm.error.message")}};
            if (json_input) j["record"] = o.value;
            else j["recordBytes"] = o.value.size();
            *rejects << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
          }
          break;
        }
        case pipeline::OutputKind::kLateEvent:
          ++late_count;
          if (late != nullptr) {
            nlohmann::json j = {{json_input ? "line" : "record", number}, {"windows", header(o.headers, "sm.late.windows")},
                                {"streamTime", header(o.headers, "sm.late.stream-time")}};
            *late << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
          }
          break;
        case pipeline::OutputKind::kChangelog: break;
      }
    }
    out.clear();
  };
  // Commits as the daemon does (here every 1,000 records): watermarks reach the merge, which then publishes the
  // windows closed on every partition, and the undo logs stay small. Changelog records are not needed here.
  auto commit = [&]() {
    processor.before_commit(out);
    drain();
    processor.on_committed();
    merge.before_commit(merged);
    merged.clear();
    merge.on_committed();
  };
  sanctions::v1::TradeEvent probe;
  while (reader.next(record, number, error)) {
    ++records;
    pipeline::InputRecord in;
    in.topic = input_path;
    in.offset = number;
    in.value = record;
    if (partitions > 1 && !decode::decode_event(record, reader.format(), loaded->context->iso, probe)) {
      in.partition = pipeline::kafka_partition(probe.shipment_id(), partitions);
    }
    processor.process(in, out);
    drain();
    if (records % 1000 == 0) commit();
  }
  processor.finish(out);
  drain();
  commit();
  if (!error.empty()) {
    std::cerr << "replay: " << input_path << ": " << error << "\n";
    return 1;
  }
  const auto& st = processor.stats();
  std::cerr << "replay: " << records << " records, " << st.processed.load() << " assessed, " << rejected
            << " rejected, " << late_count << " late; tiers LOW " << st.alerts_by_tier[1].load() << ", MEDIUM "
            << st.alerts_by_tier[2].load() << ", HIGH " << st.alerts_by_tier[3].load() << ", CRITICAL "
            << st.alerts_by_tier[4].load() << "; " << alert_count << " alerts and " << aggregate_count
            << " aggregates written; screening cache " << st.screening_cache_hits.load() << " hits, "
            << st.screening_cache_misses.load() << " misses; lists " << loaded->context->screener->version() << ", rules "
            << loaded->context->rules.version() << "\n";
  return 0;
}

}  // namespace sm::app
