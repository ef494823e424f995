// The only translation unit that includes Beast.
#include "ops/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "ops/http_probe.h"

namespace sm::ops {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string json_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

bool has_line_break(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

// Beast's parse errors (bad method, target, version, header, chunk...) as opposed to the socket's.
bool is_parse_error(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_target).category() &&
         ec != http::error::end_of_stream && ec != http::error::partial_message;
}

}  // namespace

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return {};
}

HttpResponse HttpResponse::json(int status, std::string body) {
  return HttpResponse{status, "application/json", std::move(body), {}};
}

HttpResponse HttpResponse::text(int status, std::string body) {
  return HttpResponse{status, "text/plain; charset=utf-8", std::move(body), {}};
}

HttpResponse HttpResponse::json_error(int status, std::string_view message) {
  return json(status, "{\"error\":" + json_quote(message) + ",\"status\":" + std::to_string(status) + "}\n");
}

std::optional<std::pair<std::string, std::uint16_t>> split_host_port(std::string_view address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == address.size()) return std::nullopt;
  std::string_view host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // an IPv6 address needs brackets before its port
  }
  if (host.empty()) return std::nullopt;
  unsigned port = 0;
  for (const char c : address.substr(colon + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned>(c - '0');
    if (port > 65535) return std::nullopt;
  }
  return std::pair{std::string(host), static_cast<std::uint16_t>(port)};
}

namespace {

// What ServerState::close() reaches: a request/response session or a stream.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void close() = 0;  // from any thread
};

struct Route {
  std::size_t index = 0;  // the probe's route label
  HttpHandler handler;    // a plain route, or
  HttpStreamHandler stream;
  std::string stream_content_type;
};

// What the server and its connections share; connections keep it alive past the HttpServer object.
struct ServerState : std::enable_shared_from_this<ServerState> {
  ServerState(asio::io_context& io, HttpServerOptions o, MetricsRegistry* m)
      : io_(io), options_(std::move(o)), metrics_(m), acceptor_(asio::make_strand(io)) {}

  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void close();  // on the acceptor's strand
  void track(const std::shared_ptr<Connection>& connection);

  asio::io_context& io_;
  const HttpServerOptions options_;
  MetricsRegistry* const metrics_;
  // Filled before start(), read-only afterwards: connections read them without locks.
  std::map<std::string, Route, std::less<>> routes_;
  std::optional<HttpProbe> probe_;
  bool started_ = false;
  std::uint16_t port_ = 0;

  std::atomic<bool> stopping_{false};
  tcp::acceptor acceptor_;  // used on its strand only
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<Connection>> sessions_;  // guarded by sessions_mutex_
  std::atomic<std::size_t> open_{0};
};

