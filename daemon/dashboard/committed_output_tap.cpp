#include "dashboard/committed_output_tap.h"

#include <algorithm>
#include <utility>

namespace sm::dashboard {

using pipeline::OutputKind;
using pipeline::OutputRecord;

CommittedOutputTap::CommittedOutputTap(pipeline::RecordProcessor& inner, std::vector<OutputKind> kinds, Sink sink)
    : inner_(inner),
      keep_alerts_(std::find(kinds.begin(), kinds.end(), OutputKind::kAlert) != kinds.end()),
      keep_aggregates_(std::find(kinds.begin(), kinds.end(), OutputKind::kAggregate) != kinds.end()),
      sink_(std::move(sink)) {}

void CommittedOutputTap::keep(const std::vector<OutputRecord>& out, std::size_t from) {
  for (std::size_t i = from; i < out.size(); ++i) {
    if (out[i].kind == OutputKind::kAlert && keep_alerts_) open_.alerts.push_back(out[i]);
    if (out[i].kind == OutputKind::kAggregate && keep_aggregates_) open_.aggregates.push_back(out[i]);
  }
}

void CommittedOutputTap::process(const pipeline::InputRecord& record, std::vector<OutputRecord>& out) {
  const std::size_t from = out.size();
  inner_.process(record, out);
  keep(out, from);
}

void CommittedOutputTap::on_tick(std::int64_t now_ms, std::vector<OutputRecord>& out) {
  const std::size_t from = out.size();
  inner_.on_tick(now_ms, out);
  keep(out, from);
}

void CommittedOutputTap::before_commit(std::vector<OutputRecord>& out) {
  const std::size_t from = out.size();
  inner_.before_commit(out);
  keep(out, from);
}

void CommittedOutputTap::on_committed() {
  inner_.on_committed();
  CommittedOutputs batch = std::exchange(open_, {});
  if (!batch.alerts.empty() || !batch.aggregates.empty()) sink_(std::move(batch));
}

void CommittedOutputTap::on_aborted() {
  open_ = {};
  inner_.on_aborted();
}

void CommittedOutputTap::restore(std::int32_t partition, std::string_view key, std::string_view value) {
  inner_.restore(partition, key, value);
}

void CommittedOutputTap::on_assigned(const std::vector<std::int32_t>& partitions) { inner_.on_assigned(partitions); }

void CommittedOutputTap::on_revoked(const std::vector<std::int32_t>& partitions) { inner_.on_revoked(partitions); }

}  // namespace sm::dashboard
