// Glob patterns for rule values: `*`, `**`, `?`, `[...]` / `[!...]` classes and `\`
// escapes. For path-like keys `*`, `?` and classes never cross `/` (only `**` does), so
// `/tmp/*` means "directly inside /tmp"; for other keys `*` matches anything.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakaudit {

enum class GlobMode { path, text };

class Glob {
public:
    // Compiles `pattern`; on failure returns nullopt and sets `error` to a message and
    // `error_offset` to the byte offset of the problem in the pattern.
    static std::optional<Glob> compile(std::string_view pattern, GlobMode mode, std::string& error,
                                       std::size_t& error_offset);

    // Whole-string match; bytes, not code points, so non-UTF-8 paths match too.
    bool matches(std::string_view text) const;

private:
    enum class Op { literal, any_one, star, globstar, char_class };
    struct Token {
        Op op = Op::literal;
        char literal = 0;
        bool negated = false;
        std::vector<std::pair<unsigned char, unsigned char>> ranges;  // for char_class
    };

    bool token_accepts(const Token& token, unsigned char c) const;
    void add_closure(std::vector<char>& states, std::size_t state) const;

    std::vector<Token> m_tokens;
    GlobMode m_mode = GlobMode::text;
};

}  // namespace leakaudit