// One connection: read a request, answer it, repeat while keep-alive; every step under a deadline.
class Session final : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<ServerState> server, tcp::socket socket)
      : server_(std::move(server)),
        stream_(std::move(socket)),
        // Header and body limits are the parser's; this only stops pipelined bytes from piling up behind them.
        buffer_(server_->options_.max_header_bytes + server_->options_.max_body_bytes + 4096) {
    ++server_->open_;
    if (server_->probe_) server_->probe_->on_connection_opened();
  }
  ~Session() override {
    --server_->open_;
    if (server_->probe_) server_->probe_->on_connection_closed();
  }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
  }

  void close() override {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.close(); });
  }

 private:
  void read_request() {
    if (server_->stopping_) return;
    const auto& o = server_->options_;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(o.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(o.max_body_bytes);
    // One deadline for the whole request: a client trickling bytes cannot stretch it.
    stream_.expires_after(o.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == beast::error::timeout) {
      if (server_->probe_) server_->probe_->on_timeout();
      return;  // the stream is closed already
    }
    if (ec == http::error::header_limit)
      return reply_and_close(HttpResponse::json_error(431, "request header too large"));
    if (ec == http::error::body_limit) return reply_and_close(HttpResponse::json_error(413, "request body too large"));
    if (is_parse_error(ec)) return reply_and_close(HttpResponse::json_error(400, "malformed request: " + ec.message()));
    if (ec) return shutdown();  // the client went away (or stop() closed the socket)

    const auto started = std::chrono::steady_clock::now();
    const auto& req = parser_->get();
    const Route* route = nullptr;
    HttpRequest request;
    std::optional<HttpResponse> res = resolve(req, route, request);
    const std::size_t route_index = route != nullptr ? route->index : server_->routes_.size();
    const bool head = req.method() == http::verb::head;
    if (!res && route->stream && !head) {
      if (server_->probe_) server_->probe_->on_request(route_index, 200, 0.0);
      return open_stream(*route, request);
    }
    if (!res) res = call(*route, request, head);
    const bool keep_alive = req.keep_alive() && res->status < 400;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (server_->probe_) server_->probe_->on_request(route_index, res->status, seconds);
    write(std::move(*res), req.version(), head, keep_alive);
  }

  // The route and the parsed request, or the error response; `route` is set whenever the path is known.
  std::optional<HttpResponse> resolve(const http::request<http::string_body>& req, const Route*& route,
                                      HttpRequest& request) {
    const std::string_view target(req.target().data(), req.target().size());
    if (target.empty() || target.front() != '/') return HttpResponse::json_error(400, "request target must be a path");
    const std::size_t q = target.find('?');
    auto path = percent_decode(target.substr(0, q), false);
    if (!path) return HttpResponse::json_error(400, "malformed percent-encoding in path");
    auto query = QueryParams::parse(q == std::string_view::npos ? std::string_view{} : target.substr(q + 1));
    if (!query) return HttpResponse::json_error(400, "malformed percent-encoding in query");

    const auto found = server_->routes_.find(*path);
    if (found == server_->routes_.end()) return HttpResponse::json_error(404, "no such path: " + *path);
    route = &found->second;
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      HttpResponse res = HttpResponse::json_error(405, "method not allowed; use GET");
      res.headers.emplace_back("Allow", "GET, HEAD");
      return res;
    }

    request.method = std::string(req.method_string());
    request.target = std::string(target);
    request.path = std::move(*path);
    request.query = std::move(*query);
    for (const auto& field : req) {
      const auto name = field.name_string();
      request.headers.emplace_back(lower(std::string_view(name.data(), name.size())), std::string(field.value()));
    }
    return std::nullopt;
  }

  HttpResponse call(const Route& route, const HttpRequest& request, bool head) {
    if (route.stream && head) return HttpResponse{200, route.stream_content_type, {}, {}};  // what GET starts with
    try {
      HttpResponse res = route.handler(request);
      if (res.status < 200 || res.status > 599)
        throw std::runtime_error("handler returned status " + std::to_string(res.status));
      return res;
    } catch (const std::exception& e) {
      if (server_->options_.log_error)
        server_->options_.log_error("HTTP handler for " + request.path + " failed: " + e.what());
      return HttpResponse::json_error(500, "internal error");
    } catch (...) {
      if (server_->options_.log_error) server_->options_.log_error("HTTP handler for " + request.path + " failed");
      return HttpResponse::json_error(500, "internal error");
    }
  }

  // Hands the socket over to a StreamSession: this session ends here (the stream counts as the connection).
  void open_stream(const Route& route, const HttpRequest& request);

  // For a request that could not be read whole: no route, no handler time.
  void reply_and_close(HttpResponse res) {
    if (server_->probe_) server_->probe_->on_unreadable_request(res.status);
    write(std::move(res), 11, false, false);
  }

  void write(HttpResponse res, unsigned version, bool head, bool keep_alive) {
    response_.emplace(static_cast<http::status>(res.status), version);
    auto& r = *response_;
    r.set(http::field::server, "sanctions-monitor");
    r.set(http::field::content_type, res.content_type);
    r.set(http::field::cache_control, "no-store");
    for (const auto& [name, value] : res.headers) {
      if (!has_line_break(name) && !has_line_break(value)) r.set(name, value);
    }
    r.keep_alive(keep_alive && !server_->stopping_);
    if (head) {
      r.content_length(res.body.size());  // what GET would send, without sending it
    } else {
      r.body() = std::move(res.body);
      r.prepare_payload();
    }
    stream_.expires_after(server_->options_.write_timeout);
    http::async_write(stream_, r, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec == beast::error::timeout && self->server_->probe_) self->server_->probe_->on_timeout();
      if (ec) return;
      if (!self->response_->keep_alive()) return self->shutdown();
      self->response_.reset();
      self->read_request();
    });
  }

  // Half-close, then read and discard whatever the client still sends for a moment: closing a socket with unread
  // input makes the kernel send RST, which can destroy the error response before the client reads it.
  void shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(1));
    drain(0);
  }

  void drain(std::size_t discarded) {
    static constexpr std::size_t kMaxDiscard = 262144;
    if (discarded > kMaxDiscard) return;
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this(), discarded](beast::error_code ec, std::size_t n) {
                              if (!ec) self->drain(discarded + n);
                            });
  }

  std::shared_ptr<ServerState> server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  char discard_[4096];
};

