// Plain bytes (printable ASCII but `"` and `\`) are copied as they are; any other string
// goes through nlohmann's escaping and the byte checks of put_bytes, so the text is the
// same byte for byte as the DOM writer's (tests/unit/tmp_entry_json_test.cpp).
#include "core/tmp_entry_json.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/text_bytes.hpp"

namespace leakaudit {
namespace {

bool plain(std::string_view s) {
    for (char c : s) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\') return false;
    }
    return true;
}

void append_string(std::string& out, std::string_view s) {
    if (plain(s)) {
        out += '"';
        out += s;
        out += '"';
    } else {
        out += nlohmann::json(std::string(s)).dump();
    }
}

template <typename Number>
void append_number(std::string& out, Number n) {
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out.append(buf, end);
}

class Fields {
public:
    Fields(std::string& out, int depth) : m_out(out), m_indent(static_cast<std::size_t>(depth) + 1, ' ') {}

    void key(std::string_view name) {
        m_out += m_first ? "{\n" : ",\n";
        m_first = false;
        m_out += m_indent;
        m_out += '"';
        m_out += name;
        m_out += "\": ";
    }

    template <typename Number>
    void number(std::string_view name, Number n) {
        key(name);
        append_number(m_out, n);
    }

    // put_bytes: the display text, and the exact bytes in base64 when they are not UTF-8.
    void bytes(std::string_view name, const std::string& value) {
        key(name);
        if (plain(value)) {
            append_string(m_out, value);
            return;
        }
        append_string(m_out, to_display_utf8(value));
        if (is_valid_utf8(value)) return;
        key(std::string(name) + "_base64");
        append_string(m_out, base64_encode(value));
    }

    void close() {
        m_out += '\n';
        m_out.append(m_indent.size() - 1, ' ');
        m_out += '}';
    }

private:
    std::string& m_out;
    std::string m_indent;
    bool m_first = true;
};

}  // namespace

void append_tmp_entry_json(std::string& out, const TmpEntry& e, int depth) {
    Fields f(out, depth);
    f.key("type");
    append_string(out, to_string(e.type));
    f.number("dev", e.dev);
    f.number("inode", e.inode);
    f.number("uid", e.uid);
    f.number("size", e.size);
    f.number("entries", e.entry_count);
    f.number("birth_ms", e.birth_ms);
    f.bytes("path", e.path);
    f.bytes("link_target", e.link_target);
    f.close();
}

}  // namespace leakaudit
