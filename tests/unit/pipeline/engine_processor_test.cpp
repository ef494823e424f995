#include "pipeline/engine_processor.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "config/app_config.h"
#include "pipeline/merge_processor.h"
#include "testing/event_builder.h"
#include "testing/test_paths.h"

namespace sm::pipeline {
namespace {

using sm::testing::EventBuilder;

// An input record and the bytes it views.
struct Input {
  std::string bytes;
  InputRecord record;
};

Input record(std::int32_t partition, std::int64_t offset, const sanctions::v1::TradeEvent& event) {
  Input in;
  in.bytes = event.SerializeAsString();
  in.record.partition = partition;
  in.record.offset = offset;
  return in;
}

// A stage-1 processor over two source partitions (emit interval 1 s, three partial partitions), both assigned.
Result<std::unique_ptr<EngineProcessor>> two_partition_processor() {
  auto cfg = config::load_config(sm::testing::test_config(sm::testing::temp_dir("engine_processor")));
  if (!cfg.ok()) return cfg.error();
  auto ctx = engine::EngineContext::load(*cfg);
  if (!ctx.ok()) return ctx.error();
  ProcessorOptions options;
  options.input_format = decode::Format::kProtobuf;
  options.aggregates = cfg->aggregates;
  options.aggregates.emit_interval = Millis{1000};
  options.source_partitions = 2;
  options.partial_partitions = 3;
  auto processor = std::make_unique<EngineProcessor>(*ctx, options);
  processor->on_assigned({0, 1});
  return processor;
}

// Stage 2 sums a source's panes into a window only while that source has not closed the window, and learns of
// the closing from the watermark. A pane partial can hold an event late for a window its source has closed
// (the pane is shared with longer windows still open), so every emission round must announce the watermark
// before the pane partials: otherwise stage 2 publishes the closed window with the late event in it.
TEST(EngineProcessor, EachRoundOfPanePartialsFollowsItsPartitionsWatermark) {
  const auto made = two_partition_processor();
  ASSERT_TRUE(made.ok()) << made.error().message;
  EngineProcessor& processor = *made.value();

  std::vector<OutputRecord> out;
  std::int64_t now_ms = 1'000'000;
  // The partitions take turns (PartitionsTakeTurnsEmittingTheirPanePartials); a tick before any event starts
  // their turns, so that each round below, 2 intervals apart, is every partition's turn.
  processor.on_tick(now_ms, out);
  const auto round = [&] {
    out.clear();
    now_ms += 2000;
    processor.on_tick(now_ms, out);
  };
  const auto check_order = [&](const std::string& when) {
    std::map<std::int32_t, bool> announced;  // by source partition
    int partials = 0;
    for (const OutputRecord& o : out) {
      ASSERT_EQ(o.kind, OutputKind::kAggregate) << when;
      if (sanctions::v1::PartitionWatermark w; w.ParseFromString(o.value) && o.key == watermark_key(w.source_partition())) {
        announced[w.source_partition()] = true;
        continue;
      }
      sanctions::v1::Aggregate partial;
      ASSERT_TRUE(partial.ParseFromString(o.value)) << o.key;
      EXPECT_TRUE(announced[partial.source_partition()])
          << when << ": partial " << o.key << " before its partition's watermark";
      ++partials;
    }
    EXPECT_GT(partials, 0) << when;
  };

  std::vector<OutputRecord> ignored;
  const auto process = [&](Input in) {
    in.record.value = in.bytes;
    processor.process(in.record, ignored);
  };
  process(record(0, 0, EventBuilder("a").time("2026-03-02T10:00:00Z").line("940360", "1000.00").build()));
  process(record(1, 0, EventBuilder("b").time("2026-03-02T11:00:00Z").line("940360", "2000.00").build()));
  for (const OutputRecord& o : ignored) {
    ASSERT_NE(o.kind, OutputKind::kDeadLetter) << (o.headers.size() > 6 ? o.headers[o.headers.size() - 1].second : "");
  }
  round();
  check_order("first round");
  processor.before_commit(ignored);
  processor.on_committed();
  // A day later on partition 0: the 2 March windows close there. Then an event of 2 March 10:30, late for
  // 2 March's 1h and 1d windows, in time for the 30-day windows that share its 1-day pane.
  ignored.clear();
  process(record(0, 1, EventBuilder("c").time("2026-03-03T12:00:00Z").line("940360", "10.00").build()));
  process(record(0, 2, EventBuilder("d").time("2026-03-02T10:30:00Z").line("940360", "5.00").build()));
  round();
  check_order("after the late event");
  EXPECT_EQ(processor.stats().late.load(), 1U);
}

// Emitting every partition's changed panes in one tick held the stage-1 thread (and every alert behind it) for
// ~190 ms every 10 s at 8,000 events/s; the partitions now take turns: each still emits at most once an interval
// and at least once an interval, partition p a fraction p/N of an interval after partition 0.
TEST(EngineProcessor, PartitionsTakeTurnsEmittingTheirPanePartials) {
  const auto made = two_partition_processor();
  ASSERT_TRUE(made.ok()) << made.error().message;
  EngineProcessor& processor = *made.value();

  std::vector<OutputRecord> ignored;
  std::int64_t offset = 0;
  const auto add_events = [&] {
    for (std::int32_t p = 0; p < 2; ++p) {
      const std::int64_t n = offset++;
      Input in = record(p, n, EventBuilder("e" + std::to_string(n)).time("2026-03-02T10:00:00Z")
                                  .line("940360", "1000.00").build());
      in.record.value = in.bytes;
      processor.process(in.record, ignored);
    }
  };
  // The source partitions whose pane partials one tick at `now_ms` emits.
  const auto tick = [&](std::int64_t now_ms) {
    std::vector<OutputRecord> out;
    processor.on_tick(now_ms, out);
    std::set<std::int32_t> sources;
    for (const OutputRecord& o : out) {
      sanctions::v1::Aggregate partial;
      if (partial.ParseFromString(o.value) && !partial.window_end().empty()) sources.insert(partial.source_partition());
    }
    return sources;
  };
  using Sources = std::set<std::int32_t>;
  const std::int64_t t = 1'000'000;
  add_events();
  EXPECT_EQ(tick(t), Sources{0});
  EXPECT_EQ(tick(t + 499), Sources{});
  EXPECT_EQ(tick(t + 500), Sources{1});
  add_events();
  EXPECT_EQ(tick(t + 999), Sources{});
  EXPECT_EQ(tick(t + 1000), Sources{0});
  EXPECT_EQ(tick(t + 1499), Sources{});
  EXPECT_EQ(tick(t + 1500), Sources{1});
  // Nothing changed since: a turn with nothing to say emits no partial.
  EXPECT_EQ(tick(t + 2000), Sources{});
  // A partition that missed its turn (no tick for a while) emits at the next tick.
  add_events();
  EXPECT_EQ(tick(t + 5000), (Sources{0, 1}));
}

}  // namespace
}  // namespace sm::pipeline
