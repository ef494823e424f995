#include "kafka/kafka_config.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace sm::kafka {

std::string KafkaConfig::transactional_id() const {
  return instance_id.empty() ? transactional_id_prefix : transactional_id_prefix + "-" + instance_id;
}

Result<Properties> resolve_properties(const Properties& properties) {
  Properties out;
  for (const auto& [key, value] : properties) {
    if (value.size() > 3 && value.starts_with("${") && value.ends_with("}")) {
      const std::string name = value.substr(2, value.size() - 3);
      const char* env = std::getenv(name.c_str());
      if (env == nullptr) {
        return make_error("missing_env", "kafka property " + key + " refers to environment variable " + name +
                                             ", which is not set");
      }
      out.emplace(key, env);
    } else {
      out.emplace(key, value);
    }
  }
  return out;
}

bool is_secret_key(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("password") != std::string::npos || lower.find("secret") != std::string::npos ||
         lower.find("key") != std::string::npos;
}

std::string describe_properties(const Properties& properties) {
  std::string out;
  for (const auto& [key, value] : properties) {
    if (!out.empty()) out += ", ";
    out += key;
    out += '=';
    out += is_secret_key(key) ? std::string("****") : value;
  }
  return out;
}

std::string_view kind_name(pipeline::OutputKind kind) {
  switch (kind) {
    case pipeline::OutputKind::kAlert: return "alert";
    case pipeline::OutputKind::kAggregate: return "aggregate";
    case pipeline::OutputKind::kDeadLetter: return "dead_letter";
    case pipeline::OutputKind::kLateEvent: return "late_event";
    case pipeline::OutputKind::kChangelog: return "changelog";
  }
  return "unknown";
}

}  // namespace sm::kafka
