#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/record_processor.h"

namespace sm::kafka::testing {

// A RecordProcessor for transport tests, standing in for the engine:
//  - a value starting with "BAD" becomes a dead letter with only a reason header (sm.error.message), key and value
//    left empty so that the transport fills in the original bytes and the __connect.errors.* headers;
//  - any other value becomes one alert keyed by the input key, valued "<partition>:<count>:<input value>";
//  - every input adds one to its partition's count, the processor's state, written to the changelog as
//    key "count-<p>" = "<count>" at each commit and restored from it on assignment.
// So after any number of crashes, read_committed alerts of partition p must carry the counts 1..n_p once each.
// Driven by one transport thread; the atomics and snapshot() may be read from others.
class CountingProcessor final : public pipeline::RecordProcessor {
 public:
  explicit CountingProcessor(std::chrono::microseconds delay_per_record = {}) : delay_(delay_per_record) {}

  void process(const pipeline::InputRecord& record, std::vector<pipeline::OutputRecord>& out) override {
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    std::int64_t count = 0;
    {
      std::lock_guard lock(mutex_);
      count = ++current_[record.partition];
      dirty_[record.partition] = true;
    }
    auto& rec = out.emplace_back();
    if (record.value.starts_with("BAD")) {
      rec.kind = pipeline::OutputKind::kDeadLetter;
      rec.headers.emplace_back("sm.error.message", "value starts with BAD");
      rec.headers.emplace_back("__connect.errors.exception.message", "test: value starts with BAD");
    } else {
      rec.kind = pipeline::OutputKind::kAlert;
      rec.key = std::string(record.key);
      rec.value = std::to_string(record.partition) + ":" + std::to_string(count) + ":" + std::string(record.value);
    }
    processed.fetch_add(1);
  }

  void on_tick(std::int64_t, std::vector<pipeline::OutputRecord>&) override { ticks.fetch_add(1); }

  void before_commit(std::vector<pipeline::OutputRecord>& out) override {
    std::lock_guard lock(mutex_);
    for (auto& [partition, dirty] : dirty_) {
      if (!dirty) continue;
      auto& rec = out.emplace_back();
      rec.kind = pipeline::OutputKind::kChangelog;
      rec.key = "count-" + std::to_string(partition);
      rec.value = std::to_string(current_[partition]);
      rec.partition = partition;
      dirty = false;
    }
  }

  void on_committed() override {
    std::lock_guard lock(mutex_);
    committed_ = current_;
    for (const auto& [p, n] : committed_) last_committed_[p] = n;
    commits.fetch_add(1);
  }

  void on_aborted() override {
    std::lock_guard lock(mutex_);
    current_ = committed_;
    dirty_.clear();
    aborts.fetch_add(1);
  }

  void restore(std::int32_t partition, std::string_view key, std::string_view value) override {
    std::lock_guard lock(mutex_);
    if (key != "count-" + std::to_string(partition)) {
      foreign_restores.fetch_add(1);  // State of another partition in this changelog partition: a transport bug.
      return;
    }
    const std::int64_t count = value.empty() ? 0 : std::stoll(std::string(value));
    current_[partition] = count;
    committed_[partition] = count;
    restored.fetch_add(1);
  }

  void on_assigned(const std::vector<std::int32_t>& partitions) override {
    std::lock_guard lock(mutex_);
    for (auto p : partitions) {
      assigned_[p] = true;
      restored_counts_[p] = current_[p];
    }
    assignments.fetch_add(1);
  }

  void on_revoked(const std::vector<std::int32_t>& partitions) override {
    std::lock_guard lock(mutex_);
    for (auto p : partitions) {
      assigned_.erase(p);
      current_.erase(p);
      committed_.erase(p);
      dirty_.erase(p);
    }
    revocations.fetch_add(1);
  }

  // Counts per partition as of now, and as they were right after each partition's last restore.
  std::map<std::int32_t, std::int64_t> counts() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  std::map<std::int32_t, std::int64_t> restored_counts() const {
    std::lock_guard lock(mutex_);
    return restored_counts_;
  }
  // The count of each partition at its last commit by this processor (kept after revocation).
  std::map<std::int32_t, std::int64_t> last_committed_counts() const {
    std::lock_guard lock(mutex_);
    return last_committed_;
  }
  std::vector<std::int32_t> assigned() const {
    std::lock_guard lock(mutex_);
    std::vector<std::int32_t> out;
    for (const auto& [p, yes] : assigned_) out.push_back(p);
    return out;
  }

  std::atomic<std::uint64_t> processed{0};
  std::atomic<std::uint64_t> restored{0};
  std::atomic<std::uint64_t> foreign_restores{0};
  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> aborts{0};
  std::atomic<std::uint64_t> ticks{0};
  std::atomic<std::uint64_t> assignments{0};
  std::atomic<std::uint64_t> revocations{0};

 private:
  std::chrono::microseconds delay_;
  mutable std::mutex mutex_;
  std::map<std::int32_t, std::int64_t> current_;
  std::map<std::int32_t, std::int64_t> committed_;
  std::map<std::int32_t, bool> dirty_;
  std::map<std::int32_t, bool> assigned_;
  std::map<std::int32_t, std::int64_t> restored_counts_;
  std::map<std::int32_t, std::int64_t> last_committed_;
};

}  // namespace sm::kafka::testing
