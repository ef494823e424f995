#pragma once

// Owning wrappers for librdkafka's C handles and the few helpers every client here shares. Internal to the
// kafka module (and its tests); nothing outside daemon/kafka includes librdkafka.

#include <librdkafka/rdkafka.h>

#include <initializer_list>
#include <memory>
#include <string>

#include "kafka/kafka_config.h"
#include "model/result.h"

namespace sm::kafka {

struct RdKafkaDeleter {
  void operator()(rd_kafka_t* p) const { rd_kafka_destroy(p); }
  void operator()(rd_kafka_conf_t* p) const { rd_kafka_conf_destroy(p); }
  void operator()(rd_kafka_topic_t* p) const { rd_kafka_topic_destroy(p); }
  void operator()(rd_kafka_topic_partition_list_t* p) const { rd_kafka_topic_partition_list_destroy(p); }
  void operator()(rd_kafka_error_t* p) const { rd_kafka_error_destroy(p); }
  void operator()(rd_kafka_message_t* p) const { rd_kafka_message_destroy(p); }
  void operator()(rd_kafka_headers_t* p) const { rd_kafka_headers_destroy(p); }
  void operator()(rd_kafka_queue_t* p) const { rd_kafka_queue_destroy(p); }
  void operator()(rd_kafka_event_t* p) const { rd_kafka_event_destroy(p); }
  void operator()(rd_kafka_consumer_group_metadata_t* p) const { rd_kafka_consumer_group_metadata_destroy(p); }
  void operator()(rd_kafka_AdminOptions_t* p) const { rd_kafka_AdminOptions_destroy(p); }
  void operator()(rd_kafka_NewTopic_t* p) const { rd_kafka_NewTopic_destroy(p); }
  void operator()(const rd_kafka_metadata_t* p) const { rd_kafka_metadata_destroy(p); }
};

using ClientPtr = std::unique_ptr<rd_kafka_t, RdKafkaDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, RdKafkaDeleter>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, RdKafkaDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, RdKafkaDeleter>;
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, RdKafkaDeleter>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, RdKafkaDeleter>;
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, RdKafkaDeleter>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, RdKafkaDeleter>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, RdKafkaDeleter>;
using GroupMetadataPtr = std::unique_ptr<rd_kafka_consumer_group_metadata_t, RdKafkaDeleter>;
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, RdKafkaDeleter>;
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, RdKafkaDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, RdKafkaDeleter>;

// A configuration holding `properties` (applied in order: later maps override earlier ones; "${ENV}" values
// resolved) with librdkafka's log lines routed to spdlog. Errors name the property, never its value.
Result<ConfPtr> make_conf(std::initializer_list<const Properties*> layers);

// What a consumer that reads topics from the beginning with assign() (changelogs, compacted reference topics)
// must have: read_committed, no commits, partition EOF reported. The group id is required by the API and is
// never joined or committed to.
Properties assign_only_reader_properties(const std::string& bootstrap_servers, const std::string& group_id,
                                         const std::string& client_id);

// Creates a client of `type`, taking ownership of `conf` (consumed even on failure).
Result<ClientPtr> make_client(rd_kafka_type_t type, ConfPtr conf);

// The partition count of `topic` from the cluster's metadata; an error when the topic is unknown or a partition
// has no leader yet. Build the client with allow.auto.create.topics=false (consumers default to it), or asking
// about a missing topic may create it on a broker that allows auto-creation.
Result<int> topic_partition_count(rd_kafka_t* rk, const std::string& topic, int timeout_ms);

// "<code name>: <message>" for an error object.
std::string describe(const rd_kafka_error_t* error);

}  // namespace sm::kafka
