#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ops/query_params.h"

// Beast stays inside http_server.cpp (a Beast translation unit costs ~30 s and 800 MiB to compile); callers only
// need the io_context's name.
namespace boost::asio {
class io_context;
}

namespace sm::ops {

class MetricsRegistry;

// One parsed request, as a route handler sees it.
struct HttpRequest {
  std::string method;                                        // "GET" or "HEAD" (other methods never reach a handler)
  std::string target;                                        // as sent: "/v1/screen?name=ACME%20Ltd"
  std::string path;                                          // percent-decoded path: "/v1/screen"
  QueryParams query;                                         // percent-decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order

  // The first header named `name` (lower case), or "" when absent.
  std::string_view header(std::string_view name) const;
};

// What a handler returns. For HEAD, the server sends the headers of this response without its body.
struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. {"Retry-After", "5"}

  static HttpResponse json(int status, std::string body);
  static HttpResponse text(int status, std::string body);
  // {"error": message, "status": status}
  static HttpResponse json_error(int status, std::string_view message);
};

// Handlers run on the io_context's thread(s), one request at a time per connection. They must be quick (they
// hold up every other request served by the same thread) and, when the io_context runs on several threads,
// thread-safe. An exception from a handler becomes a 500 response; the server goes on.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// One client's open-ended response (Server-Sent Events): the server sends the header, then whatever is queued
// here, in order, until either side closes. Safe from any thread. A client that does not keep up (more than
// HttpServerOptions::max_stream_queue_bytes waiting, or one write taking longer than write_timeout) is
// disconnected, so a slow reader never holds up the loop, the other clients or the sender.
class HttpStream {
 public:
  virtual ~HttpStream() = default;
  // Queues `data` for the client; false once the stream is closed (client gone or lagging, server stopping):
  // the caller should then forget the stream.
  virtual bool send(std::string data) = 0;
  virtual bool is_open() const = 0;
  // Closes the connection at once; whatever is still queued is dropped. Idempotent.
  virtual void close() = 0;
};

// Called on the io_context's thread once per client that opens a stream route with GET, after the status line
// and headers are queued. The handler keeps the stream as long as it wants to send to it.
using HttpStreamHandler = std::function<void(const HttpRequest&, std::shared_ptr<HttpStream>)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";  // loopback unless the operator says otherwise; IPv6 literals without []
  std::uint16_t port = 9464;          // 0 picks a free port (tests); port() tells which
  std::chrono::milliseconds read_timeout{10'000};   // a whole request (headers and body), and keep-alive idling
  std::chrono::milliseconds write_timeout{10'000};  // a whole response
  std::size_t max_header_bytes = 8192;              // larger: 431
  std::size_t max_body_bytes = 65536;               // larger: 413
  std::size_t max_connections = 64;                 // more are accepted and closed at once (streams count)
  std::size_t max_stream_queue_bytes = 1 << 20;     // per HttpStream client; more waiting: the client is dropped
  // Told why a handler failed (its exception's message); the client only sees "internal error". Optional.
  std::function<void(const std::string&)> log_error;
};

// "127.0.0.1:9464" or "[::1]:9464" -> (address, port); nullopt when malformed. For the configuration's
// `http.address`.
std::optional<std::pair<std::string, std::uint16_t>> split_host_port(std::string_view address);

// A small HTTP/1.1 server for health, metrics and the app's JSON routes, on an io_context the caller owns and
// runs. Routes are exact paths answering GET and HEAD (plain, or streaming for Server-Sent Events); other
// methods on a known path get 405, unknown paths 404, unparsable requests 400, oversized ones 413/431; slow or
// silent clients are cut off by the timeouts and never hold up other connections.
//
// Lifetime: add routes, then start(), then run the io_context. stop() ends accepting and closes every
// connection; the server may be destroyed after stop() even while the io_context still runs (connections keep
// what they need alive). The io_context must outlive the server. The registry passed to the constructor and
// whatever the handlers refer to must outlive the connections: stop(), then let the io_context's run() return
// (or destroy the io_context) before destroying them.
class HttpServer {
 public:
  // `metrics` (optional) receives the server's request counters and latency histogram.
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, MetricsRegistry* metrics = nullptr);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  // Registers a GET (and HEAD) route at an exact path, e.g. "/v1/screen". Before start() only; a path registered
  // twice or a call after start() throws std::logic_error.
  void add_route(std::string path, HttpHandler handler);

  // Registers a streaming route: GET answers 200 with `content_type` (e.g. "text/event-stream") and hands the
  // open stream to `handler`; HEAD answers the headers only. Same rules as add_route().
  void add_stream_route(std::string path, std::string content_type, HttpStreamHandler handler);

  // Binds and listens. Throws std::system_error when the address is bad or the port taken (a start-up failure).
  void start();

  // Stops accepting and closes every connection; a response being written is cut short. Thread-safe, idempotent.
  void stop();

  // The bound port, after start(); the actual one when options.port was 0.
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sm::ops
