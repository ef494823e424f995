#include "ops/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "http_client.h"
#include "ops/metrics.h"
#include "ops/ops_routes.h"
#include "ops/readiness.h"

namespace sm::ops {
namespace {

using testing::http_get;
using testing::http_request;
using testing::RawConnection;

// Polls `done` until it holds: waits for something another thread does, without asserting how long it takes.
bool eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 2000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

// One server on an ephemeral port, its io_context run by one thread: a request that gets an answer while another
// connection is stuck proves the stuck one does not block the loop.
class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}, const std::function<void(HttpServer&)>& routes = {}) {
    options.port = 0;
    options.log_error = [this](const std::string& message) { errors_.push_back(message); };
    server_.emplace(io_, options, &registry_);
    add_ops_routes(*server_, readiness_, registry_);
    if (routes) routes(*server_);
    server_->start();
    port_ = server_->port();
    loop_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (server_) server_->stop();
    if (loop_.joinable()) loop_.join();
  }

  double metric(const std::string& series) const {
    const std::string text = registry_.render();
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) throw std::runtime_error("no series " + series);
    return std::stod(text.substr(at + series.size() + 2));
  }

  boost::asio::io_context io_;
  MetricsRegistry registry_;
  Readiness readiness_;
  std::optional<HttpServer> server_;
  std::thread loop_;
  std::uint16_t port_ = 0;
  std::vector<std::string> errors_;  // written on the loop thread, read after it has answered
};

TEST_F(HttpServerTest, HealthzAnswersWhileTheLoopRuns) {
  start();
  ASSERT_NE(port_, 0);
  const auto res = http_get(port_, "/healthz");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ok\n");
  EXPECT_EQ(res.headers.at("cache-control"), "no-store");
}

TEST_F(HttpServerTest, ReadyzFollowsTheConditionsWithReasons) {
  readiness_.declare(Readiness::kListsLoaded, "loading OFAC SDN");
  readiness_.declare(Readiness::kPartitionsAssigned);
  readiness_.declare(Readiness::kBrokerReachable);
  start();

  auto res = http_get(port_, "/readyz");
  EXPECT_EQ(res.status, 503);
  EXPECT_NE(res.body.find("not ready\n"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("[-] lists loaded: loading OFAC SDN\n"), std::string::npos) << res.body;

  readiness_.set(Readiness::kListsLoaded, true);
  readiness_.set(Readiness::kPartitionsAssigned, true);
  readiness_.set(Readiness::kBrokerReachable, true);
  res = http_get(port_, "/readyz");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ready\n[+] broker reachable\n[+] lists loaded\n[+] partitions assigned and state restored\n");

  readiness_.set(Readiness::kBrokerReachable, false, "no broker answered: kafka-1:9092 connection refused");
  res = http_get(port_, "/readyz");
  EXPECT_EQ(res.status, 503);
  EXPECT_NE(res.body.find("[-] broker reachable: no broker answered: kafka-1:9092 connection refused\n"),
            std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("[+] lists loaded\n"), std::string::npos) << res.body;
}

// A minimal reader of the exposition format: enough to check what a Prometheus server relies on.
struct Exposition {
  std::map<std::string, std::string> types;             // family -> type
  std::map<std::string, std::string> helps;             // family -> help
  std::vector<std::pair<std::string, double>> samples;  // "name{labels}" -> value, in order
  std::vector<std::string> problems;

  explicit Exposition(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
        const std::string rest = line.substr(7);
        const auto space = rest.find(' ');
        (line[2] == 'H' ? helps : types)[rest.substr(0, space)] = rest.substr(space + 1);
        continue;
      }
      const auto space = line.rfind(' ');
      if (line.empty() || space == std::string::npos) {
        problems.push_back("bad line: " + line);
        continue;
      }
      const std::string series = line.substr(0, space);
      std::string family = series.substr(0, series.find('{'));
      for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
        if (types.count(family) == 0 && family.size() > suffix.size() &&
            family.compare(family.size() - suffix.size(), suffix.size(), suffix) == 0) {
          family.resize(family.size() - suffix.size());
        }
      }
      if (types.count(family) == 0 || helps.count(family) == 0) problems.push_back("no HELP/TYPE before " + line);
      samples.emplace_back(series, std::stod(line.substr(space + 1)));
    }
  }

  std::optional<double> value(const std::string& series) const {
    for (const auto& [s, v] : samples) {
      if (s == series) return v;
    }
    return std::nullopt;
  }
};

