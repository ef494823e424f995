#pragma once

#include <string>

namespace sm::testing {

// The repository root (SM_REPO_DIR, set by ctest).
std::string repo_dir();
// The public data in ../shared/data, read in place: SM_SHARED_DATA, or <repo>/../shared/data.
std::string shared_data_dir();
// The sanctions-monitor binary under test (SM_BINARY, set by ctest).
std::string binary();
// A fresh, empty directory for one test's files, under the build tree's tmp/.
std::string temp_dir(const std::string& name);

}  // namespace sm::testing
