#include "testing/test_paths.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace sm::testing {
namespace {

std::string env_or_throw(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') throw std::runtime_error(std::string(name) + " is not set; run the tests through ctest");
  return v;
}

}  // namespace

std::string repo_dir() { return env_or_throw("SM_REPO_DIR"); }

std::string shared_data_dir() {
  const char* v = std::getenv("SM_SHARED_DATA");
  if (v != nullptr && *v != '\0') return v;
  return std::filesystem::weakly_canonical(std::filesystem::path(repo_dir()) / ".." / "shared" / "data").string();
}

std::string binary() {
  const char* v = std::getenv("SM_BINARY");
  return v != nullptr && *v != '\0' ? v : SM_DEFAULT_BINARY;
}

std::string temp_dir(const std::string& name) {
  const auto dir = std::filesystem::current_path() / "tmp" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace sm::testing

#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace sm::testing {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string test_config(const std::string& dir) {
  std::string text = read_file(repo_dir() + "/deploy/sanctions-monitor.toml");
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
      text.replace(pos, from.size(), to);
    }
  };
  replace_all("root = \"..\"", "root = \"" + repo_dir() + "\"");
  replace_all("\"../shared/data/", "\"" + shared_data_dir() + "/");
  const std::string path = dir + "/sanctions-monitor.toml";
  std::ofstream(path) << text;
  return path;
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace sm::testing
