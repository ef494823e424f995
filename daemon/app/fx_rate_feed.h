#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "aggregate/fx_history.h"
#include "config/app_config.h"
#include "kafka/kafka_config.h"
#include "kafka/topic_follower.h"
#include "model/result.h"
#include "ops/metrics.h"
#include "ops/readiness.h"

namespace sm::app {

// The daemon's exchange rates over time (docs/AGGREGATES.md, "Exchange rates"): follows `[aggregates]
// fx_rates_topic` from its beginning on a thread of its own, applies each record to an aggregate::FxRateBook and
// publishes a new snapshot whenever the topic goes quiet. The readiness condition Readiness::kFxRatesRead is met
// once the topic has been read to the end it had at start; stage 1 waits for that (wait_caught_up) before its
// first event. A record that cannot be used is logged and counted, never fatal.
class FxRateFeed {
 public:
  // Declares the readiness condition and registers the feed's metrics; `readiness` and `registry` must outlive it.
  FxRateFeed(const config::AppConfig& config, const kafka::KafkaConfig& engine, ops::MetricsRegistry& registry,
             ops::Readiness& readiness);
  ~FxRateFeed();  // Stops and joins a running feed.
  FxRateFeed(const FxRateFeed&) = delete;
  FxRateFeed& operator=(const FxRateFeed&) = delete;

  // The book the engine values lines with (engine::with_fx_book).
  std::shared_ptr<const aggregate::FxRateBook> book() const { return book_; }

  // Starts the follower's thread; `on_exit` is called on that thread when it returns (error or stop).
  void start(std::function<void()> on_exit);
  // Blocks until the initial read is complete (true) or the feed stopped first (false). Any thread.
  bool wait_caught_up();
  void stop() noexcept;
  // Waits for the thread; the follower's error, if it stopped on one.
  std::optional<Error> join();

 private:
  void on_record(const kafka::ConsumedRecord& record);
  void publish();

  std::shared_ptr<aggregate::FxRateBook> book_;
  ops::Readiness& readiness_;
  ops::Counter& applied_;
  ops::Counter& rejected_;
  kafka::TopicFollower follower_;
  std::size_t unpublished_ = 0;  // follower thread only

  std::mutex mutex_;
  std::condition_variable changed_;
  bool caught_up_ = false;  // guarded by mutex_
  bool finished_ = false;   // guarded by mutex_
  std::thread thread_;
  std::optional<Error> error_;
};

// replay --fx-rates: the rates of a file of JSON lines (sanctions.v1.FxRate, one record a line, as the topic's
// values), in file order, published once. A line that cannot be used is reported to `warnings` with its number and
// left out, as the daemon leaves out such a record. An error when the file cannot be read.
Result<std::shared_ptr<aggregate::FxRateBook>> load_fx_rates_file(const std::string& path,
                                                                  const std::string& reporting_currency,
                                                                  std::ostream& warnings);

}  // namespace sm::app
