#include <atomic>
#include <fmt/format.h>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/common.h"
#include "app/merge_stage.h"
#include "app/service.h"
#include "generate/event_generator.h"
#include "kafka/mock_cluster.h"
#include "kafka/plain_clients.h"
#include "kafka/topic_admin.h"

namespace sm::app {
namespace {

// One alert as a line an analyst can read at a glance: tier, score, shipment, corridor, why.
std::string describe_alert(const nlohmann::json& a) {
  std::string out = fmt::format("ALERT {:<8} {:>3}  {}  {}  {}", a.value("riskTier", "?"), a.value("riskScore", 0),
                                a.value("shipmentId", "?"), a.value("corridor", "?"), a.value("settlementCurrency", "-"));
  for (const auto& r : a.value("reasons", nlohmann::json::array())) {
    out += fmt::format("\n      {} +{}: {}", r.value("ruleId", ""), r.value("points", 0), r.value("detail", ""));
  }
  return out;
}

std::string describe_aggregate(const nlohmann::json& a) {
  return fmt::format("AGGREGATE {} {} {:<6} {:>6} events  {:>16} {}  national {:>5.1f}% (ex-energy {:>5.1f}%)  USD {:>5.1f}%{}",
                     a.value("windowSize", "?"), a.value("windowStart", "?"), a.value("corridor", "?"),
                     a.value("eventCount", std::string("0")), a["totalValue"].value("amount", "0"),
                     a["totalValue"].value("currency", ""), 100.0 * a.value("nationalCurrencyShare", 0.0),
                     100.0 * a.value("nationalCurrencyShareExEnergy", 0.0), 100.0 * a.value("usdShare", 0.0),
                     a.value("final", false) ? "  final" : "");
}

}  // namespace

int run_command(const Args& args) {
  po::options_description options("run options");
  options.add_options()("config,c", po::value<std::string>()->default_value(default_config_path()), "configuration file");
  int exit_code = 0;
  auto vm = parse_args("run", args, options, nullptr, exit_code);
  if (!vm) return exit_code;
  const std::string path = (*vm)["config"].as<std::string>();
  auto loaded = load(path);
  if (!loaded) return 2;
  configure_logging(loaded->config);
  const kafka::KafkaConfig kafka = kafka_config(loaded->config);
  ServiceOptions service;
  service.config_path = path;
  return run_service(std::move(*loaded), kafka, service);
}

int topics_command(const Args& args) {
  if (args.empty() || args[0] != "create") {
    std::cerr << "Usage: sanctions-monitor topics create [--config FILE] [--partitions N] [--replication-factor R]\n";
    return 2;
  }
  po::options_description options("topics create options");
  options.add_options()
      ("config,c", po::value<std::string>()->default_value(default_config_path()), "configuration file")
      ("partitions", po::value<int>()->default_value(6), "partitions of every topic (the changelog matches the input)")
      ("replication-factor", po::value<int>()->default_value(-1), "replication factor (-1: the broker's default)");
  int exit_code = 0;
  auto vm = parse_args("topics create", Args(args.begin() + 1, args.end()), options, nullptr, exit_code);
  if (!vm) return exit_code;
  auto cfg = config::load_config((*vm)["config"].as<std::string>());
  if (!cfg) {
    std::cerr << "configuration error:\n" << cfg.error().message << "\n";
    return 2;
  }
  const kafka::KafkaConfig kafka = kafka_config(*cfg);
  auto admin = kafka::TopicAdmin::create(kafka);
  if (!admin) {
    std::cerr << "topics: " << admin.error().message << "\n";
    return 1;
  }
  const auto specs = deployment_topics(*cfg, (*vm)["partitions"].as<int>(), (*vm)["replication-factor"].as<int>());
  if (auto error = admin->ensure_topics(specs)) {
    std::cerr << "topics: " << error->message << "\n";
    return 1;
  }
  for (const auto& s : specs) {
    std::cout << s.name << ": " << s.partitions << " partitions";
    for (const auto& [k, v] : s.configs) std::cout << ", " << k << "=" << v;
    std::cout << "\n";
  }
  return 0;
}

int demo_command(const Args& args) {
  po::options_description options("demo options");
  options.add_options()
      ("config,c", po::value<std::string>()->default_value(default_config_path()), "configuration file (its [kafka] section is replaced by the embedded cluster)")
      ("events,n", po::value<std::uint64_t>()->default_value(3000), "events to feed, then stop (0: until Ctrl-C)")
      ("rate", po::value<std::uint64_t>()->default_value(500), "events per second fed into the cluster")
      ("partitions", po::value<int>()->default_value(3), "partitions of the demo topics")
      ("quiet", "print the summary only, not every alert and aggregate");
  int exit_code = 0;
  auto vm = parse_args("demo", args, options, nullptr, exit_code);
  if (!vm) return exit_code;
  const std::string path = (*vm)["config"].as<std::string>();
  auto loaded = load(path, /*allow_sample_lists=*/true);
  if (!loaded) return 2;
  configure_logging(loaded->config);
  const bool quiet = vm->count("quiet") != 0U;
  const auto events = (*vm)["events"].as<std::uint64_t>();
  const auto rate = std::max<std::uint64_t>(1, (*vm)["rate"].as<std::uint64_t>());
  const int partitions = (*vm)["partitions"].as<int>();

  auto cluster = kafka::MockCluster::start(1);
  if (!cluster) {
    std::cerr << "demo: cannot start the embedded cluster: " << cluster.error().message << "\n";
    return 1;
  }
  // The demo's topics carry JSON so that kcat shows them as they are.
  loaded->config.kafka.bootstrap_servers = cluster->bootstrap();
  loaded->config.kafka.output_format = config::OutputFormat::kJson;
  loaded->config.kafka.transactional_id = "sanctions-monitor-demo";
  loaded->config.aggregates.emit_interval = std::chrono::seconds(2);
  loaded->config.http_address = "127.0.0.1:0";
  const kafka::KafkaConfig kafka = kafka_config(loaded->config);
  const std::string aggregates_topic = loaded->config.kafka.aggregates_topic;
  for (const auto& spec : deployment_topics(loaded->config, partitions)) {
    if (auto error = cluster->create_topic(spec.name, spec.partitions)) {
      std::cerr << "demo: " << error->message << "\n";
      return 1;
    }
  }
  std::cout << "Embedded Kafka-protocol cluster (librdkafka's mock cluster) at " << cluster->bootstrap() << "\n"
            << "Follow along from another shell:\n"
            << "  kcat -b " << cluster->bootstrap() << " -C -t " << kafka.topic(pipeline::OutputKind::kAlert) << "\n"
            << "  kcat -b " << cluster->bootstrap() << " -C -t " << aggregates_topic << "\n"
            << "  kcat -b " << cluster->bootstrap() << " -C -t " << kafka.topic(pipeline::OutputKind::kDeadLetter) << " -f '%h\\n%s\\n'\n"
            << std::flush;

  // Feeder: generated trade, 1% malformed, 2% with parties from the lists, at `rate` events per second.
  generate::GeneratorOptions g;
  g.seed = 2026;
  g.malformed_rate = 0.01;
  g.listed_party_rate = 0.02;
  g.late_rate = 0.005;
  g.listed_names = loaded->context->screener->entry_names({"RUSSIA-EO14024", "UKRAINE-EO13662", "UKRAINE-EO13660"}, 400);
  if (g.listed_names.empty()) g.listed_names = loaded->context->screener->entry_names({}, 400);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> fed{0};
  std::thread feeder([&] {
    auto producer = kafka::PlainProducer::create(cluster->bootstrap());
    if (!producer) {
      std::cerr << "demo: feeder: " << producer.error().message << "\n";
      return;
    }
    generate::EventGenerator generator(g);
    const auto start = std::chrono::steady_clock::now();
    while (!stop && (events == 0 || fed < events)) {
      const std::string line = generator.next_json_line();
      const std::string key = "k" + std::to_string(fed.load());
      if (auto error = producer->produce(kafka.input_topic, key, line)) {
        std::cerr << "demo: feeder: " << error->message << "\n";
        return;
      }
      ++fed;
      std::this_thread::sleep_until(start + std::chrono::microseconds(fed * 1'000'000 / rate));
    }
    producer->flush(std::chrono::seconds(10));
  });

  // Printer: an independent read_committed consumer of the output topics, as a downstream user would read them.
  std::atomic<std::uint64_t> alerts_seen{0}, aggregates_seen{0}, dead_letters_seen{0};
  std::atomic<bool> printer_stop{false};
  std::thread printer([&] {
    auto consumer = kafka::TailConsumer::create(cluster->bootstrap(),
                                                {kafka.topic(pipeline::OutputKind::kAlert), aggregates_topic,
                                                 kafka.topic(pipeline::OutputKind::kDeadLetter)});
    if (!consumer) {
      std::cerr << "demo: printer: " << consumer.error().message << "\n";
      return;
    }
    while (!printer_stop) {
      auto rec = consumer->poll(std::chrono::milliseconds(200));
      if (!rec) continue;
      if (rec->topic == kafka.topic(pipeline::OutputKind::kDeadLetter)) {
        ++dead_letters_seen;
        std::string reason;
        for (const auto& [k, v] : rec->headers) {
          if (k == "sm.error.message") reason = v;
        }
        if (!quiet) std::cout << "DEAD LETTER partition " << rec->partition << ": " << reason << "\n";
        continue;
      }
      const auto j = nlohmann::json::parse(rec->value, nullptr, false);
      if (j.is_discarded()) continue;
      if (rec->topic == kafka.topic(pipeline::OutputKind::kAlert)) {
        ++alerts_seen;
        if (!quiet) std::cout << describe_alert(j) << "\n";
      } else {
        ++aggregates_seen;
        if (!quiet && j.value("final", false)) std::cout << describe_aggregate(j) << "\n";
      }
    }
  });

  ServiceOptions service;
  service.config_path = path;
  service.allow_sample_lists = true;
  service.on_listening = [](std::uint16_t port) {
    std::cout << "Dashboard: http://127.0.0.1:" << port << "/\n"
              << "HTTP: http://127.0.0.1:" << port << "/metrics  /readyz  /v1/screen?name=...  /v1/alerts  /v1/aggregates\n"
              << std::flush;
  };
  // Finished once every fed record has been consumed (and committed on the way out).
  service.finished = [&](const kafka::RunnerCounters& rc) {
    return events != 0 && fed.load() >= events && rc.consumed.load() >= events;
  };
  const int result = run_service(std::move(*loaded), kafka, service);
  stop = true;
  feeder.join();
  std::this_thread::sleep_for(std::chrono::seconds(2));  // Let the printer read the last transaction.
  printer_stop = true;
  printer.join();
  std::cout << "\nDemo summary: " << fed.load() << " events fed; read back (read_committed) " << alerts_seen.load()
            << " alerts, " << aggregates_seen.load() << " aggregate records, " << dead_letters_seen.load()
            << " dead letters.\n";
  return result;
}

}  // namespace sm::app
