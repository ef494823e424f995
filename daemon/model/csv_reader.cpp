#include "model/csv_reader.h"

namespace sm {

void CsvReader::skip_line() {
  const std::size_t nl = text_.find('\n', pos_);
  if (nl == std::string_view::npos) {
    pos_ = text_.size();
    return;
  }
  pos_ = nl + 1;
  ++line_;
}

CsvReader::Status CsvReader::next(std::vector<std::string>& fields, std::string& problem) {
  fields.clear();
  // Blank lines between records carry nothing; 0x1A is the DOS end-of-file marker OFAC still writes.
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '\x1a') {
      pos_ = text_.size();
      break;
    }
    if (c == '\r') {
      ++pos_;
    } else if (c == '\n') {
      ++pos_;
      ++line_;
    } else {
      break;
    }
  }
  if (pos_ >= text_.size()) return Status::kEnd;

  const std::size_t record_start = pos_;
  const std::size_t start_line = line_;
  record_line_ = start_line;
  std::string field;
  while (true) {
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      bool closed = false;
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          closed = true;
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(c);
        ++pos_;
      }
      if (!closed) {
        problem = "unterminated quoted field";
        // Resynchronise on the line after the record's first line, so one stray quote costs one row.
        pos_ = record_start;
        line_ = start_line;
        skip_line();
        return Status::kMalformed;
      }
      // Tolerate spaces between the closing quote and the separator; anything else is a broken record.
      while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\r' && text_[pos_] != '\n' &&
          text_[pos_] != '\x1a') {
        problem = "unexpected text after a closing quote";
        pos_ = record_start;  // The quotes may have paired up wrongly across lines: resume after the first.
        line_ = start_line;
        skip_line();
        return Status::kMalformed;
      }
    } else {
      while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == ',' || c == '\n' || c == '\r' || c == '\x1a') break;
        if (c == '"') {
          problem = "quote inside an unquoted field";
          pos_ = record_start;
          line_ = start_line;
          skip_line();
          return Status::kMalformed;
        }
        field.push_back(c);
        ++pos_;
      }
    }
    fields.push_back(field);
    if (pos_ >= text_.size()) return Status::kRecord;
    const char sep = text_[pos_];
    if (sep == ',') {
      ++pos_;
      continue;
    }
    if (sep == '\x1a') {
      pos_ = text_.size();
      return Status::kRecord;
    }
    if (sep == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
      ++line_;
    }
    return Status::kRecord;
  }
}

}  // namespace sm