// A streaming response on a socket taken over from a Session. Everything but send()/close() runs on the socket's
// strand. Queued strings stay put in the deque (push_back never moves elements) while a gathered write of them is
// in flight; they are popped only when it completes.
class StreamSession final : public Connection,
                            public HttpStream,
                            public std::enable_shared_from_this<StreamSession> {
 public:
  StreamSession(std::shared_ptr<ServerState> server, tcp::socket socket)
      : server_(std::move(server)), socket_(std::move(socket)), deadline_(socket_.get_executor()) {
    ++server_->open_;
    if (server_->probe_) server_->probe_->on_connection_opened();
  }
  // The connection stops counting when it closes, not when the last holder of the stream lets go of it.
  ~StreamSession() override {
    if (open_) uncount();
  }

  // On the strand: queues the response header and starts watching for the client to go away.
  void start(std::string header) {
    enqueue(std::move(header));
    watch_for_close();
  }

  bool send(std::string data) override {
    if (!open_ || server_->stopping_) return false;
    asio::post(socket_.get_executor(),
               [self = shared_from_this(), data = std::move(data)]() mutable { self->enqueue(std::move(data)); });
    return true;
  }

  bool is_open() const override { return open_; }

  void close() override {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->finish(); });
  }

 private:
  void enqueue(std::string data) {
    if (!open_) return;
    // One message larger than the whole budget still goes out to a client that has caught up.
    if (!queue_.empty() && queued_bytes_ + data.size() > server_->options_.max_stream_queue_bytes) {
      if (server_->probe_) server_->probe_->on_stream_dropped();
      return finish();
    }
    queued_bytes_ += data.size();
    queue_.push_back(std::move(data));
    if (in_flight_ == 0) write_queued();
  }

  void write_queued() {
    in_flight_ = queue_.size();
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(in_flight_);
    for (std::size_t i = 0; i < in_flight_; ++i) buffers.push_back(asio::buffer(queue_[i]));
    const std::uint64_t write = ++writes_;
    deadline_.expires_after(server_->options_.write_timeout);
    deadline_.async_wait([self = shared_from_this(), write](beast::error_code ec) {
      if (ec || self->writes_ != write || self->in_flight_ == 0) return;
      if (self->server_->probe_) self->server_->probe_->on_timeout();
      self->finish();
    });
    asio::async_write(socket_, buffers, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->open_) return self->finish();
      for (; self->in_flight_ > 0; --self->in_flight_) {
        self->queued_bytes_ -= self->queue_.front().size();
        self->queue_.pop_front();
      }
      self->deadline_.cancel();
      if (!self->queue_.empty()) self->write_queued();
    });
  }

  // The client sends nothing after its request; a read completing with an error means it has gone.
  void watch_for_close() {
    socket_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->watch_for_close();
    });
  }

  void uncount() {
    --server_->open_;
    if (server_->probe_) server_->probe_->on_connection_closed();
  }

  // Idempotent. The queue is left alone: a write being aborted may still refer to it.
  void finish() {
    if (!open_.exchange(false)) return;
    uncount();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    deadline_.cancel();
  }

  std::shared_ptr<ServerState> server_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  std::atomic<bool> open_{true};
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t in_flight_ = 0;  // queue_'s first elements being written
  std::uint64_t writes_ = 0;   // tells a stale deadline from the current write's
  char discard_[512];
};

void Session::open_stream(const Route& route, const HttpRequest& request) {
  auto stream = std::make_shared<StreamSession>(server_, stream_.release_socket());
  server_->track(stream);
  stream->start("HTTP/1.1 200 OK\r\nServer: sanctions-monitor\r\nContent-Type: " + route.stream_content_type +
                "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
  try {
    route.stream(request, stream);
  } catch (const std::exception& e) {
    if (server_->options_.log_error)
      server_->options_.log_error("HTTP stream handler for " + request.path + " failed: " + e.what());
    stream->close();
  }
}

void ServerState::track(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(sessions_mutex_);
  std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
  sessions_.push_back(connection);
}

void ServerState::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
    self->on_accept(ec, std::move(s));
  });
}

