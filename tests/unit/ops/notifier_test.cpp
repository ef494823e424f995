#include "ops/notifier.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "testing/test_paths.h"

namespace sm::ops {
namespace {

// A datagram socket standing in for systemd's notification socket.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) throw std::runtime_error("socket path too long: " + path);
    path.copy(addr.sun_path, path.size());
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("cannot bind " + path);
    }
  }
  ~NotifySocket() { ::close(fd_); }

  // Every datagram queued so far, in arrival order (the socket is non-blocking: sd_notify has returned already).
  std::vector<std::string> drain() {
    std::vector<std::string> out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) >= 0;) out.emplace_back(buf, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int fd_ = -1;
};

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One directory per test: ctest may run this fixture's tests in parallel.
    dir_ = sm::testing::temp_dir(std::string("notifier_") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    path_ = dir_ + "/notify.sock";
  }
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
  std::string dir_;
  std::string path_;
};

TEST_F(NotifierTest, SendsEachStateInOrder) {
  NotifySocket socket(path_);
  ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  Notifier n;
  EXPECT_TRUE(n.status("loading lists\nstill loading"));
  EXPECT_TRUE(n.ready());
  EXPECT_TRUE(n.watchdog());
  EXPECT_TRUE(n.reloading());
  EXPECT_TRUE(n.ready());
  EXPECT_TRUE(n.extend_timeout(std::chrono::seconds(30)));
  EXPECT_TRUE(n.stopping());

  const auto messages = socket.drain();
  ASSERT_EQ(messages.size(), 7u);
  EXPECT_EQ(messages[0], "STATUS=loading lists still loading");
  EXPECT_EQ(messages[1], "READY=1");
  EXPECT_EQ(messages[2], "WATCHDOG=1");
  const std::string prefix = "RELOADING=1\nMONOTONIC_USEC=";
  ASSERT_EQ(messages[3].rfind(prefix, 0), 0u) << messages[3];
  const std::string usec = messages[3].substr(prefix.size());
  EXPECT_FALSE(usec.empty());
  EXPECT_EQ(usec.find_first_not_of("0123456789"), std::string::npos) << usec;
  EXPECT_GT(std::stoull(usec), 0u);
  EXPECT_EQ(messages[4], "READY=1");
  EXPECT_EQ(messages[5], "EXTEND_TIMEOUT_USEC=30000000");
  EXPECT_EQ(messages[6], "STOPPING=1");
}

TEST_F(NotifierTest, NoOpWithoutNotifySocket) {
  NotifySocket socket(path_);
  ::unsetenv("NOTIFY_SOCKET");
  Notifier n;
  EXPECT_FALSE(n.ready());
  EXPECT_FALSE(n.watchdog());
  EXPECT_FALSE(n.stopping());
  EXPECT_TRUE(socket.drain().empty());
}

TEST_F(NotifierTest, ReportsAFailedSend) {
  ::setenv("NOTIFY_SOCKET", (dir_ + "/nobody-listens.sock").c_str(), 1);
  EXPECT_FALSE(Notifier().ready());
}

TEST_F(NotifierTest, WatchdogIntervalComesFromSystemdsVariablesForThisProcess) {
  ::unsetenv("WATCHDOG_USEC");
  EXPECT_EQ(Notifier::watchdog_interval(), std::nullopt);

  ::setenv("WATCHDOG_USEC", "30000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_EQ(Notifier::watchdog_interval(), std::chrono::microseconds(30'000'000));

  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);  // meant for another process
  EXPECT_EQ(Notifier::watchdog_interval(), std::nullopt);
}

}  // namespace
}  // namespace sm::ops
