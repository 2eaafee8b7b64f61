// Report strings come from /proc and from harnesses: any bytes. What an HTML5 parser
// calls a parse error in the input stream (NUL, control characters, noncharacters,
// invalid UTF-8) is shown as U+FFFD, so the page always validates and never breaks.
#include "core/report_html.hpp"
#include "core/text_bytes.hpp"

namespace leakaudit {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

// The code point of one valid UTF-8 sequence.
char32_t code_point(std::string_view seq) {
    auto byte = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(seq[i])); };
    switch (seq.size()) {
        case 1:
            return byte(0);
        case 2:
            return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
        case 3:
            return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
        default:
            return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) | (byte(3) & 0x3F);
    }
}

// HTML's "control-character-in-input-stream" and "noncharacter-in-input-stream" errors
// (tab, newline and carriage return are whitespace, allowed).
bool html_allowed(char32_t c) {
    if (c == '\t' || c == '\n' || c == '\r') return true;
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return false;
    if (c >= 0xFDD0 && c <= 0xFDEF) return false;
    return (c & 0xFFFE) != 0xFFFE;
}

}  // namespace

std::string html_escape(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t len = utf8_sequence_length(bytes, i);
        if (len == 0) {
            out += k_replacement;
            ++i;
            continue;
        }
        std::string_view seq = bytes.substr(i, len);
        i += len;
        if (!html_allowed(code_point(seq))) {
            out += k_replacement;
            continue;
        }
        switch (seq[0]) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += seq;
        }
    }
    return out;
}

}  // namespace leakaudit
