#include "config/app_config.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <toml++/toml.h>

#include "score/rule_set.h"

namespace sm::config {
namespace {

namespace fs = std::filesystem;

// Reads one TOML table, remembering which keys were read so that leftovers can be reported as unknown.
class TableReader {
 public:
  TableReader(const toml::table* table, std::string path, const std::string& file, std::vector<std::string>& errors)
      : table_(table), path_(std::move(path)), file_(file), errors_(errors) {}

  bool present() const { return table_ != nullptr; }

  template <typename T>
  void read(std::string_view key, T& out) {
    const toml::node* node = find(key);
    if (node == nullptr) return;
    if (auto v = node->value<T>()) {
      out = *v;
    } else {
      error(*node, key, std::string("expected ") + type_name<T>());
    }
  }

  void read_strings(std::string_view key, std::vector<std::string>& out) {
    const toml::node* node = find(key);
    if (node == nullptr) return;
    const auto* arr = node->as_array();
    if (arr == nullptr) return error(*node, key, "expected an array of strings");
    out.clear();
    for (const auto& item : *arr) {
      if (auto s = item.value<std::string>()) {
        out.push_back(*s);
      } else {
        return error(item, key, "expected an array of strings");
      }
    }
  }

  void read_string_map(std::string_view key, std::map<std::string, std::string>& out) {
    const toml::node* node = find(key);
    if (node == nullptr) return;
    const auto* t = node->as_table();
    if (t == nullptr) return error(*node, key, "expected a table of strings");
    for (const auto& [k, v] : *t) {
      if (auto s = v.value<std::string>()) {
        out[std::string(k.str())] = *s;
      } else {
        error(v, std::string(key) + "." + std::string(k.str()), "expected a string (quote numbers: \"0.0108\")");
      }
    }
  }

  void read_duration(std::string_view key, Millis& out) {
    std::string text;
    const toml::node* node = find(key);
    if (node == nullptr) return;
    read(key, text);
    if (text.empty()) return;
    if (auto d = parse_duration(text)) {
      out = *d;
    } else {
      error(*node, key, "\"" + text + "\" is not a duration such as \"100ms\", \"15m\", \"1h\", \"1d\"");
    }
  }

  // Marks a key as handled elsewhere (so that it is not reported as unknown).
  void handled(std::string_view key) { find(key); }

  TableReader sub(std::string_view key) {
    const toml::node* node = find(key);
    const toml::table* t = node != nullptr ? node->as_table() : nullptr;
    if (node != nullptr && t == nullptr) error(*node, key, "expected a table");
    return TableReader(t, qualified(key), file_, errors_);
  }

  // Every key of this table that was never read is an error.
  void reject_unknown() {
    if (table_ == nullptr) return;
    for (const auto& [k, v] : *table_) {
      if (!seen_.contains(std::string(k.str()))) error(v, k.str(), "unknown key");
    }
  }

  void error(const toml::node& node, std::string_view key, const std::string& message) {
    errors_.push_back(file_ + ":" + std::to_string(node.source().begin.line) + ": " + qualified(key) + ": " + message);
  }
  void error_here(std::string_view key, const std::string& message) {
    const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
    if (node != nullptr) return error(*node, key, message);
    errors_.push_back(file_ + ": " + qualified(key) + ": " + message);
  }