void ServerState::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping_ || ec == asio::error::operation_aborted) return;
  if (!ec) {
    if (open_ >= options_.max_connections) {
      if (probe_) probe_->on_connection_rejected();
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      auto session = std::make_shared<Session>(shared_from_this(), std::move(socket));
      track(session);
      session->start();
    }
  }
  // Other errors (a connection reset before accept, out of descriptors) concern one connection: go on.
  accept();
}

void ServerState::close() {
  beast::error_code ignored;
  acceptor_.close(ignored);
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(sessions_mutex_);
    for (const auto& w : sessions_) {
      if (auto s = w.lock()) open.push_back(std::move(s));
    }
    sessions_.clear();
  }
  for (const auto& s : open) s->close();
}

}  // namespace

struct HttpServer::Impl {
  std::shared_ptr<ServerState> state;
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, MetricsRegistry* metrics)
    : impl_(std::make_unique<Impl>(Impl{std::make_shared<ServerState>(io, std::move(options), metrics)})) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::add_route(std::string path, HttpHandler handler) {
  ServerState& s = *impl_->state;
  if (s.started_) throw std::logic_error("HttpServer::add_route after start(): " + path);
  if (path.empty() || path.front() != '/') throw std::logic_error("HTTP route must start with '/': " + path);
  if (!handler) throw std::logic_error("HTTP route without a handler: " + path);
  const std::size_t index = s.routes_.size();
  if (!s.routes_.emplace(path, Route{index, std::move(handler), {}, {}}).second) {
    throw std::logic_error("HTTP route registered twice: " + path);
  }
}

void HttpServer::add_stream_route(std::string path, std::string content_type, HttpStreamHandler handler) {
  ServerState& s = *impl_->state;
  if (s.started_) throw std::logic_error("HttpServer::add_stream_route after start(): " + path);
  if (path.empty() || path.front() != '/') throw std::logic_error("HTTP route must start with '/': " + path);
  if (!handler) throw std::logic_error("HTTP route without a handler: " + path);
  if (content_type.empty() || has_line_break(content_type))
    throw std::logic_error("HTTP stream route needs a one-line content type: " + path);
  const std::size_t index = s.routes_.size();
  if (!s.routes_.emplace(path, Route{index, {}, std::move(handler), std::move(content_type)}).second) {
    throw std::logic_error("HTTP route registered twice: " + path);
  }
}

void HttpServer::start() {
  ServerState& s = *impl_->state;
  if (s.started_) throw std::logic_error("HttpServer::start called twice");
  if (s.metrics_ != nullptr) {
    std::vector<std::string> paths(s.routes_.size());
    for (const auto& [path, route] : s.routes_) paths[route.index] = path;
    s.probe_.emplace(*s.metrics_, paths);
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(s.options_.address, ec);
  if (ec) throw std::system_error(ec, "HTTP listen address \"" + s.options_.address + "\"");
  const tcp::endpoint endpoint(address, s.options_.port);
  const std::string where = "HTTP listen on " + s.options_.address + ":" + std::to_string(s.options_.port);
  if (s.acceptor_.open(endpoint.protocol(), ec); ec) throw std::system_error(ec, where);
  // Lets a restarted daemon bind while the old process's connections sit in TIME_WAIT.
  if (s.acceptor_.set_option(asio::socket_base::reuse_address(true), ec); ec) throw std::system_error(ec, where);
  if (s.acceptor_.bind(endpoint, ec); ec) throw std::system_error(ec, where);
  if (s.acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) throw std::system_error(ec, where);
  s.port_ = s.acceptor_.local_endpoint(ec).port();
  if (ec) throw std::system_error(ec, where);
  s.started_ = true;
  asio::dispatch(s.acceptor_.get_executor(), [state = impl_->state] { state->accept(); });
}

void HttpServer::stop() {
  if (impl_->state->stopping_.exchange(true)) return;
  asio::post(impl_->state->acceptor_.get_executor(), [state = impl_->state] { state->close(); });
}

std::uint16_t HttpServer::port() const { return impl_->state->port_; }

}  // namespace sm::ops