TEST_F(HttpServerTest, MetricsExposeCountersAndCumulativeHistograms) {
  Counter& events = registry_.counter("sanctions_monitor_test_events_total", "Events seen by the test.");
  Histogram& latency =
      registry_.histogram("sanctions_monitor_test_latency_seconds", "Latency seen by the test.", {0.01, 0.1, 1});
  start();

  auto res = http_get(port_, "/metrics");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const Exposition before(res.body);
  EXPECT_TRUE(before.problems.empty()) << before.problems.front();
  EXPECT_EQ(before.types.at("sanctions_monitor_test_events_total"), "counter");
  EXPECT_EQ(before.types.at("sanctions_monitor_test_latency_seconds"), "histogram");
  EXPECT_EQ(before.types.at("sanctions_monitor_http_requests_total"), "counter");
  EXPECT_EQ(before.value("sanctions_monitor_test_events_total"), 0.0);

  events.inc(3);
  for (const double v : {0.005, 0.05, 0.05, 0.5, 5.0}) latency.observe(v);
  res = http_get(port_, "/metrics");
  const Exposition after(res.body);
  EXPECT_TRUE(after.problems.empty()) << after.problems.front();
  EXPECT_EQ(after.value("sanctions_monitor_test_events_total"), 3.0);
  // The first scrape was counted before the second one rendered.
  EXPECT_GE(after.value("sanctions_monitor_http_requests_total{code=\"2xx\",route=\"/metrics\"}").value_or(0), 1.0);

  std::vector<std::pair<std::string, double>> buckets;
  for (const auto& [series, v] : after.samples) {
    if (series.rfind("sanctions_monitor_test_latency_seconds_bucket{", 0) == 0) buckets.emplace_back(series, v);
  }
  ASSERT_EQ(buckets.size(), 4u);
  EXPECT_EQ(buckets[0],
            (std::pair<std::string, double>{"sanctions_monitor_test_latency_seconds_bucket{le=\"0.01\"}", 1}));
  for (std::size_t i = 1; i < buckets.size(); ++i) EXPECT_GE(buckets[i].second, buckets[i - 1].second);
  EXPECT_EQ(buckets.back().first, "sanctions_monitor_test_latency_seconds_bucket{le=\"+Inf\"}");
  EXPECT_EQ(buckets.back().second, 5);
  EXPECT_EQ(after.value("sanctions_monitor_test_latency_seconds_count"), 5.0);
  EXPECT_NEAR(after.value("sanctions_monitor_test_latency_seconds_sum").value_or(0), 5.605, 1e-9);
}

TEST_F(HttpServerTest, AppRoutesGetDecodedQueryParameters) {
  start({}, [](HttpServer& server) {
    server.add_route("/v1/screen", [](const HttpRequest& req) {
      const auto name = req.query.get("name");
      if (!name) return HttpResponse::json_error(400, "name is required");
      return HttpResponse::json(200, "{\"name\":\"" + std::string(*name) + "\",\"path\":\"" + req.path + "\"}");
    });
  });
  auto res = http_get(port_, "/v1/screen?name=ACME+Trading%20%26%20Co");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers.at("content-type"), "application/json");
  EXPECT_EQ(res.body, "{\"name\":\"ACME Trading & Co\",\"path\":\"/v1/screen\"}");

  res = http_get(port_, "/v1/screen");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body, "{\"error\":\"name is required\",\"status\":400}\n");

  res = http_get(port_, "/v1/screen?name=%zz");
  EXPECT_EQ(res.status, 400);
}

