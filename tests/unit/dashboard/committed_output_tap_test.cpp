#include "dashboard/committed_output_tap.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sm::dashboard {
namespace {

using pipeline::InputRecord;
using pipeline::OutputKind;
using pipeline::OutputRecord;

// Produces one output per input record, of the kind named by the value ("alert", "aggregate", "dead", "late"),
// keyed by the record's key; before_commit() writes a changelog record. Remembers what it was told.
class ScriptedProcessor final : public pipeline::RecordProcessor {
 public:
  void process(const InputRecord& record, std::vector<OutputRecord>& out) override {
    OutputRecord& r = out.emplace_back();
    r.kind = record.value == "alert"       ? OutputKind::kAlert
             : record.value == "aggregate" ? OutputKind::kAggregate
             : record.value == "dead"      ? OutputKind::kDeadLetter
                                           : OutputKind::kLateEvent;
    r.key = std::string(record.key);
    r.value = "v-" + r.key;
  }
  void on_tick(std::int64_t now_ms, std::vector<OutputRecord>& out) override {
    OutputRecord& r = out.emplace_back();
    r.kind = OutputKind::kAggregate;
    r.key = "tick-" + std::to_string(now_ms);
  }
  void before_commit(std::vector<OutputRecord>& out) override {
    out.push_back(OutputRecord{OutputKind::kChangelog, "state", "s", {}, 0});
  }
  void on_committed() override { calls.push_back("committed"); }
  void on_aborted() override { calls.push_back("aborted"); }
  void restore(std::int32_t partition, std::string_view key, std::string_view) override {
    calls.push_back("restore " + std::to_string(partition) + " " + std::string(key));
  }
  void on_assigned(const std::vector<std::int32_t>& p) override { calls.push_back("assigned " + std::to_string(p.size())); }
  void on_revoked(const std::vector<std::int32_t>& p) override { calls.push_back("revoked " + std::to_string(p.size())); }

  std::vector<std::string> calls;
};

std::vector<std::string> keys(const std::vector<OutputRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.key);
  return out;
}

class CommittedOutputTapTest : public ::testing::Test {
 protected:
  void feed(pipeline::RecordProcessor& p, std::string key, std::string value) {
    InputRecord in;
    in.key = key;
    in.value = value;
    out_.clear();
    p.process(in, out_);
  }

  ScriptedProcessor inner_;
  std::vector<CommittedOutputs> batches_;
  std::vector<OutputRecord> out_;
  CommittedOutputTap tap_{inner_, {OutputKind::kAlert, OutputKind::kAggregate},
                          [this](CommittedOutputs b) { batches_.push_back(std::move(b)); }};
};

TEST_F(CommittedOutputTapTest, HandsOverAlertsAndAggregatesOnlyWhenTheTransactionCommits) {
  feed(tap_, "a1", "alert");
  ASSERT_EQ(out_.size(), 1U);  // the transport still gets every record, unchanged
  EXPECT_EQ(out_[0].value, "v-a1");
  feed(tap_, "g1", "aggregate");
  feed(tap_, "d1", "dead");
  feed(tap_, "l1", "late");
  out_.clear();
  tap_.on_tick(7, out_);
  EXPECT_EQ(keys(out_), std::vector<std::string>{"tick-7"});
  out_.clear();
  tap_.before_commit(out_);
  EXPECT_EQ(keys(out_), std::vector<std::string>{"state"});
  EXPECT_TRUE(batches_.empty());  // nothing before the commit

  tap_.on_committed();
  ASSERT_EQ(batches_.size(), 1U);
  EXPECT_EQ(keys(batches_[0].alerts), std::vector<std::string>{"a1"});
  EXPECT_EQ(keys(batches_[0].aggregates), (std::vector<std::string>{"g1", "tick-7"}));
  EXPECT_EQ(batches_[0].alerts[0].value, "v-a1");
  EXPECT_EQ(inner_.calls, std::vector<std::string>{"committed"});
}

TEST_F(CommittedOutputTapTest, DropsWhatAnAbortedTransactionProduced) {
  feed(tap_, "a1", "alert");
  feed(tap_, "g1", "aggregate");
  tap_.on_aborted();
  EXPECT_TRUE(batches_.empty());
  // Re-delivered after the abort, then committed: each record once.
  feed(tap_, "a1", "alert");
  feed(tap_, "a2", "alert");
  tap_.on_committed();
  ASSERT_EQ(batches_.size(), 1U);
  EXPECT_EQ(keys(batches_[0].alerts), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_TRUE(batches_[0].aggregates.empty());
  EXPECT_EQ(inner_.calls, (std::vector<std::string>{"aborted", "committed"}));
}

TEST_F(CommittedOutputTapTest, EachCommitHandsOverOnlyItsOwnTransaction) {
  feed(tap_, "a1", "alert");
  tap_.on_committed();
  tap_.on_committed();  // an empty transaction: nothing to hand over
  feed(tap_, "a2", "alert");
  tap_.on_committed();
  ASSERT_EQ(batches_.size(), 2U);
  EXPECT_EQ(keys(batches_[0].alerts), std::vector<std::string>{"a1"});
  EXPECT_EQ(keys(batches_[1].alerts), std::vector<std::string>{"a2"});
}

TEST_F(CommittedOutputTapTest, KeepsOnlyTheChosenKinds) {
  std::vector<CommittedOutputs> got;
  CommittedOutputTap aggregates_only(inner_, {OutputKind::kAggregate}, [&](CommittedOutputs b) { got.push_back(b); });
  feed(aggregates_only, "a1", "alert");
  feed(aggregates_only, "g1", "aggregate");
  aggregates_only.on_committed();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_TRUE(got[0].alerts.empty());
  EXPECT_EQ(keys(got[0].aggregates), std::vector<std::string>{"g1"});
}

TEST_F(CommittedOutputTapTest, ForwardsPartitionOwnershipAndRestore) {
  tap_.restore(2, "k", "v");
  tap_.on_assigned({1, 2});
  tap_.on_revoked({1});
  EXPECT_EQ(inner_.calls, (std::vector<std::string>{"restore 2 k", "assigned 2", "revoked 1"}));
  EXPECT_TRUE(batches_.empty());
}

}  // namespace
}  // namespace sm::dashboard
