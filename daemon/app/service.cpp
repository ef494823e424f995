#include "app/service.h"

#include "app/screen_json.h"
#include "app/service_metrics.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/fx_rate_feed.h"
#include "app/merge_stage.h"
#include "app/stage_readiness.h"
#include "dashboard/committed_output_tap.h"
#include "dashboard/dashboard_feed.h"
#include "dashboard/dashboard_routes.h"
#include "kafka/transactional_runner.h"
#include "ops/http_server.h"
#include "ops/log_format.h"
#include "ops/metrics.h"
#include "ops/notifier.h"
#include "ops/ops_routes.h"
#include "ops/readiness.h"

namespace sm::app {
namespace {

namespace asio = boost::asio;
using ops::Readiness;

// A timer that calls `tick` every `period` until `tick` returns false.
void every(asio::steady_timer& timer, std::chrono::milliseconds period, std::function<bool()> tick) {
  timer.expires_after(period);
  timer.async_wait([&timer, period, tick = std::move(tick)](const boost::system::error_code& ec) mutable {
    if (ec || !tick()) return;
    every(timer, period, std::move(tick));
  });
}

}  // namespace

kafka::KafkaConfig kafka_config(const config::AppConfig& config) {
  const auto& k = config.kafka;
  kafka::KafkaConfig out;
  out.bootstrap_servers = k.bootstrap_servers;
  out.group_id = k.group_id;
  out.transactional_id_prefix = k.transactional_id;
  out.input_topic = k.input_topic;
  out.output_topics = {k.alerts_topic, k.partial_aggregates_topic, k.dead_letter_topic, k.late_events_topic, k.changelog_topic};
  out.commit_interval = k.commit_interval;
  out.max_in_flight = static_cast<std::size_t>(k.max_in_flight);
  out.properties = k.properties;
  return out;
}

void configure_logging(const config::AppConfig& config) {
  auto logger = spdlog::stderr_logger_mt("sanctions-monitor");
  logger->set_formatter(ops::make_log_formatter(ops::parse_log_format(config.log_format).value_or(ops::LogFormat::kText)));
  logger->set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_default_logger(logger);
}

int run_service(Loaded loaded, const kafka::KafkaConfig& kafka_config, const ServiceOptions& options) {
  // Before the loop, so it outlives it: handlers still queued when the loop is destroyed hold HTTP connections
  // whose destructors count themselves out in the registry's metrics.
  ops::MetricsRegistry registry;
  asio::io_context io;
  ops::Notifier notifier;
  Readiness readiness;
  readiness.declare(Readiness::kListsLoaded);
  readiness.declare(Readiness::kPartitionsAssigned, "not assigned yet");
  readiness.declare(Readiness::kMergeAssigned, "not assigned yet");
  readiness.declare(Readiness::kBrokerReachable, "no transaction committed yet");
  readiness.declare("running", "starting");
  notifier.status("loading lists");

  ProcessorMetrics processor_metrics(registry);
  auto processor_opts = processor_options(loaded.config);
  processor_opts.probe = &processor_metrics;
  if (auto err = discover_stage_partitions(kafka_config, processor_opts)) {
    spdlog::error("aggregates: cannot read the topics' partition counts: {}", err->message);
    return 1;
  }
  // The dashboard (docs/DASHBOARD.md) shows only what was committed to the topics: alerts as stage 1 commits them,
  // aggregates as the merge stage does. Each transport thread posts its committed batches to the loop, where the
  // feed lives.
  dashboard::FeedOptions feed_options;
  feed_options.format = loaded.config.kafka.output_format;
  dashboard::DashboardFeed feed(feed_options);
  const auto to_feed = [&io, &feed](dashboard::CommittedOutputs batch) {
    asio::post(io, [&feed, batch = std::move(batch)] { feed.publish(batch); });
  };
  // Aggregation stage 2 (docs/AGGREGATES.md).
  MergeStage merge_stage(loaded.config, kafka_config, processor_opts.partial_partitions, registry,
                         [&to_feed](pipeline::RecordProcessor& merge) {
                           return std::make_unique<dashboard::CommittedOutputTap>(
                               merge, std::vector{pipeline::OutputKind::kAggregate}, to_feed);
                         });
  // Rates over time from [aggregates] fx_rates_topic (docs/AGGREGATES.md): stage 1 starts once they are read.
  std::unique_ptr<FxRateFeed> fx_feed;
  if (!loaded.config.aggregates.fx_rates_topic.empty()) {
    fx_feed = std::make_unique<FxRateFeed>(loaded.config, kafka_config, registry, readiness);
  }
  const auto fx_book = fx_feed ? fx_feed->book() : nullptr;
  pipeline::EngineProcessor processor(engine::with_fx_book(loaded.context, fx_book), processor_opts);
  dashboard::CommittedOutputTap engine_tap(processor, {pipeline::OutputKind::kAlert}, to_feed);
  const auto& summaries = loaded.context->screener->summaries();
  std::size_t entries = 0;
  for (const auto& s : summaries) entries += s.entries;
  readiness.set(Readiness::kListsLoaded, true, fmt::format("{} lists, {} entries, version {}", summaries.size(), entries,
                                                            loaded.context->screener->version()));
  kafka::ConsumerLagTracker consumer_lag;
  kafka::KafkaConfig runner_config = kafka_config;
  runner_config.on_statistics = [&consumer_lag](std::string_view json) { consumer_lag.post(json); };
  kafka::TransactionalRunner runner(runner_config, engine_tap);
  register_service_metrics(registry, processor, runner, {&consumer_lag, &merge_stage.consumer_lag()});
  auto& reloads_failed = registry.counter("sanctions_monitor_reloads_failed_total", "Reloads refused (the old configuration kept serving).");
  auto& reloads = registry.counter("sanctions_monitor_reloads_total", "Reloads applied.");
  auto& list_entries = registry.gauge("sanctions_monitor_list_entries", "Entries in the loaded sanctions lists.");
  auto& list_loaded_at = registry.gauge("sanctions_monitor_lists_loaded_timestamp_seconds", "When the serving lists were loaded (Unix time).");
  list_entries.set(static_cast<double>(entries));
  list_loaded_at.set(static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch()).count()));
  readiness.export_metrics(registry);

  // HTTP endpoints.
  const auto host_port = ops::split_host_port(loaded.config.http_address);
  if (!host_port) {
    spdlog::error("http.address \"{}\" is not host:port", loaded.config.http_address);
    return 2;
  }
  ops::HttpServerOptions http_options;
  http_options.address = host_port->first;
  http_options.port = host_port->second;
  http_options.log_error = [](const std::string& e) { spdlog::warn("http handler failed: {}", e); };
  ops::HttpServer http(io, http_options, &registry);
  ops::add_ops_routes(http, readiness, registry);
  http.add_route("/v1/screen", [&processor](const ops::HttpRequest& req) {
    const auto name = req.query.get("name");
    if (!name || name->empty()) return ops::HttpResponse::json_error(400, "name is required: /v1/screen?name=...");
    const auto ctx = processor.context();
    screen::Query q;
    q.name = std::string(*name);
    return ops::HttpResponse::json(200, dump_json(screening_json(*ctx, q.name, ctx->screener->screen(q, ctx->rules.alert_threshold))));
  });
  http.add_route("/v1/lists", [&processor](const ops::HttpRequest&) {
    const auto ctx = processor.context();
    return ops::HttpResponse::json(200, dump_json(lists_json(*ctx)));
  });
  dashboard::add_dashboard_routes(http, feed);
  try {
    http.start();
  } catch (const std::exception& e) {
    spdlog::error("cannot listen on {}: {}", loaded.config.http_address, e.what());
    return 1;
  }
  spdlog::info("http: listening on {}:{} (dashboard at /; /healthz /readyz /metrics /v1/screen /v1/lists /v1/alerts /v1/aggregates /v1/events)", http_options.address, http.port());
  if (options.on_listening) options.on_listening(http.port());

  // The transport runs on its own thread; everything else on the event loop.
  std::optional<Error> runner_error;
  std::atomic<bool> runner_done{false};
  bool stopping = false;
  auto begin_stop = [&](std::string_view why) {
    if (stopping) return;
    stopping = true;
    spdlog::info("stopping ({}): finishing the open transaction", why);
    notifier.stopping();
    readiness.set("running", false, "stopping");
    runner.stop();
    merge_stage.stop();
    if (fx_feed) fx_feed->stop();
  };
  spdlog::info("kafka: consuming {} from {} as group {}, transactional id {}", kafka_config.input_topic,
               kafka_config.bootstrap_servers, kafka_config.group_id, kafka_config.transactional_id());
  if (fx_feed) fx_feed->start([&] { asio::post(io, [&] { begin_stop("fx rates feed stopped"); }); });
  std::thread transport([&] {
    // No event is valued before the rates the topic held at start are in (readiness waits for them too).
    if (!fx_feed || fx_feed->wait_caught_up()) runner_error = runner.run();
    runner_done = true;
    asio::post(io, [&] {
      http.stop();
      io.stop();
    });
  });
  merge_stage.start([&] { asio::post(io, [&] { begin_stop("merge stage stopped"); }); });
  readiness.set("running", true, "consuming");

  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  std::function<void()> wait_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int signo) {
      if (ec) return;
      if (signo == SIGHUP) {
        notifier.reloading();
        spdlog::info("reload: reading {}", options.config_path);
        auto fresh = config::load_config(options.config_path);
        auto ctx = fresh ? engine::EngineContext::load(*fresh, options.allow_sample_lists)
                         : Result<std::shared_ptr<const engine::EngineContext>>(fresh.error());
        if (!ctx) {
          reloads_failed.inc();
          spdlog::error("reload refused, the previous configuration keeps serving: {}", ctx.error().message);
          notifier.status("reload refused (previous configuration serving): " + ctx.error().message);
        } else {
          if (fresh->kafka.bootstrap_servers != loaded.config.kafka.bootstrap_servers ||
              fresh->kafka.input_topic != loaded.config.kafka.input_topic ||
              fresh->kafka.group_id != loaded.config.kafka.group_id ||
              fresh->kafka.properties != loaded.config.kafka.properties ||
              fresh->aggregates.windows.size() != loaded.config.aggregates.windows.size() ||
              fresh->aggregates.fx_rates_topic != loaded.config.aggregates.fx_rates_topic) {
            spdlog::warn("reload: [kafka], [aggregates] window and fx_rates_topic changes take effect only after a restart");
          }
          processor.set_context(engine::with_fx_book(*ctx, fx_book));
          std::size_t n = 0;
          for (const auto& s : (*ctx)->screener->summaries()) n += s.entries;
          list_entries.set(static_cast<double>(n));
          list_loaded_at.set(static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                                     std::chrono::system_clock::now().time_since_epoch()).count()));
          readiness.set(Readiness::kListsLoaded, true, fmt::format("{} entries, version {}", n, (*ctx)->screener->version()));
          reloads.inc();
          spdlog::info("reload: lists {} rules {} now serving", (*ctx)->screener->version(), (*ctx)->rules.version());
          notifier.status(fmt::format("reloaded: lists {} rules {}", (*ctx)->screener->version(), (*ctx)->rules.version()));
        }
        notifier.ready();
        wait_signal();
        return;
      }
      begin_stop(signo == SIGINT ? "SIGINT" : "SIGTERM");
      wait_signal();
    });
  };
  wait_signal();

  // Readiness and status from the transport's counters; READY=1 once partitions are assigned and restored.
  asio::steady_timer status_timer(io);
  bool notified_ready = false;
  const auto& rc = runner.counters();
  every(status_timer, std::chrono::milliseconds(200), [&] {
    const auto partitions = rc.assigned_partitions.load();
    const bool stage1 = reflect_stage_assignment(readiness, Readiness::kPartitionsAssigned, rc);
    const bool merge = reflect_stage_assignment(readiness, Readiness::kMergeAssigned, merge_stage.counters());
    if (rc.transactions_committed.load() > 0 || partitions > 0) readiness.set(Readiness::kBrokerReachable, true, "ok");
    if (!notified_ready && stage1 && merge) {
      notified_ready = true;
      notifier.ready();
      spdlog::info("ready: {} partitions and {} merge-stage partitions assigned and restored", partitions,
                   merge_stage.counters().assigned_partitions.load());
    }
    if (options.finished && !stopping && options.finished(rc)) begin_stop("demo finished");
    return !runner_done;
  });
  asio::steady_timer status_line_timer(io);
  every(status_line_timer, std::chrono::seconds(5), [&] {
    notifier.status(fmt::format("{} consumed, {} assessed, {} rejected, {} transactions", rc.consumed.load(),
                                processor.stats().processed.load(), processor.stats().rejected.load(),
                                rc.transactions_committed.load()));
    return !runner_done;
  });
  asio::steady_timer dashboard_timer(io);
  every(dashboard_timer, std::chrono::seconds(15), [&] {
    feed.heartbeat();
    return !runner_done;
  });
  asio::steady_timer watchdog_timer(io);
  if (const auto interval = ops::Notifier::watchdog_interval()) {
    every(watchdog_timer, std::chrono::duration_cast<std::chrono::milliseconds>(*interval / 2), [&] {
      notifier.watchdog();
      return !runner_done;
    });
  }

  io.run();
  transport.join();
  merge_stage.stop();
  if (auto merge_error = merge_stage.join()) {
    spdlog::error("aggregate merge stage stopped: {} ({})", merge_error->message, merge_error->code);
    if (!runner_error) return 1;
  }
  if (fx_feed) {
    fx_feed->stop();
    if (auto fx_error = fx_feed->join()) {
      spdlog::error("fx rates feed stopped: {} ({})", fx_error->message, fx_error->code);
      if (!runner_error) return 1;
    }
  }
  if (runner_error) {
    spdlog::error("kafka transport stopped: {} ({})", runner_error->message, runner_error->code);
    return 1;
  }
  spdlog::info("stopped cleanly: {} consumed, {} transactions committed", rc.consumed.load(), rc.transactions_committed.load());
  return 0;
}

}  // namespace sm::app
