#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sm::ops {

// Decodes %XX escapes; with `plus_is_space`, '+' becomes ' ' (the form encoding query strings use). Returns
// nullopt for a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// The decoded parameters of a query string ("name=ACME+Trading&limit=5"), in their order. Keys may repeat; a key
// without '=' has an empty value; empty segments ("a=1&&b=2") are skipped. Immutable after parse(): safe to
// share between threads.
class QueryParams {
 public:
  QueryParams() = default;

  // The query string without its leading '?'. nullopt when any key or value is badly percent-encoded.
  static std::optional<QueryParams> parse(std::string_view query);

  // The first value of `key`, or nullopt when absent.
  std::optional<std::string_view> get(std::string_view key) const;
  // Every value of `key`, in order.
  std::vector<std::string_view> get_all(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace sm::ops
