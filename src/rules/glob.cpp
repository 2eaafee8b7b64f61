// Glob matching as a state-set simulation over the token list: O(text × pattern) with no
// backtracking, so a hostile pattern like `*a*a*a*a*b` cannot take exponential time.
#include "rules/glob.hpp"

namespace leakaudit {

namespace {

// Parses the class starting after `[` (and after `!`), filling ranges; returns the index
// just past the closing `]`, or npos when the class is never closed. A `]` right after
// the opening is a literal, as in fnmatch, so `[]]` and `[!]]` work. A backslash inside a
// class is literal, which keeps `[\]` a simple way to write a backslash.
std::size_t parse_class(std::string_view pattern, std::size_t i,
                        std::vector<std::pair<unsigned char, unsigned char>>& ranges) {
    std::size_t first = i;
    while (i < pattern.size()) {
        unsigned char lo = static_cast<unsigned char>(pattern[i]);
        if (lo == ']' && i != first) return i + 1;
        unsigned char hi = lo;
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            hi = static_cast<unsigned char>(pattern[i + 2]);
            i += 2;
        }
        ranges.emplace_back(lo, hi);
        ++i;
    }
    return std::string_view::npos;
}

}  // namespace

Result<Glob, PatternError> Glob::compile(std::string_view pattern, GlobMode mode) {
    Glob glob;
    glob.m_mode = mode;
    for (std::size_t i = 0; i < pattern.size();) {
        Token token;
        char c = pattern[i];
        if (c == '*') {
            bool double_star = i + 1 < pattern.size() && pattern[i + 1] == '*';
            token.op = double_star ? Op::globstar : Op::star;
            i += double_star ? 2 : 1;
            while (i < pattern.size() && pattern[i] == '*')
                ++i;  // `***` is `**`
        } else if (c == '?') {
            token.op = Op::any_one;
            ++i;
        } else if (c == '[') {
            token.op = Op::char_class;
            std::size_t start = i + 1;
            token.negated = start < pattern.size() && (pattern[start] == '!' || pattern[start] == '^');
            std::size_t end = parse_class(pattern, start + (token.negated ? 1 : 0), token.ranges);
            if (end == std::string_view::npos)
                return unexpected(PatternError{"unclosed `[` in glob (write `[[]` for a literal `[`)", i});
            i = end;
        } else if (c == '\\') {
            if (i + 1 >= pattern.size())
                return unexpected(
                    PatternError{"glob ends with a lone `\\` (write `[\\\\]` for a literal backslash)", i});
            token.literal = pattern[i + 1];
            i += 2;
        } else {
            token.literal = c;
            ++i;
        }
        glob.m_tokens.push_back(std::move(token));
    }
    return glob;
}

bool Glob::token_accepts(const Token& token, unsigned char c) const {
    bool is_slash = c == '/' && m_mode == GlobMode::path;
    switch (token.op) {
        case Op::literal:
            return static_cast<unsigned char>(token.literal) == c;
        case Op::any_one:
        case Op::star:
            return !is_slash;
        case Op::globstar:
            return true;
        case Op::char_class: {
            if (is_slash) return false;
            bool in = false;
            for (const auto& [lo, hi] : token.ranges)
                in = in || (c >= lo && c <= hi);
            return in != token.negated;
        }
    }
    return false;
}

// A state is "about to match token i"; stars can match nothing, so a state at a star
// also stands at the token after it.
void Glob::add_closure(std::vector<char>& states, std::size_t state) const {
    while (state <= m_tokens.size() && !states[state]) {
        states[state] = 1;
        if (state == m_tokens.size()) return;
        Op op = m_tokens[state].op;
        if (op != Op::star && op != Op::globstar) return;
        ++state;
    }
}

bool Glob::matches(std::string_view text) const {
    std::vector<char> current(m_tokens.size() + 1, 0);
    std::vector<char> next(m_tokens.size() + 1, 0);
    add_closure(current, 0);
    for (char ch : text) {
        unsigned char c = static_cast<unsigned char>(ch);
        std::fill(next.begin(), next.end(), 0);
        bool any = false;
        for (std::size_t s = 0; s < m_tokens.size(); ++s) {
            if (!current[s] || !token_accepts(m_tokens[s], c)) continue;
            Op op = m_tokens[s].op;
            // Stars stay put after consuming a byte; everything else advances.
            add_closure(next, op == Op::star || op == Op::globstar ? s : s + 1);
            any = true;
        }
        if (!any) return false;
        current.swap(next);
    }
    return current[m_tokens.size()] != 0;
}

}  // namespace leakaudit
