#include "app/fx_rate_feed.h"

#include <spdlog/spdlog.h>

#include <fstream>

namespace sm::app {
namespace {

// During a long stream of rates, publish at least this often (in records) rather than only when the topic is quiet.
constexpr std::size_t kPublishEvery = 1000;

}  // namespace

FxRateFeed::FxRateFeed(const config::AppConfig& config, const kafka::KafkaConfig& engine,
                       ops::MetricsRegistry& registry, ops::Readiness& readiness)
    : book_(std::make_shared<aggregate::FxRateBook>(config.aggregates.reporting_currency)),
      readiness_(readiness),
      applied_(registry.counter("sanctions_monitor_fx_rates_applied_total",
                                "Records of the fx rates topic applied (rates and tombstones).")),
      rejected_(registry.counter("sanctions_monitor_fx_rates_rejected_total",
                                 "Records of the fx rates topic that could not be used (logged, left out).")),
      follower_(engine, config.aggregates.fx_rates_topic, "fx-rates",
                kafka::TopicFollower::Callbacks{
                    [this](const kafka::ConsumedRecord& r) { on_record(r); },
                    [this] {
                      publish();
                      const auto held = book_->snapshot()->size();
                      readiness_.set(ops::Readiness::kFxRatesRead, true, fmt::format("{} rates", held));
                      std::lock_guard lock(mutex_);
                      caught_up_ = true;
                      changed_.notify_all();
                    },
                    [this] { publish(); }}) {
  readiness_.declare(ops::Readiness::kFxRatesRead, "reading " + config.aggregates.fx_rates_topic);
  registry.gauge_callback("sanctions_monitor_fx_rates", "Exchange rates held from the fx rates topic (all currencies and times).",
                          {}, [book = book_] { return static_cast<double>(book->snapshot()->size()); });
}

FxRateFeed::~FxRateFeed() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void FxRateFeed::on_record(const kafka::ConsumedRecord& record) {
  if (auto err = book_->apply(record.key, record.value)) {
    rejected_.inc();
    spdlog::warn("fx rates: {} [{}] offset {} left out: {}", record.topic, record.partition, record.offset,
                 err->message);
    return;
  }
  applied_.inc();
  if (++unpublished_ >= kPublishEvery) publish();
}

void FxRateFeed::publish() {
  book_->publish();
  unpublished_ = 0;
}

void FxRateFeed::start(std::function<void()> on_exit) {
  thread_ = std::thread([this, on_exit = std::move(on_exit)] {
    error_ = follower_.run();
    if (error_) spdlog::error("fx rates: {}: {}", error_->code, error_->message);
    {
      std::lock_guard lock(mutex_);
      finished_ = true;
      changed_.notify_all();
    }
    if (on_exit) on_exit();
  });
}

bool FxRateFeed::wait_caught_up() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return caught_up_ || finished_; });
  return caught_up_;
}

void FxRateFeed::stop() noexcept { follower_.stop(); }

std::optional<Error> FxRateFeed::join() {
  if (thread_.joinable()) thread_.join();
  return error_;
}

Result<std::shared_ptr<aggregate::FxRateBook>> load_fx_rates_file(const std::string& path,
                                                                  const std::string& reporting_currency,
                                                                  std::ostream& warnings) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("io", "cannot open " + path);
  auto book = std::make_shared<aggregate::FxRateBook>(reporting_currency);
  std::string line;
  for (std::int64_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (auto err = book->apply("", line)) warnings << path << ":" << number << ": left out: " << err->message << "\n";
  }
  if (in.bad()) return make_error("io", "cannot read " + path);
  book->publish();
  return book;
}

}  // namespace sm::app