 private:
  template <typename T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else return "an integer";
  }
  const toml::node* find(std::string_view key) {
    seen_.insert(std::string(key));
    return table_ != nullptr ? table_->get(key) : nullptr;
  }
  std::string qualified(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

  const toml::table* table_;
  std::string path_;
  const std::string& file_;
  std::vector<std::string>& errors_;
  std::set<std::string> seen_;
};

std::string resolve(const fs::path& root, const std::string& p) {
  if (p.empty()) return p;
  const fs::path path(p);
  return (path.is_absolute() ? path : (root / path)).lexically_normal().string();
}

// Kafka's own rule for topic names.
bool valid_topic_name(std::string_view name, bool empty_ok) {
  if (name.empty()) return empty_ok;
  if (name.size() > 249 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

Result<AppConfig> load_config(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return make_error("bad_config", path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
  }
  AppConfig cfg;
  cfg.source = fs::absolute(path).lexically_normal().string();
  std::vector<std::string> errors;
  TableReader top(&doc, "", path, errors);

  std::string root = ".";
  auto paths = top.sub("paths");
  paths.read("root", root);
  paths.reject_unknown();
  const fs::path root_dir = (fs::path(cfg.source).parent_path() / root).lexically_normal();

  auto data = top.sub("data");
  data.read("iso_codes_dir", cfg.iso_codes_dir);
  data.read("hs_nomenclature", cfg.goods.hs_nomenclature_csv);
  data.read("chpl", cfg.goods.chpl_csv);
  data.read("product_groups", cfg.goods.product_groups_toml);
  data.read("sample_lists", cfg.sample_lists_dir);
  data.reject_unknown();
  cfg.goods.hs_nomenclature_csv = resolve(root_dir, cfg.goods.hs_nomenclature_csv);
  cfg.goods.chpl_csv = resolve(root_dir, cfg.goods.chpl_csv);
  cfg.goods.product_groups_toml = resolve(root_dir, cfg.goods.product_groups_toml);
  cfg.sample_lists_dir = resolve(root_dir, cfg.sample_lists_dir);
  for (auto [key, value] : {std::pair{"hs_nomenclature", &cfg.goods.hs_nomenclature_csv},
                            std::pair{"chpl", &cfg.goods.chpl_csv}, std::pair{"product_groups", &cfg.goods.product_groups_toml}}) {
    if (value->empty()) data.error_here(key, "is required");
  }

  if (const auto* lists = doc["lists"].as_array()) {
    for (std::size_t i = 0; i < lists->size(); ++i) {
      const auto* t = (*lists)[i].as_table();
      TableReader list(t, "lists[" + std::to_string(i) + "]", path, errors);
      if (!list.present()) {
        errors.push_back(path + ": lists[" + std::to_string(i) + "]: expected a table ([[lists]])");
        continue;
      }
      screen::ListSource source;
      list.read("id", source.id);
      list.read("format", source.format);
      list.read("path", source.path);
      list.reject_unknown();
      if (source.id.empty()) list.error_here("id", "is required");
      if (source.format != "ofac-csv" && source.format != "csl-csv" && source.format != "un-xml" &&
          source.format != "ofac-xml" && source.format != "ftm") {
        list.error_here("format", "must be \"ofac-csv\", \"csl-csv\", \"un-xml\", \"ofac-xml\" or \"ftm\"");
      }
      if (source.path.empty()) list.error_here("path", "is required");
      source.path = resolve(root_dir, source.path);
      cfg.screening.lists.push_back(std::move(source));
    }
  }
  top.handled("lists");  // Its entries were checked above.
  if (cfg.screening.lists.empty()) errors.push_back(path + ": lists: at least one [[lists]] entry is required");

  auto ownership = top.sub("ownership");
  ownership.read("file", cfg.ownership_file);
  ownership.read("list_relations", cfg.ownership_list_relations);
  ownership.reject_unknown();
  cfg.ownership_file = resolve(root_dir, cfg.ownership_file);

  auto rules = top.sub("rules");
  rules.read("path", cfg.rules_path);
  std::string min_tier = "MEDIUM";
  rules.read("min_alert_tier", min_tier);
  rules.reject_unknown();
  cfg.min_alert_tier = score::parse_tier(min_tier);
  if (cfg.min_alert_tier == sanctions::v1::RISK_TIER_UNSPECIFIED) {
    rules.error_here("min_alert_tier", "must be LOW, MEDIUM, HIGH or CRITICAL");
  }
  if (cfg.rules_path.empty()) rules.error_here("path", "is required");
  cfg.rules_path = resolve(root_dir, cfg.rules_path);

  auto agg = top.sub("aggregates");
  std::vector<std::string> windows = {"1h", "1d", "30d/1d"};
  agg.read_strings("windows", windows);
  for (const auto& w : windows) {
    if (auto spec = aggregate::parse_window_spec(w)) {
      cfg.aggregates.windows.push_back(*spec);
    } else {
      agg.error_here("windows", "\"" + w + "\" is not a window: \"1h\" (tumbling) or \"30d/1d\" (size/advance)");
    }
  }
  agg.read_duration("grace", cfg.aggregates.grace);
  agg.read_duration("emit_interval", cfg.aggregates.emit_interval);
  agg.read("reporting_currency", cfg.aggregates.reporting_currency);
  agg.read_string_map("fx_rates", cfg.aggregates.fx_rates);
  std::int64_t top_counterparties = cfg.aggregates.top_counterparties;
  agg.read("top_counterparties", top_counterparties);
  if (top_counterparties < 0 || top_counterparties > 1000) agg.error_here("top_counterparties", "must be 0 to 1000");
  cfg.aggregates.top_counterparties = static_cast<int>(top_counterparties);
  agg.read("fx_rates_topic", cfg.aggregates.fx_rates_topic);
  if (!valid_topic_name(cfg.aggregates.fx_rates_topic, /*empty_ok=*/true)) {
    agg.error_here("fx_rates_topic", "\"" + cfg.aggregates.fx_rates_topic +
                                         "\" is not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249)");
  }
  agg.reject_unknown();

  auto kafka = top.sub("kafka");
  auto& k = cfg.kafka;
  kafka.read("bootstrap_servers", k.bootstrap_servers);
  kafka.read("group_id", k.group_id);
  kafka.read("transactional_id", k.transactional_id);
  kafka.read("input_topic", k.input_topic);
  kafka.read("input_format", k.input_format);
  kafka.read("alerts_topic", k.alerts_topic);
  kafka.read("aggregates_topic", k.aggregates_topic);
  kafka.read("dead_letter_topic", k.dead_letter_topic);
  kafka.read("late_events_topic", k.late_events_topic);
  kafka.read("changelog_topic", k.changelog_topic);
  kafka.read("partial_aggregates_topic", k.partial_aggregates_topic);
  kafka.read("merge_changelog_topic", k.merge_changelog_topic);
  std::string output_format = "protobuf";
  kafka.read("output_format", output_format);
  kafka.read_duration("commit_interval", k.commit_interval);
  int64_t max_in_flight = k.max_in_flight;
  kafka.read("max_in_flight", max_in_flight);
  kafka.read_string_map("properties", k.properties);
  kafka.reject_unknown();
  if (output_format == "json") {
    k.output_format = OutputFormat::kJson;
  } else if (output_format != "protobuf") {
    kafka.error_here("output_format", "must be \"protobuf\" or \"json\"");
  }
  if (k.input_format != "auto" && k.input_format != "json" && k.input_format != "protobuf") {
    kafka.error_here("input_format", "must be \"auto\", \"json\" or \"protobuf\"");
  }
  if (max_in_flight <= 0) kafka.error_here("max_in_flight", "must be positive");
  k.max_in_flight = static_cast<int>(max_in_flight);
  for (const auto* topic : {&k.input_topic, &k.alerts_topic, &k.aggregates_topic, &k.dead_letter_topic,
                            &k.late_events_topic, &k.changelog_topic, &k.partial_aggregates_topic,
                            &k.merge_changelog_topic}) {
    if (!cfg.aggregates.fx_rates_topic.empty() && *topic == cfg.aggregates.fx_rates_topic) {
      agg.error_here("fx_rates_topic", "\"" + *topic + "\" is also one of the [kafka] topics");
    }
  }

  auto processing = top.sub("processing");
  std::int64_t assess_threads = cfg.assess_threads;
  processing.read("assess_threads", assess_threads);
  processing.reject_unknown();
  if (assess_threads < 1 || assess_threads > 64) processing.error_here("assess_threads", "must be 1 to 64");
  cfg.assess_threads = static_cast<int>(std::clamp<std::int64_t>(assess_threads, 1, 64));

  auto http = top.sub("http");
  http.read("address", cfg.http_address);
  http.reject_unknown();
  auto log = top.sub("log");
  log.read("format", cfg.log_format);
  log.read("level", cfg.log_level);
  log.reject_unknown();
  if (cfg.log_format != "text" && cfg.log_format != "json" && cfg.log_format != "logfmt") {
    log.error_here("format", "must be \"text\", \"json\" or \"logfmt\"");
  }
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "warning", "error", "critical", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), cfg.log_level) == std::end(kLevels)) {
    log.error_here("level", "must be trace, debug, info, warn, error, critical or off");
  }

  top.reject_unknown();
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) message += (message.empty() ? "" : "\n") + e;
    return make_error("bad_config", message);
  }
  return cfg;
}

}  // namespace sm::config
