// Byte sizes in settings and rules (README "Cycles and growth"): "512KiB", "1MiB", "2MB",
// "4096", "1.5MiB". Binary units are powers of 1024, decimal ones of 1000.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.hpp"

namespace leakaudit {

// The number of bytes, or an Error whose message says what was wrong, naming `text`.
Result<std::int64_t> parse_byte_size(std::string_view text);

}  // namespace leakaudit
