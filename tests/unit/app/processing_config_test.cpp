#include <gtest/gtest.h>

#include <fstream>

#include "app/common.h"
#include "config/app_config.h"
#include "testing/test_paths.h"

namespace sm::app {
namespace {

// The example configuration with its [processing] assess_threads set to `value`.
Result<config::AppConfig> with_assess_threads(const std::string& name, const std::string& value) {
  const std::string path = sm::testing::test_config(sm::testing::temp_dir(name));
  std::string text = sm::testing::read_file(path);
  const std::string key = "assess_threads = ";
  const auto at = text.find(key);
  EXPECT_NE(at, std::string::npos) << "the example configuration says how many assess threads";
  text.replace(at + key.size(), text.find('\n', at) - at - key.size(), value);
  std::ofstream(path, std::ios::trunc) << text;
  return config::load_config(path);
}

TEST(ProcessingConfig, AssessThreadsReachTheProcessor) {
  const auto cfg = with_assess_threads("processing_three", "3");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(processor_options(*cfg).assess_threads, 3U);
}

TEST(ProcessingConfig, AssessThreadsOutOfRangeAreRefusedWithTheKey) {
  for (const std::string bad : {"0", "65", "\"two\""}) {
    const auto cfg = with_assess_threads("processing_bad", bad);
    ASSERT_FALSE(cfg.ok()) << bad;
    EXPECT_NE(cfg.error().message.find("processing.assess_threads"), std::string::npos) << cfg.error().message;
  }
}

}  // namespace
}  // namespace sm::app