TEST_F(HttpServerTest, HeadSendsHeadersWithoutBody) {
  start();
  RawConnection c(port_);
  ASSERT_TRUE(c.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto head = c.read_response(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers.at("content-length"), "3");
  // No body bytes followed: the next response on the connection starts right after the headers.
  ASSERT_TRUE(c.send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(c.read_response().status, 404);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  RawConnection c(port_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto res = c.read_response();
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "ok\n");
  }
}

TEST_F(HttpServerTest, UnknownPathIs404AndOtherMethodsAre405) {
  start();
  auto res = http_get(port_, "/nope");
  EXPECT_EQ(res.status, 404);
  res = http_request(port_, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.at("allow"), "GET, HEAD");
  res = http_get(port_, "/metrics", "DELETE");
  EXPECT_EQ(res.status, 405);
}

TEST_F(HttpServerTest, MalformedRequestsAre400) {
  start();
  EXPECT_EQ(http_request(port_, "GARBAGE\r\n\r\n").status, 400);
  EXPECT_EQ(http_request(port_, "GET healthz HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(http_request(port_, "GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n").status, 400);
  EXPECT_EQ(http_request(port_, "GET /heal%zzthz HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
  EXPECT_TRUE(
      eventually([&] { return metric("sanctions_monitor_http_requests_total{code=\"4xx\",route=\"other\"}") == 4; }));
}

TEST_F(HttpServerTest, OversizedBodyIs413) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  const auto res = http_request(
      port_, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + std::string(4096, 'x'));
  EXPECT_EQ(res.status, 413);
}

TEST_F(HttpServerTest, OversizedHeaderIs431OrCloseAndTheServerGoesOn) {
  HttpServerOptions options;
  options.max_header_bytes = 8 * 1024;
  start(options);
  RawConnection c(port_);
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
  const auto res = c.read_response();
  EXPECT_FALSE(c.timed_out());
  EXPECT_EQ(res.status, 431);  // the lingering close lets the answer arrive before the connection closes
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
}

TEST_F(HttpServerTest, SilentAndTricklingClientsDoNotBlockOthers) {
  start();  // default 10 s read timeout: far longer than this test needs to get its answer
  RawConnection silent(port_);
  RawConnection partial(port_);
  ASSERT_TRUE(partial.send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_get(port_, "/healthz").status, 200);
}

TEST_F(HttpServerTest, SilentClientIsCutOffByTheReadTimeout) {
  HttpServerOptions options;
  options.read_timeout = std::chrono::milliseconds(100);
  start(options);
  RawConnection silent(port_);
  EXPECT_TRUE(silent.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return metric("sanctions_monitor_http_timeouts_total") == 1; }));
}

TEST_F(HttpServerTest, ConnectionsOverTheLimitAreClosed) {
  HttpServerOptions options;
  options.max_connections = 1;
  start(options);
  {
    RawConnection first(port_);
    ASSERT_TRUE(eventually([&] { return metric("sanctions_monitor_http_connections") == 1; }));
    RawConnection second(port_);
    EXPECT_TRUE(second.closed_by_peer());
    EXPECT_EQ(metric("sanctions_monitor_http_connections_rejected_total"), 1);
  }
  ASSERT_TRUE(eventually([&] { return metric("sanctions_monitor_http_connections") == 0; }));
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
}

TEST_F(HttpServerTest, HandlerExceptionIs500AndLogged) {
  start({}, [](HttpServer& server) {
    server.add_route("/v1/boom", [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
    server.add_route("/v1/bad-status", [](const HttpRequest&) { return HttpResponse::json(42, "{}"); });
  });
  auto res = http_get(port_, "/v1/boom");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.body.find("boom"), std::string::npos) << "internals stay in the log";
  EXPECT_EQ(http_get(port_, "/v1/bad-status").status, 500);
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
  ASSERT_EQ(errors_.size(), 2u);
  EXPECT_NE(errors_[0].find("boom"), std::string::npos);
}

TEST_F(HttpServerTest, StopClosesOpenConnections) {
  start();
  RawConnection idle(port_);
  ASSERT_TRUE(eventually([&] { return metric("sanctions_monitor_http_connections") == 1; }));
  server_->stop();
  EXPECT_TRUE(idle.closed_by_peer());
  loop_.join();  // nothing left to do: the io_context's run() returns
}

// A stream route whose handler hands each opened stream to the test thread.
class StreamRouteTest : public HttpServerTest {
 protected:
  void start_streaming(HttpServerOptions options = {}) {
    start(options, [this](HttpServer& server) {
      server.add_stream_route("/v1/events", "text/event-stream",
                              [this](const HttpRequest& req, std::shared_ptr<HttpStream> stream) {
                                std::lock_guard lock(mutex_);
                                paths_.push_back(req.path);
                                streams_.push_back(std::move(stream));
                              });
    });
  }
  std::shared_ptr<HttpStream> stream(std::size_t i) {
    std::shared_ptr<HttpStream> out;
    eventually([&] {
      std::lock_guard lock(mutex_);
      if (streams_.size() > i) out = streams_[i];
      return out != nullptr;
    });
    return out;
  }

  std::mutex mutex_;
  std::vector<std::string> paths_;                   // guarded by mutex_
  std::vector<std::shared_ptr<HttpStream>> streams_;  // guarded by mutex_
};

TEST_F(StreamRouteTest, SendsTheHeaderThenWhatIsQueuedInOrderUntilTheClientLeaves) {
  start_streaming();
  auto client = std::make_unique<RawConnection>(port_);
  ASSERT_TRUE(client->send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string header = client->read_until("\r\n\r\n");
  EXPECT_EQ(header.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << header;
  EXPECT_NE(header.find("Content-Type: text/event-stream\r\n"), std::string::npos) << header;
  EXPECT_EQ(header.find("Content-Length"), std::string::npos) << "the body ends when the connection does";

  auto s = stream(0);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->send("data: one\n\n"));
  EXPECT_TRUE(s->send("data: two\n\n"));
  EXPECT_EQ(client->read_until("two\n\n"), "data: one\n\ndata: two\n\n");
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);  // the loop serves others meanwhile
  EXPECT_TRUE(eventually([&] { return metric("sanctions_monitor_http_connections") == 1; }));  // the stream

  client.reset();  // the browser tab closes
  EXPECT_TRUE(eventually([&] { return !s->is_open(); }));
  EXPECT_FALSE(s->send("data: three\n\n"));
  EXPECT_TRUE(eventually([&] { return metric("sanctions_monitor_http_connections") == 0; }));
  EXPECT_EQ(metric("sanctions_monitor_http_requests_total{code=\"2xx\",route=\"/v1/events\"}"), 1);
}

TEST_F(StreamRouteTest, HeadAnswersTheHeadersOnly) {
  start_streaming();
  RawConnection client(port_);
  ASSERT_TRUE(client.send("HEAD /v1/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto res = client.read_response(/*head=*/true);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers.at("content-type"), "text/event-stream");
  std::lock_guard lock(mutex_);
  EXPECT_TRUE(streams_.empty());
}

TEST_F(StreamRouteTest, AClientThatStopsReadingIsDroppedWithoutHoldingUpTheLoop) {
  HttpServerOptions options;
  options.max_stream_queue_bytes = 256 * 1024;
  start_streaming(options);
  RawConnection reader_that_stalls(port_);
  ASSERT_TRUE(reader_that_stalls.send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto s = stream(0);
  ASSERT_NE(s, nullptr);
  // The kernel's socket buffers take a few MiB; after that the server's queue fills and the client is dropped.
  const std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 4000 && s->is_open(); ++i) {
    s->send(chunk);
    if (i % 16 == 15) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // let the loop write
  }
  EXPECT_TRUE(eventually([&] { return !s->is_open(); }));
  EXPECT_TRUE(eventually([&] { return metric("sanctions_monitor_http_streams_dropped_total") == 1; }));
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
}

TEST_F(StreamRouteTest, StopClosesOpenStreams) {
  start_streaming();
  RawConnection client(port_);
  ASSERT_TRUE(client.send("GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_FALSE(client.read_until("\r\n\r\n").empty());
  auto s = stream(0);
  ASSERT_NE(s, nullptr);
  server_->stop();
  EXPECT_TRUE(client.closed_by_peer());
  EXPECT_TRUE(eventually([&] { return !s->is_open(); }));
  loop_.join();  // a closed stream holds no work: the io_context's run() returns
}

TEST(HttpServer, RoutesAreFixedBeforeStart) {
  boost::asio::io_context io;
  HttpServerOptions options;
  options.port = 0;
  HttpServer server(io, options);
  server.add_route("/a", [](const HttpRequest&) { return HttpResponse::text(200, ""); });
  EXPECT_THROW(server.add_route("/a", [](const HttpRequest&) { return HttpResponse::text(200, ""); }),
               std::logic_error);
  EXPECT_THROW(server.add_route("relative", [](const HttpRequest&) { return HttpResponse::text(200, ""); }),
               std::logic_error);
  server.start();
  EXPECT_THROW(server.add_route("/b", [](const HttpRequest&) { return HttpResponse::text(200, ""); }),
               std::logic_error);
}

TEST(HttpServer, BadAddressOrTakenPortFailsAtStart) {
  boost::asio::io_context io;
  HttpServerOptions bad;
  bad.address = "not-an-address";
  EXPECT_THROW(HttpServer(io, bad).start(), std::system_error);

  HttpServerOptions any;
  any.port = 0;
  HttpServer first(io, any);
  first.start();
  HttpServerOptions same;
  same.port = first.port();
  EXPECT_THROW(HttpServer(io, same).start(), std::system_error);
}

}  // namespace
}  // namespace sm::ops
