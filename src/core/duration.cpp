// A bare number is refused: "2" could mean seconds or milliseconds, so the unit is
// required. Every step is checked against k_max_duration before it could overflow.
#include "core/duration.hpp"

#include <limits>

namespace leakaudit {

namespace {

std::optional<std::int64_t> unit_ms(std::string_view unit) {
    if (unit == "ms") return 1;
    if (unit == "s") return 1000;
    if (unit == "m") return 60'000;
    if (unit == "h") return 3'600'000;
    return std::nullopt;
}

std::string shown(std::string_view text) {
    constexpr std::size_t k_max_shown = 40;
    if (text.size() <= k_max_shown) return std::string(text);
    return std::string(text.substr(0, k_max_shown)) + "...";
}

Unexpected<Error> invalid(std::string_view text) {
    return unexpected("invalid duration `" + shown(text) + "` (write it with a unit: 500ms, 2s, 5m, 1h)");
}

Unexpected<Error> too_long(std::string_view text) {
    return unexpected("duration `" + shown(text) + "` is too long (at most 8760h, one year)");
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration_checked(std::string_view text) {
    if (text.empty()) return invalid(text);
    const std::int64_t max = k_max_duration.count();
    std::int64_t total = 0;
    bool over = false;
    std::size_t i = 0;
    while (i < text.size()) {
        std::int64_t value = 0;
        std::size_t digits = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
            if (value <= max) value = value * 10 + (text[i] - '0');  // max * 10 still fits
        }
        std::size_t unit_start = i;
        while (i < text.size() && text[i] >= 'a' && text[i] <= 'z')
            ++i;
        std::optional<std::int64_t> scale = unit_ms(text.substr(unit_start, i - unit_start));
        if (digits == 0 || !scale) return invalid(text);
        // value and total are at most max * 10 here, far from overflow before the division.
        if (value > (max - total) / *scale) over = true;
        if (!over) total += value * *scale;
    }
    if (over) return too_long(text);
    return std::chrono::milliseconds(total);
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    Result<std::chrono::milliseconds> parsed = parse_duration_checked(text);
    if (!parsed) return std::nullopt;
    return *parsed;
}

std::int64_t elapsed_ms(std::int64_t later, std::int64_t earlier) {
    std::int64_t difference = 0;
    if (__builtin_sub_overflow(later, earlier, &difference))
        return later > earlier ? std::numeric_limits<std::int64_t>::max() : 0;
    return difference < 0 ? 0 : difference;
}

}  // namespace leakaudit
