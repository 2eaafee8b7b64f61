// What nlohmann's lexer accepts in a string (RFC 8259 escapes, a surrogate pair for
// \uD800-\uDBFF, the UTF-8 byte ranges of RFC 3629, no control characters) is what this
// scanner accepts; the rest gives up (core/json_scanner.hpp).
#include "core/json_scanner.hpp"

namespace leakaudit {

namespace {

// Bytes copied as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> k_plain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c)
        plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return plain;
}();

void append_utf8(unsigned code, std::string& out) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

}  // namespace

bool JsonScanner::refill() {
    if (m_eof) return false;
    if (m_read_bytes >= m_limit) {
        char probe = 0;
        if ((*m_read)(&probe, 1) > 0) throw GiveUp{};  // larger than the limit
        m_eof = true;
        return false;
    }
    std::size_t n = (*m_read)(m_buffer.data(), std::min(m_buffer.size(), m_limit - m_read_bytes));
    m_read_bytes += n;
    m_p = m_buffer.data();
    m_end = m_p + n;
    if (n == 0) m_eof = true;
    return n != 0;
}

void JsonScanner::string_body(std::string& out) {
    out.clear();
    for (;;) {
        if (m_p == m_end && !refill()) throw GiveUp{};
        const char* run = m_p;
        while (m_p != m_end && k_plain[static_cast<unsigned char>(*m_p)])
            ++m_p;
        out.append(run, m_p);
        if (m_p == m_end) continue;
        auto c = static_cast<unsigned char>(*m_p++);
        if (c == '"') return;
        if (c == '\\') {
            escape(out);
        } else if (c >= 0x80) {
            utf8(c, out);
        } else {
            throw GiveUp{};  // a control character
        }
    }
}

void JsonScanner::escape(std::string& out) {
    unsigned char c = get();
    switch (c) {
        case '"':
        case '\\':
        case '/':
            out += static_cast<char>(c);
            return;
        case 'b':
            out += '\b';
            return;
        case 'f':
            out += '\f';
            return;
        case 'n':
            out += '\n';
            return;
        case 'r':
            out += '\r';
            return;
        case 't':
            out += '\t';
            return;
        case 'u':
            break;
        default:
            throw GiveUp{};
    }
    unsigned code = hex4();
    if (code >= 0xDC00 && code <= 0xDFFF) throw GiveUp{};  // a low surrogate first
    if (code >= 0xD800 && code <= 0xDBFF) {
        if (get() != '\\' || get() != 'u') throw GiveUp{};
        unsigned low = hex4();
        if (low < 0xDC00 || low > 0xDFFF) throw GiveUp{};
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(code, out);
}

unsigned JsonScanner::hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
        unsigned char c = get();
        unsigned digit = 0;
        if (c >= '0' && c <= '9') {
            digit = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            digit = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            digit = c - 'A' + 10;
        } else {
            throw GiveUp{};
        }
        code = code << 4 | digit;
    }
    return code;
}

// One UTF-8 sequence after its lead byte, the ranges nlohmann's lexer checks.
void JsonScanner::utf8(unsigned char lead, std::string& out) {
    unsigned char lo = 0x80, hi = 0xBF;
    int follow = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        follow = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        follow = 2;
        if (lead == 0xE0) lo = 0xA0;
        if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        follow = 3;
        if (lead == 0xF0) lo = 0x90;
        if (lead == 0xF4) hi = 0x8F;
    } else {
        throw GiveUp{};
    }
    out += static_cast<char>(lead);
    for (int i = 0; i < follow; ++i) {
        unsigned char c = get();
        if (c < lo || c > hi) throw GiveUp{};
        out += static_cast<char>(c);
        lo = 0x80;
        hi = 0xBF;
    }
}

JsonInteger JsonScanner::integer() {
    count();
    JsonInteger n;
    if (next() == '-') {
        n.negative = true;
        ++m_p;
    }
    unsigned char c = get();
    if (c < '0' || c > '9') throw GiveUp{};
    n.magnitude = c - '0';
    for (;;) {
        if (m_p == m_end && !refill()) break;
        c = static_cast<unsigned char>(*m_p);
        if (c < '0' || c > '9') break;
        // "01" is not JSON; more than 64 bits is a float to nlohmann: both give up.
        if (n.magnitude == 0 || n.magnitude > (UINT64_MAX - (c - '0')) / 10) throw GiveUp{};
        n.magnitude = n.magnitude * 10 + (c - '0');
        ++m_p;
    }
    if (m_p != m_end && (*m_p == '.' || *m_p == 'e' || *m_p == 'E')) throw GiveUp{};  // a float
    if (n.negative && n.magnitude > std::uint64_t{1} << 63) throw GiveUp{};
    return n;
}

bool JsonScanner::boolean() {
    count();
    bool value = next() == 't';
    for (char c : std::string_view(value ? "true" : "false")) {
        if (get() != static_cast<unsigned char>(c)) throw GiveUp{};
    }
    return value;
}

void JsonScanner::null() {
    count();
    for (char c : std::string_view("null")) {
        if (get() != static_cast<unsigned char>(c)) throw GiveUp{};
    }
}

void JsonScanner::skip_value() {
    switch (next()) {
        case '{':
            return object([this](std::string_view) { skip_value(); });
        case '[':
            return array([this] { skip_value(); });
        case '"':
            return string(m_scratch);
        case 't':
        case 'f':
            boolean();
            return;
        case 'n':
            return null();
        default:
            integer();
            return;
    }
}

}  // namespace leakaudit
