#include "pipeline/merge_processor.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sm::pipeline
