#include "pipeline/engine_processor.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "config/app_config.h"
#include "generate/event_generator.h"
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

// A stage-1 processor over two source partitions (emit interval 1 s, three partial partitions), both assigned,
// judging records on `assess_threads` threads.
Result<std::unique_ptr<EngineProcessor>> two_partition_processor(std::size_t assess_threads = 1) {
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
  options.assess_threads = assess_threads;
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

// What a read_committed consumer sees, transaction by transaction: the outputs of the records, ticks and commits
// a transport drives through `processor` over a generated stream (JSON, malformed and late records included),
// with one transaction aborted on the way and its records delivered again, as the Kafka transport does.
std::vector<std::vector<std::string>> committed_transactions(EngineProcessor& processor,
                                                             const std::vector<std::string>& lines) {
  // Protobuf maps serialise in an order of their own per message instance: values are compared in the
  // deterministic serialisation, which sorts map entries.
  const auto canonical = [](const OutputRecord& o) {
    std::unique_ptr<google::protobuf::Message> message;
    if (o.kind == OutputKind::kAlert) message = std::make_unique<sanctions::v1::Alert>();
    if (o.kind == OutputKind::kAggregate || o.kind == OutputKind::kChangelog) {
      message = std::make_unique<sanctions::v1::Aggregate>();
    }
    if (!message || !message->ParseFromString(o.value)) return o.value;
    std::string bytes;
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message->SerializeToCodedStream(&coded);
    coded.Trim();
    return bytes;
  };
  const auto describe = [&](const OutputRecord& o) {
    std::string d = std::to_string(static_cast<int>(o.kind)) + "|" + std::to_string(o.partition) + "|" + o.key + "|";
    for (const auto& [name, value] : o.headers) d += name + "=" + value + ";";
    return d + "|" + canonical(o);
  };
  std::vector<std::vector<std::string>> committed;
  std::vector<OutputRecord> out;
  std::size_t committed_through = 0;  // Records before this index are committed.
  bool aborted_once = false;
  std::int64_t now_ms = 1'000'000;
  const auto commit = [&](std::size_t through) {
    processor.before_commit(out);
    processor.on_committed();
    std::vector<std::string>& txn = committed.emplace_back();
    for (const OutputRecord& o : out) txn.push_back(describe(o));
    out.clear();
    committed_through = through;
  };
  Headers json{{"content-type", "application/json"}};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string key = "k" + std::to_string(i);  // Viewed by `in`: lives as long as the call.
    InputRecord in;
    in.topic = "trade.events";
    in.partition = static_cast<std::int32_t>(i % 2);
    in.offset = static_cast<std::int64_t>(i / 2);
    in.key = key;
    in.value = lines[i];
    in.headers = &json;
    processor.process(in, out);
    if (i % 97 == 96) processor.on_tick(now_ms += 300, out);
    if (i == 1'234 && !aborted_once) {
      aborted_once = true;
      processor.on_aborted();
      out.clear();
      i = committed_through - 1;  // Delivered again from the committed offsets.
      continue;
    }
    if (i % 250 == 249) commit(i + 1);
  }
  processor.finish(out);
  commit(lines.size());
  return committed;
}

