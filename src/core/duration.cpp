// A bare number is refused: "2" could mean seconds or milliseconds, so the unit is required.
#include "core/duration.hpp"

#include <cstdint>

namespace leakaudit {

namespace {

std::optional<std::int64_t> unit_ms(std::string_view unit) {
    if (unit == "ms") return 1;
    if (unit == "s") return 1000;
    if (unit == "m") return 60'000;
    if (unit == "h") return 3'600'000;
    return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::int64_t total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::int64_t value = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (value > 1'000'000'000) return std::nullopt;
            value = value * 10 + (text[i] - '0');
            ++i;
            ++digits;
        }
        std::size_t unit_start = i;
        while (i < text.size() && text[i] >= 'a' && text[i] <= 'z')
            ++i;
        std::optional<std::int64_t> scale = unit_ms(text.substr(unit_start, i - unit_start));
        if (digits == 0 || !scale) return std::nullopt;
        total += value * *scale;
    }
    return std::chrono::milliseconds(total);
}

}  // namespace leakaudit
