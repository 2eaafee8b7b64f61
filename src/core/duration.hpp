// Durations as users write them: "500ms", "2s", "5m", "1h", and combinations like "1m30s".
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace leakaudit {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace leakaudit
