#include "model/csv_reader.h"

#include <gtest/gtest.h>

namespace sm {
namespace {

TEST(CsvReaderTest, QuotedFieldsDoubledQuotesAndEmbeddedNewlines) {
  CsvReader r("1,\"A, B\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",x\r\n");
  std::vector<std::string> f;
  std::string problem;
  ASSERT_EQ(r.next(f, problem), CsvReader::Status::kRecord);
  EXPECT_EQ(f, (std::vector<std::string>{"1", "A, B", "say \"hi\""}));
  ASSERT_EQ(r.next(f, problem), CsvReader::Status::kRecord);
  EXPECT_EQ(r.line(), 2U);
  EXPECT_EQ(f, (std::vector<std::string>{"2", "two\nlines", "x"}));
  EXPECT_EQ(r.next(f, problem), CsvReader::Status::kEnd);
}

TEST(CsvReaderTest, MalformedRecordsAreReportedAndReadingResumes) {
  CsvReader r("1,\"ok\"\n2,\"bad\"x,3\n3,un\"quoted\n4,\"never closed\n5,\"fine\"\n\x1a");
  std::vector<std::string> f;
  std::string problem;
  ASSERT_EQ(r.next(f, problem), CsvReader::Status::kRecord);
  ASSERT_EQ(r.next(f, problem), CsvReader::Status::kMalformed);
  EXPECT_EQ(r.line(), 2U);
  ASSERT_EQ(r.next(f, problem), CsvReader::Status::kMalformed);
  EXPECT_EQ(r.line(), 3U);
  ASSERT_EQ(r.next(f, problem), CsvReader::Status::kMalformed);
  EXPECT_EQ(r.line(), 4U);  // Its quote pairs with one on line 5, which is then read on its own.
  ASSERT_EQ(r.next(f, problem), CsvReader::Status::kRecord);
  EXPECT_EQ(r.line(), 5U);
  EXPECT_EQ(f[1], "fine");
  EXPECT_EQ(r.next(f, problem), CsvReader::Status::kEnd);

  CsvReader last("1,\"open\n2,x\n");
  ASSERT_EQ(last.next(f, problem), CsvReader::Status::kMalformed);
  EXPECT_EQ(problem, "unterminated quoted field");
  ASSERT_EQ(last.next(f, problem), CsvReader::Status::kRecord);
  EXPECT_EQ(last.line(), 2U);
  EXPECT_EQ(f, (std::vector<std::string>{"2", "x"}));
}

}  // namespace
}  // namespace sm
