#pragma once

#include <string>

namespace sm::testing {

// The repository root (SM_REPO_DIR, set by ctest).
std::string repo_dir();
// The public data in ../shared/data, read in place: SM_SHARED_DATA, or <repo>/../shared/data.
std::string shared_data_dir();
// The sanctions-monitor binary under test: SM_BINARY, or the one this build tree makes.
std::string binary();
// A fresh, empty directory for one test's files, under the build tree's tmp/.
std::string temp_dir(const std::string& name);

}  // namespace sm::testing

namespace sm::testing {

// deploy/sanctions-monitor.toml, rewritten into `dir` so that it reads the public data from shared_data_dir()
// and the repo's own files from repo_dir(), wherever the test runs. Returns the new file's path.
std::string test_config(const std::string& dir);

// Runs a shell command, returning its exit status; stdout and stderr go where the command line says.
int run(const std::string& command);

// The whole content of a file ("" if it cannot be read).
std::string read_file(const std::string& path);

}  // namespace sm::testing