// Judging records on several threads changes nothing a consumer sees: the same outputs, in the same
// transactions, in the same order, as with one thread.
TEST(EngineProcessor, SeveralAssessThreadsPublishWhatOneDoes) {
  generate::GeneratorOptions g;
  g.seed = 7;
  g.mean_gap_ms = 120'000;  // 3,000 events over ~4 days of event time: windows close along the way.
  g.malformed_rate = 0.03;
  g.late_rate = 0.02;
  g.listed_names = {"GAZPROMBANK", "PROMSVYAZBANK PJSC", "SOVCOMFLOT"};
  generate::EventGenerator generator(g);
  std::vector<std::string> lines;
  lines.reserve(3'000);
  for (int i = 0; i < 3'000; ++i) lines.push_back(generator.next_json_line());

  const auto one = two_partition_processor(1);
  ASSERT_TRUE(one.ok()) << one.error().message;
  const auto three = two_partition_processor(3);
  ASSERT_TRUE(three.ok()) << three.error().message;
  const auto expected = committed_transactions(*one.value(), lines);
  const auto actual = committed_transactions(*three.value(), lines);

  // The stream exercises every kind of output, so that equal means something.
  std::map<char, int> kinds;
  for (const auto& txn : expected) {
    for (const auto& o : txn) ++kinds[o[0]];
  }
  EXPECT_GT(kinds['0' + static_cast<int>(OutputKind::kAlert)], 100);
  EXPECT_GT(kinds['0' + static_cast<int>(OutputKind::kDeadLetter)], 30);
  EXPECT_GT(kinds['0' + static_cast<int>(OutputKind::kLateEvent)], 10);
  EXPECT_GT(kinds['0' + static_cast<int>(OutputKind::kAggregate)], 100);
  EXPECT_GT(kinds['0' + static_cast<int>(OutputKind::kChangelog)], 100);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t t = 0; t < expected.size(); ++t) {
    ASSERT_EQ(actual[t].size(), expected[t].size()) << "transaction " << t;
    for (std::size_t i = 0; i < expected[t].size(); ++i) {
      ASSERT_EQ(actual[t][i], expected[t][i]) << "transaction " << t << ", output " << i;
    }
  }
}

// A partition revoked while some of its records wait for their batch: they are its new owner's to judge, so
// nothing of theirs comes out here.
TEST(EngineProcessor, HeldRecordsOfARevokedPartitionAreDropped) {
  const auto made = two_partition_processor(2);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EngineProcessor& processor = *made.value();
  std::vector<OutputRecord> out;
  std::vector<Input> inputs;
  inputs.reserve(2);
  for (std::int32_t p = 0; p < 2; ++p) {
    // HIGH (CHPL electronics paid in USD) so that each is published as an alert.
    inputs.push_back(record(p, 0, EventBuilder("held" + std::to_string(p)).time("2026-03-02T10:00:00Z")
                                      .settle("USD").line("854231", "1000.00", "USD").build()));
  }
  for (Input& in : inputs) {
    in.record.value = in.bytes;
    processor.process(in.record, out);
  }
  EXPECT_TRUE(out.empty()) << "a batch is held until it fills or a commit takes it";
  processor.on_revoked({1});
  processor.before_commit(out);
  std::set<std::string> alerted;
  for (const OutputRecord& o : out) {
    if (o.kind == OutputKind::kAlert) alerted.insert(o.key);
  }
  EXPECT_EQ(alerted, std::set<std::string>{"shp-held0"});
}


// Several assess threads pay only while names are screened afresh: a batch whose names are new is spread over
// them, and once the names are cached the batches after it run on the transport's thread alone, until new names
// come again.
TEST(EngineProcessor, BatchesAreSpreadOverTheThreadsOnlyWhileNamesAreScreenedAfresh) {
  const auto made = two_partition_processor(2);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EngineProcessor& processor = *made.value();
  std::vector<OutputRecord> out;
  std::int64_t offset = 0;
  // One batch of kAssessBatch records; with fresh names, each names an exporter and an importer no record
  // before it named.
  const auto feed_batch = [&](const std::string& names) {
    for (std::size_t i = 0; i < kAssessBatch; ++i) {
      const std::string n = names + " " + std::to_string(i);
      Input in = record(0, offset, EventBuilder("e" + std::to_string(offset)).time("2026-03-02T10:00:00Z")
                                       .exporter("Exporter " + n + " Trading Co Ltd").importer("OOO Importer " + n)
                                       .build());
      ++offset;
      in.record.value = in.bytes;
      processor.process(in.record, out);
    }
  };
  const ProcessorStats& st = processor.stats();
  feed_batch("Alpha");  // A fresh processor spreads its first batch.
  EXPECT_EQ(st.assess_batches.load(), 1U);
  EXPECT_EQ(st.assess_batches_spread.load(), 1U);
  feed_batch("Alpha");  // Spread: the batch before it screened every name afresh.
  EXPECT_EQ(st.assess_batches_spread.load(), 2U);
  feed_batch("Alpha");  // Alone: the batch before it found every name cached.
  feed_batch("Alpha");
  EXPECT_EQ(st.assess_batches.load(), 4U);
  EXPECT_EQ(st.assess_batches_spread.load(), 2U);
  feed_batch("Beta");  // New names, judged alone: this batch finds them new...
  feed_batch("Gamma");  // ...so this one is spread.
  EXPECT_EQ(st.assess_batches.load(), 6U);
  EXPECT_EQ(st.assess_batches_spread.load(), 3U);
  // Whichever way a batch was judged, every record was counted.
  EXPECT_EQ(st.processed.load(), 6 * kAssessBatch);
}

}  // namespace
}  // namespace sm::pipeline
