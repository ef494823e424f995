#pragma once

#include <string>
#include <string_view>

namespace sm::screen {

// ISO 3166-1 alpha-2 code for an English country name as OFAC writes it in remarks ("Russia" -> "RU",
// "Korea, North" -> "KP"), or "" when unknown. Built once from ICU's English display names plus OFAC's own
// spellings; thread-safe.
std::string country_code_for_name(std::string_view english_name);

}  // namespace sm::screen
