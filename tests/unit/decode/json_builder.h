#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sm::testing {

// Writes one JSON object by hand, member by member, so that tests can say exactly which names, value types
// and oddities (snake_case, enum numbers, nulls, unknown members, escapes) a record has.
class Json {
 public:
  Json& str(std::string_view key, std::string_view value) { return raw(key, quote(value)); }
  Json& num(std::string_view key, long long value) { return raw(key, std::to_string(value)); }
  Json& null(std::string_view key) { return raw(key, "null"); }
  Json& obj(std::string_view key, const Json& value) { return raw(key, value.text()); }
  Json& objs(std::string_view key, const std::vector<Json>& items) {
    std::string a = "[";
    for (const auto& i : items) a += (a.size() > 1 ? "," : "") + i.text();
    return raw(key, a + "]");
  }
  Json& strs(std::string_view key, const std::vector<std::string>& items) {
    std::string a = "[";
    for (const auto& i : items) a += (a.size() > 1 ? "," : "") + quote(i);
    return raw(key, a + "]");
  }
  // Any JSON text as the member's value, written as given.
  Json& raw(std::string_view key, std::string_view json) {
    if (!body_.empty()) body_ += sep_;
    body_ += quote(key) + ":" + std::string(json);
    return *this;
  }
  // Pretty separators (newline and indent), to check that whitespace is irrelevant.
  Json& spaced() {
    sep_ = ",\n  ";
    return *this;
  }
  std::string text() const { return "{" + body_ + "}"; }

  // JSON string literal: escapes quotes, backslashes and control characters; other bytes (UTF-8) as given.
  static std::string quote(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[(c >> 4) & 0xF];
        out += kHex[c & 0xF];
      } else {
        out += c;
      }
    }
    return out + "\"";
  }

 private:
  std::string body_;
  std::string sep_ = ",";
};

}  // namespace sm::testing
