#pragma once

#include <functional>
#include <vector>

#include "pipeline/record_processor.h"

namespace sm::dashboard {

// The alert and aggregate records of one committed transaction, exactly as they were handed to the transport.
struct CommittedOutputs {
  std::vector<pipeline::OutputRecord> alerts;
  std::vector<pipeline::OutputRecord> aggregates;
};

// A RecordProcessor that forwards every call to `inner` and keeps a copy of the records of the chosen kinds (kAlert,
// kAggregate) produced in the open transaction. on_committed() hands them to the sink; on_aborted() drops them. So whatever reads the sink
// sees what a read_committed consumer of the topics sees, and nothing else: no second source of truth.
//
// Same threading as the processor it wraps (one transport thread). The sink runs on that thread inside
// on_committed(): it should hand the batch elsewhere (post it to an event loop) and return.
class CommittedOutputTap final : public pipeline::RecordProcessor {
 public:
  using Sink = std::function<void(CommittedOutputs)>;

  // `inner` must outlive the tap. `kinds`: which of kAlert and kAggregate to keep (others are never kept).
  CommittedOutputTap(pipeline::RecordProcessor& inner, std::vector<pipeline::OutputKind> kinds, Sink sink);

  void process(const pipeline::InputRecord& record, std::vector<pipeline::OutputRecord>& out) override;
  void on_tick(std::int64_t now_ms, std::vector<pipeline::OutputRecord>& out) override;
  void before_commit(std::vector<pipeline::OutputRecord>& out) override;
  void on_committed() override;
  void on_aborted() override;
  void restore(std::int32_t partition, std::string_view key, std::string_view value) override;
  void on_assigned(const std::vector<std::int32_t>& partitions) override;
  void on_revoked(const std::vector<std::int32_t>& partitions) override;

 private:
  // Copies the records appended to `out` since index `from`.
  void keep(const std::vector<pipeline::OutputRecord>& out, std::size_t from);

  pipeline::RecordProcessor& inner_;
  bool keep_alerts_ = false;
  bool keep_aggregates_ = false;
  Sink sink_;
  CommittedOutputs open_;  // the open transaction's
};

}  // namespace sm::dashboard
