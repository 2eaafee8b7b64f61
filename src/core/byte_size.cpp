// A number (digits, one optional fraction) and an optional unit; nothing else, no spaces
// but one between them, and at most 2^62 bytes so arithmetic on it cannot overflow.
#include "core/byte_size.hpp"

#include <cctype>

namespace leakaudit {

namespace {

struct Unit {
    std::string_view name;
    double factor;
};

constexpr Unit k_units[] = {
    {"", 1},     {"B", 1},           {"KB", 1e3}, {"KiB", 1024.0},
    {"MB", 1e6}, {"MiB", 1048576.0}, {"GB", 1e9}, {"GiB", 1073741824.0},
};

}  // namespace

Result<std::int64_t> parse_byte_size(std::string_view text) {
    std::size_t i = 0;
    double whole = 0;
    bool digits = false;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        whole = whole * 10 + (text[i++] - '0');
        digits = true;
    }
    if (i < text.size() && text[i] == '.') {
        double scale = 0.1;
        for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, scale /= 10) {
            whole += (text[i] - '0') * scale;
            digits = true;
        }
    }
    if (!digits) return unexpected("`" + std::string(text) + "` is not a size like \"512KiB\" or \"1MiB\"");
    if (i < text.size() && text[i] == ' ') ++i;
    std::string_view unit = text.substr(i);
    for (const Unit& u : k_units) {
        if (u.name != unit) continue;
        double bytes = whole * u.factor;
        if (bytes > 4.6e18) return unexpected("`" + std::string(text) + "` is too large");
        return static_cast<std::int64_t>(bytes);
    }
    return unexpected("unknown unit `" + std::string(unit) + "` in `" + std::string(text) +
                      "`: expected B, KB, KiB, MB, MiB, GB or GiB");
}

}  // namespace leakaudit
