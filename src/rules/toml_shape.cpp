// The scan is deliberately loose: it counts the dots of any run of bare words, quoted
// strings and whitespace on one line (a key, or a float), and every bracket or brace
// outside strings and comments. No valid rules file comes near either limit.
#include "rules/toml_shape.hpp"

namespace leakaudit {

namespace {

bool is_bare(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '+';
}

class ShapeScan {
public:
    ShapeScan(std::string_view text, const std::string& name) : m_text(text), m_name(name) {}

    std::optional<Diagnostic> run() {
        while (m_i < m_text.size() && !m_found) {
            char c = m_text[m_i];
            if (c == '#') {
                skip_to_line_end();
            } else if (c == '"' || c == '\'') {
                skip_string(c);
            } else {
                plain(c);
            }
        }
        return m_found;
    }

private:
    void plain(char c) {
        if (c == '\n') {
            new_line(m_i + 1);
            m_parts = 0;
        } else if (c == '.') {
            if (++m_parts >= k_max_key_parts)
                fail("a dotted key (or value) has more than " + std::to_string(k_max_key_parts) + " parts");
        } else if (c == '[' || c == '{') {
            m_parts = 0;
            if (++m_depth > k_max_nesting)
                fail("tables and arrays nested deeper than " + std::to_string(k_max_nesting) + " levels");
        } else if (c == ']' || c == '}') {
            m_parts = 0;
            if (m_depth > 0) --m_depth;
        } else if (!is_bare(c) && c != ' ' && c != '\t' && c != '\r') {
            m_parts = 0;
        }
        ++m_i;
    }

    void skip_to_line_end() {
        while (m_i < m_text.size() && m_text[m_i] != '\n')
            ++m_i;
    }

    // A string is one part of a dotted key; its content is never counted. Escapes only
    // in basic ("…") strings; three quotes open a multi-line string.
    void skip_string(char quote) {
        bool multi = m_text.substr(m_i, 3) == std::string_view(quote == '"' ? "\"\"\"" : "'''");
        m_i += multi ? 3 : 1;
        while (m_i < m_text.size()) {
            char c = m_text[m_i];
            if (c == '\\' && quote == '"') {
                if (m_i + 1 < m_text.size() && m_text[m_i + 1] == '\n') new_line(m_i + 2);
                m_i += 2;
                continue;
            }
            if (c == '\n') {
                if (!multi) return;  // unterminated: toml++ reports it
                new_line(m_i + 1);
            }
            if (c == quote && (!multi || m_text.substr(m_i, 3) == std::string_view(quote == '"' ? "\"\"\"" : "'''"))) {
                m_i += multi ? 3 : 1;
                return;
            }
            ++m_i;
        }
    }

    void new_line(std::size_t start) {
        ++m_line;
        m_line_start = start;
    }

    void fail(std::string message) {
        std::size_t end = m_text.find('\n', m_line_start);
        std::string_view line = m_text.substr(m_line_start, end == std::string_view::npos ? end : end - m_line_start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        int column = static_cast<int>(code_points(m_text.substr(m_line_start, m_i - m_line_start))) + 1;
        m_found = Diagnostic{m_name, m_line, column, std::move(message), std::string(line)};
    }

    std::string_view m_text;
    const std::string& m_name;
    std::size_t m_i = 0;
    std::size_t m_line_start = 0;
    int m_line = 1;
    int m_parts = 0;
    int m_depth = 0;
    std::optional<Diagnostic> m_found;
};

}  // namespace

std::optional<Diagnostic> check_toml_shape(std::string_view text, const std::string& name) {
    return ShapeScan(text, name).run();
}

}  // namespace leakaudit
