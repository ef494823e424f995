#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/fx_rate_feed.h"
#include "app/merge_stage.h"
#include "config/app_config.h"
#include "testing/test_paths.h"

namespace sm::app {
namespace {

// The example configuration with `line` added under [aggregates].
Result<config::AppConfig> config_with(const std::string& name, const std::string& line) {
  const std::string path = sm::testing::test_config(sm::testing::temp_dir(name));
  std::string text = sm::testing::read_file(path);
  const auto at = text.find("[aggregates]\n");
  EXPECT_NE(at, std::string::npos);
  text.insert(at + 13, line + "\n");
  std::ofstream(path, std::ios::trunc) << text;
  return config::load_config(path);
}

TEST(FxRatesConfig, OffByDefaultAndNoTopicToCreate) {
  auto cfg = config::load_config(sm::testing::test_config(sm::testing::temp_dir("fx_default")));
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->aggregates.fx_rates_topic, "");
  for (const auto& spec : deployment_topics(*cfg, 6)) EXPECT_EQ(spec.name.find("fx"), std::string::npos) << spec.name;
}

TEST(FxRatesConfig, WhenSetTopicsCreateMakesItCompactedWithOnePartition) {
  auto cfg = config_with("fx_set", "fx_rates_topic = \"fx.rates\"");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->aggregates.fx_rates_topic, "fx.rates");
  const auto specs = deployment_topics(*cfg, 6, 3);
  const auto it = std::find_if(specs.begin(), specs.end(), [](const auto& s) { return s.name == "fx.rates"; });
  ASSERT_NE(it, specs.end());
  EXPECT_EQ(it->partitions, 1);
  EXPECT_EQ(it->replication_factor, 3);
  EXPECT_EQ(it->configs.at("cleanup.policy"), "compact");
}

TEST(FxRatesConfig, ConfigCheckRefusesANameKafkaWouldRefuse) {
  auto cfg = config_with("fx_bad", "fx_rates_topic = \"fx rates!\"");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.error().message.find("aggregates.fx_rates_topic"), std::string::npos) << cfg.error().message;
  auto same = config_with("fx_same", "fx_rates_topic = \"trade.events\"");
  ASSERT_FALSE(same.ok()) << "the input topic cannot also hold rates";
  EXPECT_NE(same.error().message.find("also one of the [kafka] topics"), std::string::npos) << same.error().message;
}

TEST(FxRatesFile, ReplayReadsJsonLinesInOrderAndReportsWhatItLeavesOut) {
  const std::string path = sm::testing::temp_dir("fx_file") + "/rates.jsonl";
  std::ofstream(path) << R"({"currency":"RUB","rate":"0.0100","effectiveFrom":"2026-03-01T00:00:00Z"})" << "\n"
                      << "\n"
                      << "not a rate\n"
                      << R"({"currency":"RUB","rate":"0.0105","effectiveFrom":"2026-03-01T00:00:00Z"})" << "\n";
  std::ostringstream warnings;
  auto book = load_fx_rates_file(path, "USD", warnings);
  ASSERT_TRUE(book.ok()) << book.error().message;
  const auto h = (*book)->snapshot();
  EXPECT_EQ(h->size(), 1U) << "the later line corrects the earlier one";
  EXPECT_EQ(h->rate_at("RUB", *parse_rfc3339("2026-03-01T00:00:00Z")), (aggregate::ExactRate{105, 4}));
  EXPECT_EQ(warnings.str().rfind(path + ":3: left out: ", 0), 0U) << warnings.str();
  std::ostringstream ignored;
  EXPECT_FALSE(load_fx_rates_file(path + ".missing", "USD", ignored).ok());
}

}  // namespace
}  // namespace sm::app
