#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace sm::ops::testing {

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  // A guard against a hung test, not a timing assertion: a server that answers never takes this long.
  timeval guard{30, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect() failed");
  }
}

RawConnection::~RawConnection() { ::close(fd_); }

bool RawConnection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool RawConnection::fill() {
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) timed_out_ = true;
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

RawResponse RawConnection::read_response(bool head) {
  RawResponse res;
  std::size_t end = 0;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return res;
  }
  const std::string header_block = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);

  std::size_t line_end = header_block.find("\r\n");
  const std::string status_line = header_block.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return res;
  res.status = std::stoi(status_line.substr(9, 3));
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = header_block.find("\r\n", start);
    const std::string line =
        header_block.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    res.headers[name] = value;
  }

  const auto length = res.headers.find("content-length");
  const std::size_t want = head || length == res.headers.end() ? 0 : std::stoul(length->second);
  while (buffer_.size() < want) {
    if (!fill()) break;
  }
  res.body = buffer_.substr(0, want);
  buffer_.erase(0, std::min(want, buffer_.size()));
  return res;
}

std::string RawConnection::read_until(const std::string& marker) {
  std::size_t at = 0;
  while ((at = buffer_.find(marker)) == std::string::npos) {
    if (!fill()) return {};
  }
  std::string out = buffer_.substr(0, at + marker.size());
  buffer_.erase(0, at + marker.size());
  return out;
}

bool RawConnection::closed_by_peer() {
  if (!buffer_.empty()) return false;
  return !fill() && !timed_out_;
}

RawResponse http_request(std::uint16_t port, const std::string& raw_request) {
  RawConnection c(port);
  c.send(raw_request);
  return c.read_response();
}

RawResponse http_get(std::uint16_t port, const std::string& target, const std::string& method) {
  return http_request(port, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
}

}  // namespace sm::ops::testing
