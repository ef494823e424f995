#include "testing/csv_rows.h"

#include "model/csv_reader.h"
#include "testing/test_paths.h"

namespace sm::testing {

std::vector<std::vector<std::string>> csv_rows_after_header(const std::string& path) {
  const std::string text = read_file(path);
  std::vector<std::vector<std::string>> rows;
  CsvReader reader(text);
  std::vector<std::string> fields;
  std::string problem;
  bool header = true;
  for (auto status = reader.next(fields, problem); status != CsvReader::Status::kEnd;
       status = reader.next(fields, problem)) {
    if (status != CsvReader::Status::kRecord) continue;
    if (!header) rows.push_back(fields);
    header = false;
  }
  return rows;
}

}  // namespace sm::testing
