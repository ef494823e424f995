#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace sm::ops::testing {

// A deliberately simple HTTP/1.1 client on a blocking POSIX socket, so tests can send exactly the bytes they
// want (malformed, oversized, partial, nothing at all) without compiling Beast again.
struct RawResponse {
  int status = 0;                              // 0 when no status line arrived
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawConnection(std::uint16_t port);
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  // Sends every byte; false when the peer has closed.
  bool send(const std::string& bytes);
  // Reads one response (headers, then Content-Length bytes of body unless it answers a HEAD request). status 0
  // if the connection closed first.
  RawResponse read_response(bool head = false);
  // Reads until `marker` has arrived; returns everything up to and including it (the rest stays buffered), or ""
  // when the connection closed first. For streaming responses.
  std::string read_until(const std::string& marker);
  // True when the server closes the connection (EOF or reset) before sending anything more.
  bool closed_by_peer();
  // True when the last read gave up after the guard time: the test hung, not the server's answer.
  bool timed_out() const { return timed_out_; }

 private:
  bool fill();  // reads more into buffer_; false on EOF, error or guard timeout
  int fd_ = -1;
  std::string buffer_;
  bool timed_out_ = false;
};

// One request on a fresh connection.
RawResponse http_request(std::uint16_t port, const std::string& raw_request);
RawResponse http_get(std::uint16_t port, const std::string& target, const std::string& method = "GET");

}  // namespace sm::ops::testing
