#include "kafka/mock_cluster.h"

#include "kafka/rdkafka_handles.h"  // Includes rdkafka.h, which rdkafka_mock.h requires first.

#include <librdkafka/rdkafka_mock.h>

namespace sm::kafka {
namespace {

struct MockDeleter {
  void operator()(rd_kafka_mock_cluster_t* p) const { rd_kafka_mock_cluster_destroy(p); }
};

}  // namespace

struct MockCluster::State {
  // Declaration order matters: the cluster runs on the handle's threads, so it is destroyed first.
  ClientPtr handle;
  std::unique_ptr<rd_kafka_mock_cluster_t, MockDeleter> cluster;
  std::string bootstrap;
};

Result<MockCluster> MockCluster::start(int brokers) {
  // A producer that never produces: the mock cluster needs some client instance to live in.
  const Properties props = {{"client.id", "sm-mock-cluster"}};
  auto conf = make_conf({&props});
  if (!conf) return conf.error();
  auto handle = make_client(RD_KAFKA_PRODUCER, std::move(conf.value()));
  if (!handle) return handle.error();
  auto state = std::make_unique<State>();
  state->handle = std::move(handle.value());
  state->cluster.reset(rd_kafka_mock_cluster_new(state->handle.get(), brokers));
  if (!state->cluster) return make_error("kafka_mock", "cannot start librdkafka's mock cluster");
  state->bootstrap = rd_kafka_mock_cluster_bootstraps(state->cluster.get());
  return MockCluster(std::move(state));
}

MockCluster::MockCluster(std::unique_ptr<State> state) : state_(std::move(state)) {}
MockCluster::MockCluster(MockCluster&&) noexcept = default;
MockCluster& MockCluster::operator=(MockCluster&&) noexcept = default;
MockCluster::~MockCluster() = default;

std::optional<Error> MockCluster::create_topic(const std::string& name, int partitions) {
  const auto err = rd_kafka_mock_topic_create(state_->cluster.get(), name.c_str(), partitions, 1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("kafka_mock", "cannot create mock topic " + name + ": " + rd_kafka_err2str(err));
  }
  return std::nullopt;
}

void MockCluster::fail_requests(std::int16_t api_key, const std::vector<int>& error_codes) {
  std::vector<rd_kafka_resp_err_t> codes;
  codes.reserve(error_codes.size());
  for (int c : error_codes) codes.push_back(static_cast<rd_kafka_resp_err_t>(c));
  rd_kafka_mock_push_request_errors_array(state_->cluster.get(), api_key, codes.size(), codes.data());
}

const std::string& MockCluster::bootstrap() const { return state_->bootstrap; }

}  // namespace sm::kafka
