#include <gtest/gtest.h>

#include <cstdlib>

#include "kafka/kafka_config.h"
#include "kafka/topic_admin.h"

namespace sm::kafka {
namespace {

TEST(KafkaConfig, ResolvesEnvironmentReferences) {
  ::setenv("SM_TEST_KAFKA_SECRET", "hunter2", 1);
  auto resolved = resolve_properties({{"sasl.password", "${SM_TEST_KAFKA_SECRET}"}, {"security.protocol", "SASL_SSL"}});
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  EXPECT_EQ(resolved->at("sasl.password"), "hunter2");
  EXPECT_EQ(resolved->at("security.protocol"), "SASL_SSL");
}

TEST(KafkaConfig, MissingEnvironmentVariableIsAnErrorThatNamesIt) {
  ::unsetenv("SM_TEST_KAFKA_UNSET");
  auto resolved = resolve_properties({{"sasl.password", "${SM_TEST_KAFKA_UNSET}"}});
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code, "missing_env");
  EXPECT_NE(resolved.error().message.find("SM_TEST_KAFKA_UNSET"), std::string::npos);
  EXPECT_NE(resolved.error().message.find("sasl.password"), std::string::npos);
}

TEST(KafkaConfig, SecretValuesAreMaskedInDescriptions) {
  EXPECT_TRUE(is_secret_key("sasl.password"));
  EXPECT_TRUE(is_secret_key("ssl.key.password"));
  EXPECT_TRUE(is_secret_key("sasl.oauthbearer.client.secret"));
  EXPECT_TRUE(is_secret_key("SSL.KEYSTORE.KEY"));
  EXPECT_FALSE(is_secret_key("security.protocol"));
  const std::string text = describe_properties({{"sasl.password", "hunter2"}, {"sasl.username", "svc"}});
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_NE(text.find("sasl.password=****"), std::string::npos);
  EXPECT_NE(text.find("sasl.username=svc"), std::string::npos);
}

TEST(KafkaConfig, TopicsPerKindAndTransactionalId) {
  KafkaConfig c;
  EXPECT_EQ(c.topic(pipeline::OutputKind::kAlert), "sanctions.alerts");
  EXPECT_EQ(c.topic(pipeline::OutputKind::kAggregate), "sanctions.aggregates");
  EXPECT_EQ(c.topic(pipeline::OutputKind::kDeadLetter), "trade.events.dlq");
  EXPECT_EQ(c.topic(pipeline::OutputKind::kLateEvent), "trade.events.late");
  EXPECT_EQ(c.topic(pipeline::OutputKind::kChangelog), "sanctions-monitor.state-changelog");
  EXPECT_EQ(c.commit_interval.count(), 100);
  c.transactional_id_prefix = "sm";
  EXPECT_EQ(c.transactional_id(), "sm");
  c.instance_id = "host-1";
  EXPECT_EQ(c.transactional_id(), "sm-host-1");
}

TEST(TopicAdmin, StandardTopicsCompactChangelogAndAggregatesOnly) {
  KafkaConfig c;
  const auto specs = standard_topics(c, 6, 1);
  ASSERT_EQ(specs.size(), 6u);
  for (const auto& s : specs) {
    EXPECT_EQ(s.partitions, 6) << s.name;
    EXPECT_EQ(s.replication_factor, 1) << s.name;
    const bool compacted = s.configs.count("cleanup.policy") != 0 && s.configs.at("cleanup.policy") == "compact";
    const bool should = s.name == c.topic(pipeline::OutputKind::kChangelog) ||
                        s.name == c.topic(pipeline::OutputKind::kAggregate);
    EXPECT_EQ(compacted, should) << s.name;
  }
  EXPECT_EQ(specs.front().name, c.input_topic);
}

}  // namespace
}  // namespace sm::kafka
