#include <iostream>

#include "app/common.h"

namespace sm::app {

// The Kafka daemon and the demo are wired in once the transport lands (issue 3).
int run_command(const Args&) {
  std::cerr << "run: not built yet\n";
  return 1;
}

int demo_command(const Args&) {
  std::cerr << "demo: not built yet\n";
  return 1;
}

}  // namespace sm::app
