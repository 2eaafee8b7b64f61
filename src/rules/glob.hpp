// Glob patterns for rule values: `*`, `**`, `?`, `[...]` / `[!...]` classes and `\`
// escapes. For path-like keys `*`, `?` and classes never cross `/` (only `**` does), so
// `/tmp/*` means "directly inside /tmp"; for other keys `*` matches anything.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace leakaudit {

// Why a pattern does not compile, and where: a bad pattern points at its column.
struct PatternError {
    std::string message;
    std::size_t offset = 0;  // byte offset of the problem in the pattern; 0 when not known
};

enum class GlobMode { path, text };

class Glob {
public:
    // Compiles `pattern`, or says what is wrong and where.
    static Result<Glob, PatternError> compile(std::string_view pattern, GlobMode mode);

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
