#include "pipeline/merge_processor.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "aggregate/window_store.h"
#include "pipeline/engine_processor.h"

namespace sm::pipeline {
namespace {

using sanctions::v1::Aggregate;

const std::vector<std::string> kGroups = {"FURNITURE"};

InputRecord input(const OutputRecord& o) {
  InputRecord in;
  in.partition = 0;
  in.key = o.key;
  in.value = o.value;
  return in;
}

OutputRecord partial(std::int32_t source, std::string_view start, std::string_view amount) {
  aggregate::WindowStore store({*aggregate::parse_window_spec("1h")}, Millis{0}, "USD");
  aggregate::EventContribution e;
  e.time = *parse_rfc3339(start);
  e.corridor = "CN-RU";
  e.lines.push_back(aggregate::LineContribution{Decimal::parse(amount), false, &kGroups});
  store.add(e);
  std::vector<Aggregate> out;
  store.take_all_final(out);  // As stage 1 closes a window before it announces a watermark past it.
  out.at(0).set_source_partition(source);
  OutputRecord rec;
  rec.kind = OutputKind::kAggregate;
  rec.key = partial_key(out[0]);
  out[0].SerializeToString(&rec.value);
  return rec;
}

// A pane partial of `corridor` from source partition 0: one event of `amount` at `time`, on the partial
// topic's partition `partition`. The record views `key` and `value`.
InputRecord pane(std::int32_t partition, std::string_view corridor, std::string_view time, std::string_view amount,
                 std::string& key, std::string& value) {
  aggregate::WindowStore store({*aggregate::parse_window_spec("1h")}, Millis{0}, "USD");
  aggregate::EventContribution e;
  e.time = *parse_rfc3339(time);
  e.corridor = corridor;
  e.lines.push_back(aggregate::LineContribution{Decimal::parse(amount), false, &kGroups});
  store.add(e);
  std::vector<Aggregate> panes;
  store.take_updates(panes);
  EXPECT_EQ(panes.size(), 1U);
  panes.at(0).set_source_partition(0);
  panes[0].SerializeToString(&value);
  InputRecord in;
  in.partition = partition;
  key = partial_key(panes[0]);
  in.key = key;
  in.value = value;
  return in;
}

OutputRecord watermark(std::int32_t source, std::int32_t sources, std::int64_t closed_through_ms) {
  sanctions::v1::PartitionWatermark w;
  w.set_source_partition(source);
  w.set_source_partitions(sources);
  w.set_closed_through_ms(closed_through_ms);
  OutputRecord rec;
  rec.key = watermark_key(source);
  w.SerializeToString(&rec.value);
  return rec;
}

TEST(MergeProcessor, PublishesTheMergedFinalOnceEveryPartitionIsPastTheWindow) {
  MergeOptions options;
  options.output_format = config::OutputFormat::kJson;
  MergeProcessor merge(options);
  std::vector<OutputRecord> out;
  merge.process(input(partial(0, "2026-03-01T10:10:00Z", "1.25")), out);
  merge.process(input(partial(1, "2026-03-01T10:20:00Z", "2.50")), out);
  const std::int64_t end = parse_rfc3339("2026-03-01T11:00:00Z")->time_since_epoch().count();
  merge.process(input(watermark(0, 2, end)), out);
  EXPECT_TRUE(out.empty());
  merge.process(input(watermark(1, 2, end)), out);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, OutputKind::kAggregate);
  EXPECT_EQ(out[0].key, "1h|2026-03-01T10:00:00Z|CN-RU");
  EXPECT_NE(out[0].value.find("\"totalValue\":{\"currency\":\"USD\",\"amount\":\"3.75\"}"), std::string::npos) << out[0].value;
  EXPECT_NE(out[0].value.find("\"final\":true"), std::string::npos) << out[0].value;
  out.clear();
  merge.before_commit(out);
  for (const auto& o : out) EXPECT_EQ(o.kind, OutputKind::kChangelog);
  EXPECT_EQ(merge.stats().partials.load(), 2U);
}

TEST(MergeProcessor, DeadLettersWhatIsNeitherAPartialNorAWatermark) {
  MergeProcessor merge(MergeOptions{});
  std::vector<OutputRecord> out;
  OutputRecord junk;
  junk.key = "1h|x|CN-RU|0";
  junk.value = "not protobuf \xff\xff";
  merge.process(input(junk), out);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, OutputKind::kDeadLetter);
}

// Every partition's open windows in one tick held the stage-2 thread 164 ms every 10 s at 8,000 events/s; the
// partial partitions now take turns, as stage 1's input partitions do: each publishes its window updates at most
// and at least once an interval, partition q a fraction q/N of an interval after partition 0.
TEST(MergeProcessor, PartitionsTakeTurnsPublishingTheirWindowUpdates) {
  MergeOptions options;
  options.emit_interval = Millis{1000};
  options.partitions = 2;
  options.windows = {*aggregate::parse_window_spec("1h")};
  MergeProcessor merge(options);
  merge.on_assigned({0, 1});

  // Partial partition 0 holds corridor CN-RU, partition 1 CN-IR: a downstream reader tells them apart by key.
  const std::map<std::string, std::int32_t> partition_of = {{"CN-RU", 0}, {"CN-IR", 1}};
  std::vector<OutputRecord> ignored;
  std::string key;
  std::string value;
  int amount = 1;
  const auto add_panes = [&] {
    for (const auto& [corridor, partition] : partition_of) {
      merge.process(pane(partition, corridor, "2026-03-02T10:00:00Z", std::to_string(amount++) + ".00", key, value),
                    ignored);
    }
    ASSERT_TRUE(ignored.empty());
  };
  // The partial partitions whose window updates one tick at `now_ms` publishes.
  const auto tick = [&](std::int64_t now_ms) {
    std::vector<OutputRecord> out;
    merge.on_tick(now_ms, out);
    std::set<std::int32_t> partitions;
    for (const OutputRecord& o : out) {
      EXPECT_EQ(o.kind, OutputKind::kAggregate);
      EXPECT_TRUE(o.key.starts_with("1h|2026-03-02T10:00:00Z|")) << o.key;
      partitions.insert(partition_of.at(o.key.substr(o.key.rfind('|') + 1)));
    }
    return partitions;
  };
  using Partitions = std::set<std::int32_t>;
  const std::int64_t t = 1'000'000;
  add_panes();
  EXPECT_EQ(tick(t), Partitions{0});
  EXPECT_EQ(tick(t + 499), Partitions{});
  EXPECT_EQ(tick(t + 500), Partitions{1});
  add_panes();
  EXPECT_EQ(tick(t + 999), Partitions{});
  EXPECT_EQ(tick(t + 1000), Partitions{0});
  EXPECT_EQ(tick(t + 1499), Partitions{});
  EXPECT_EQ(tick(t + 1500), Partitions{1});
  // Nothing changed since: a turn with nothing to say publishes nothing.
  EXPECT_EQ(tick(t + 2000), Partitions{});
  // A partition that missed its turn (no tick for a while) publishes at the next tick.
  add_panes();
  EXPECT_EQ(tick(t + 5000), (Partitions{0, 1}));
  // Partition 1 revoked and assigned again (to this instance) starts its turns again: half an interval after the
  // next tick, not an interval after its last turn here.
  merge.on_revoked({1});
  merge.on_assigned({1});
  add_panes();
  EXPECT_EQ(tick(t + 6000), Partitions{0});
  EXPECT_EQ(tick(t + 6499), Partitions{});
  EXPECT_EQ(tick(t + 6500), Partitions{1});
}

}  // namespace
}  // namespace sm::pipeline
