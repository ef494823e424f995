#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace sm::ops {

// Tells systemd (Type=notify) about the service's state through sd_notify. Every call is a no-op returning false
// when NOTIFY_SOCKET is unset (run from a shell, in tests, under another supervisor), and returns false when the
// message could not be sent; a failed notification never throws: systemd's own timeouts are the remedy.
// Stateless and thread-safe; with NotifyAccess=main, call it from the main process (any of its threads).
//
// The daemon's sequence: status() while starting, ready() once serving; watchdog() at watchdog_interval() / 2
// from the loop whose progress proves the service healthy; on SIGHUP reloading(), then ready() (or status() with
// the failure and ready() for the old configuration still serving); on shutdown stopping() before draining.
class Notifier {
 public:
  bool ready();                        // READY=1
  bool status(std::string_view text);  // STATUS=<text> (one line; line breaks become spaces)
  bool watchdog();                     // WATCHDOG=1
  bool reloading();                    // RELOADING=1 with MONOTONIC_USEC=<now> (systemd 253 wants both)
  bool stopping();                     // STOPPING=1
  bool extend_timeout(std::chrono::microseconds extra);  // EXTEND_TIMEOUT_USEC=<extra>, for a slow start or stop

  // WatchdogSec= as systemd passed it to this process (WATCHDOG_USEC, for this PID), or nullopt when disabled.
  static std::optional<std::chrono::microseconds> watchdog_interval();

 private:
  static bool send(const char* message);
};

}  // namespace sm::ops
