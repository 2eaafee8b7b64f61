// A strict UTF-8 check (no overlongs, no surrogates, nothing past U+10FFFF), because
// nlohmann::json refuses to dump anything less.
#include "core/text_bytes.hpp"

#include <cstdint>
#include <cstdio>

namespace leakaudit {

std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
    unsigned char c = at(i);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        cp = c & 0x07;
    } else
        return 0;
    if (i + len > bytes.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((at(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (at(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

bool is_valid_utf8(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t n = utf8_sequence_length(bytes, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string to_display_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t n = utf8_sequence_length(bytes, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(bytes.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string base64_encode(std::string_view bytes) {
    static const char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
        out += k_alphabet[(n >> 18) & 63];
        out += k_alphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? k_alphabet[(n >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? k_alphabet[n & 63] : '=';
    }
    return out;
}

std::string escape_for_terminal(std::string_view bytes) {
    std::string out;
    for (char ch : to_display_utf8(bytes)) {
        unsigned char c = static_cast<unsigned char>(ch);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7F) {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else
            out += ch;
    }
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string joined;
    for (const std::string& item : items) {
        if (&item != &items.front()) joined += separator;
        joined += item;
    }
    return joined;
}

std::string quoted_command(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) {
        if (!out.empty()) out += ' ';
        bool plain = !w.empty() && w.find_first_of(" \t\n'\"\\$&;|<>()*?") == std::string::npos;
        out += plain ? w : "'" + w + "'";
    }
    return out;
}

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

// One valid UTF-8 sequence: is it a character XML 1.0 allows?
bool xml_allowed(std::string_view seq) {
    if (seq.size() == 1) {
        unsigned char c = static_cast<unsigned char>(seq[0]);
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r';
    }
    return seq != "\xEF\xBF\xBE" && seq != "\xEF\xBF\xBF";  // U+FFFE, U+FFFF
}

// What attribute-value normalization would otherwise change or end the value at.
std::string attribute_escape(char c) {
    switch (c) {
        case '"':
            return "&quot;";
        case '\'':
            return "&apos;";
        case '\n':
            return "&#10;";
        case '\t':
            return "&#9;";
        default:
            return std::string(1, c);
    }
}

void append_escaped_char(std::string& out, char c, XmlContext context) {
    switch (c) {
        case '&':
            out += "&amp;";
            return;
        case '<':
            out += "&lt;";
            return;
        case '>':
            out += "&gt;";
            return;
        case '\r':
            out += "&#13;";
            return;  // a raw CR is normalized away even in text
        default:
            break;
    }
    if (context == XmlContext::attribute)
        out += attribute_escape(c);
    else
        out += c;
}

void append_escaped(std::string& out, char c, AnnotationPart part) {
    static const char k_hex[] = "0123456789ABCDEF";
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '%')
        out += "%25";
    else if (c == '\r')
        out += "%0D";
    else if (c == '\n')
        out += "%0A";
    else if (part == AnnotationPart::property && c == ':')
        out += "%3A";
    else if (part == AnnotationPart::property && c == ',')
        out += "%2C";
    else if ((u < 0x20 && c != '\t') || u == 0x7F)
        out += std::string("\\x") + k_hex[u >> 4] + k_hex[u & 0xF];
    else
        out += c;
}

}  // namespace

std::string xml_escape(std::string_view bytes, XmlContext context) {
    std::string text = to_display_utf8(bytes);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = utf8_sequence_length(text, i);  // never 0: text is valid UTF-8
        std::string_view seq(text.data() + i, n);
        if (!xml_allowed(seq))
            out += k_replacement;
        else if (n == 1)
            append_escaped_char(out, seq[0], context);
        else
            out += seq;
        i += n;
    }
    return out;
}

std::string escape_workflow_command(std::string_view bytes, AnnotationPart part) {
    std::string text = to_display_utf8(bytes);
    std::string out;
    out.reserve(text.size());
    for (char c : text)
        append_escaped(out, c, part);
    return out;
}

}  // namespace leakaudit
