#include "pipeline/engine_processor.h"

#include <gtest/gtest.h>

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

// Stage 2 sums a source's panes into a window only while that source has not closed the window, and learns of
// the closing from the watermark. A pane partial can hold an event late for a window its source has closed
// (the pane is shared with longer windows still open), so every emission round must announce the watermark
// before the pane partials: otherwise stage 2 publishes the closed window with the late event in it.
TEST(EngineProcessor, EachRoundOfPanePartialsFollowsItsPartitionsWatermark) {
  auto cfg = config::load_config(sm::testing::test_config(sm::testing::temp_dir("engine_processor")));
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  auto ctx = engine::EngineContext::load(*cfg);
  ASSERT_TRUE(ctx.ok()) << ctx.error().message;
  ProcessorOptions options;
  options.input_format = decode::Format::kProtobuf;
  options.aggregates = cfg->aggregates;
  options.aggregates.emit_interval = Millis{1000};
  options.source_partitions = 2;
  options.partial_partitions = 3;
  EngineProcessor processor(*ctx, options);
  processor.on_assigned({0, 1});

  std::vector<OutputRecord> out;
  std::int64_t now_ms = 1'000'000;
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

}  // namespace
}  // namespace sm::pipeline
