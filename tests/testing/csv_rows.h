#pragma once

#include <string>
#include <vector>

namespace sm::testing {

// The records of a CSV file after its header row, as model/csv_reader.h reads them (malformed records skipped).
// Test data tables (../shared/data/name-match/...) are read with this; an unreadable file gives no rows.
std::vector<std::vector<std::string>> csv_rows_after_header(const std::string& path);

}  // namespace sm::testing
