#include "ops/notifier.h"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace sm::ops {

bool Notifier::send(const char* message) {
  // 0 unset_environment: later notifications must still find NOTIFY_SOCKET.
  return sd_notify(0, message) > 0;
}

bool Notifier::ready() { return send("READY=1"); }

bool Notifier::status(std::string_view text) {
  std::string message = "STATUS=";
  for (const char c : text) message += (c == '\n' || c == '\r') ? ' ' : c;
  return send(message.c_str());
}

bool Notifier::watchdog() { return send("WATCHDOG=1"); }

bool Notifier::reloading() {
  // systemd 253+ matches RELOADING=1 against the reload it started by this timestamp; 252 ignores the field.
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const auto usec = static_cast<unsigned long long>(now.tv_sec) * 1'000'000ULL +
                    static_cast<unsigned long long>(now.tv_nsec) / 1'000ULL;
  const std::string message = "RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec);
  return send(message.c_str());
}

bool Notifier::stopping() { return send("STOPPING=1"); }

bool Notifier::extend_timeout(std::chrono::microseconds extra) {
  const std::string message = "EXTEND_TIMEOUT_USEC=" + std::to_string(extra.count());
  return send(message.c_str());
}

std::optional<std::chrono::microseconds> Notifier::watchdog_interval() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(static_cast<std::int64_t>(usec));
}

}  // namespace sm::ops
