#include "unit/kafka/kafka_test_support.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>

#include "kafka/rdkafka_handles.h"

namespace sm::kafka::testing {

std::string SeenRecord::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

std::string random_suffix() {
  std::random_device rd;
  std::ostringstream out;
  out << std::hex << rd();
  return out.str();
}

KafkaConfig test_config(const std::string& bootstrap, const std::string& suffix, const std::string& instance) {
  KafkaConfig c;
  c.bootstrap_servers = bootstrap;
  c.group_id = "sm-test-" + suffix;
  c.transactional_id_prefix = "sm-test-" + suffix;
  c.instance_id = instance;
  c.input_topic = "trade.events." + suffix;
  c.output_topics = {"sanctions.alerts." + suffix, "sanctions.aggregates." + suffix, "trade.events.dlq." + suffix,
                     "trade.events.late." + suffix, "sanctions-monitor.state-changelog." + suffix};
  c.consumer_properties = {{"session.timeout.ms", "3000"}, {"heartbeat.interval.ms", "300"}};
  return c;
}

std::optional<Error> produce_inputs(const std::string& bootstrap, const std::string& topic,
                                    const std::vector<InputSpec>& inputs) {
  const Properties props = {{"bootstrap.servers", bootstrap}, {"enable.idempotence", "true"}, {"linger.ms", "5"}};
  auto conf = make_conf({&props});
  if (!conf) return conf.error();
  auto producer = make_client(RD_KAFKA_PRODUCER, std::move(conf.value()));
  if (!producer) return producer.error();
  for (const auto& in : inputs) {
    std::vector<rd_kafka_vu_t> vus(4 + in.headers.size());
    vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    vus[0].u.cstr = topic.c_str();
    vus[1].vtype = RD_KAFKA_VTYPE_PARTITION;
    vus[1].u.i32 = in.partition;
    vus[2].vtype = RD_KAFKA_VTYPE_KEY;
    vus[2].u.mem.ptr = const_cast<char*>(in.key.data());
    vus[2].u.mem.size = in.key.size();
    vus[3].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[3].u.mem.ptr = const_cast<char*>(in.value.data());
    vus[3].u.mem.size = in.value.size();
    for (std::size_t i = 0; i < in.headers.size(); ++i) {
      auto& vu = vus[4 + i];
      vu.vtype = RD_KAFKA_VTYPE_HEADER;
      vu.u.header.name = in.headers[i].first.c_str();
      vu.u.header.val = in.headers[i].second.data();
      vu.u.header.size = static_cast<ssize_t>(in.headers[i].second.size());
    }
    for (;;) {
      ErrorPtr err(rd_kafka_produceva(producer->get(), vus.data(), vus.size()));
      if (!err) break;
      if (rd_kafka_error_code(err.get()) != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        return make_error("produce", describe(err.get()));
      }
      rd_kafka_poll(producer->get(), 50);
    }
  }
  if (rd_kafka_flush(producer->get(), 30'000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("produce", "inputs not acknowledged within 30 s");
  }
  return std::nullopt;
}

Result<std::vector<SeenRecord>> kcat_read(const std::string& bootstrap, const std::string& topic,
                                          bool read_committed) {
  const std::string cmd = "kcat -C -q -e -b " + bootstrap + " -t " + topic + " -o beginning -X isolation.level=" +
                          (read_committed ? "read_committed" : "read_uncommitted") +
                          " -f '%p\\t%o\\t%k\\t%s\\t%h\\n' 2>&1";
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return make_error("kcat", "cannot run: " + cmd);
  std::string output;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  const int status = ::pclose(pipe);
  if (status != 0) return make_error("kcat", "`" + cmd + "` failed (" + std::to_string(status) + "): " + output);

  std::vector<SeenRecord> records;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      const auto tab = line.find('\t', start);
      if (tab == std::string::npos) return make_error("kcat", "unexpected line: " + line);
      fields.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    fields.push_back(line.substr(start));
    SeenRecord r;
    r.partition = std::stoi(fields[0]);
    r.offset = std::stoll(fields[1]);
    r.key = fields[2];
    r.value = fields[3];
    std::istringstream hs(fields[4]);
    std::string h;
    while (std::getline(hs, h, ',')) {
      const auto eq = h.find('=');
      if (eq != std::string::npos) r.headers.emplace_back(h.substr(0, eq), h.substr(eq + 1));
    }
    records.push_back(std::move(r));
  }
  return records;
}

Result<std::int64_t> committed_total(const std::string& bootstrap, const std::string& group, const std::string& topic,
                                     int partitions) {
  const Properties props = {{"bootstrap.servers", bootstrap}, {"group.id", group}, {"enable.auto.commit", "false"}};
  auto conf = make_conf({&props});
  if (!conf) return conf.error();
  auto consumer = make_client(RD_KAFKA_CONSUMER, std::move(conf.value()));
  if (!consumer) return consumer.error();
  PartitionListPtr list(rd_kafka_topic_partition_list_new(partitions));
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), p);
  if (const auto err = rd_kafka_committed(consumer->get(), list.get(), 5'000); err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return make_error("committed", rd_kafka_err2str(err));
  }
  std::int64_t total = 0;
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].offset > 0) total += list->elems[i].offset;
  }
  rd_kafka_consumer_close(consumer->get());
  return total;
}

std::string bootstrap_from_env() {
  const char* b = std::getenv("SM_KAFKA_BOOTSTRAP");
  return b == nullptr ? "" : b;
}

}  // namespace sm::kafka::testing
