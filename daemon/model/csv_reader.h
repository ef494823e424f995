#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sm {

// Splits CSV text (RFC 4180: quoted fields, doubled quotes, newlines inside quotes; CRLF or LF) into records.
// Structure is checked strictly: a record with an unterminated quote or text after a closing quote is reported
// as malformed with its first line number and skipped, and reading resumes on the line after that one. A trailing DOS end-of-file
// byte (0x1A), as in OFAC's files, ends the input. Fields are returned as written, untrimmed.
class CsvReader {
 public:
  enum class Status { kRecord, kMalformed, kEnd };

  // `text` must outlive the reader.
  explicit CsvReader(std::string_view text) : text_(text) {}

  // Reads the next record into `fields` (line() is its first line). On kMalformed, `problem` says why.
  Status next(std::vector<std::string>& fields, std::string& problem);
  std::size_t line() const { return record_line_; }

 private:
  void skip_line();  // Moves past the next newline at or after pos_.

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;         // Line number at pos_.
  std::size_t record_line_ = 0;  // First line of the record last returned.
};

}  // namespace sm
