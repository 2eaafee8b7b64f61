// Byte sizes in settings and rules (README "Cycles and growth"): "512KiB", "1MiB", "2MB",
// "4096", "1.5MiB". Binary units are powers of 1024, decimal ones of 1000.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leakaudit {

struct ByteSizeParse {
    std::optional<std::int64_t> value;
    std::string error;  // when value is unset: what was wrong
};

ByteSizeParse parse_byte_size(std::string_view text);

}  // namespace leakaudit
