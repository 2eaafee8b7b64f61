// TOML string writing and literal-match escaping for generated rules.
#include "rules/toml_text.hpp"

#include <cstdio>

#include "core/text_bytes.hpp"

namespace leakaudit {

namespace {

std::string unicode_escape(unsigned char c) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(c));
    return buffer;
}

}  // namespace

std::string toml_quote(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        unsigned char byte = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += byte < 0x20 || byte == 0x7F ? unicode_escape(byte) : std::string(1, c);
        }
    }
    return out + "\"";
}

std::string glob_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        bool special = c == '*' || c == '?' || c == '[' || c == '\\';
        out += special ? std::string("[") + c + "]" : std::string(1, c);
    }
    return out;
}

std::string regex_escape_bytes(std::string_view text) {
    constexpr std::string_view k_special = "\\^$.|?*+()[]{}";
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += '.';
            ++i;
            continue;
        }
        if (length == 1 && k_special.find(text[i]) != std::string_view::npos) out += '\\';
        out.append(text.substr(i, length));
        i += length;
    }
    return out;
}

std::string format_duration(std::chrono::milliseconds duration) {
    std::int64_t ms = duration.count();
    if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
    if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
    if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

}  // namespace leakaudit
