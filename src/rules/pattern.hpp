// A rule's match value: a glob, or with the `re:` prefix a regex that must match the
// whole value. Compiled once when the rules file is read. Regexes run on RE2, whose
// matching time is linear in the value whatever the pattern (src/rules/README.md).
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "rules/glob.hpp"

namespace re2 {
class RE2;
}

namespace leakaudit {

class Pattern {
public:
    // Compiles `text`, or says what is wrong and at which byte offset of `text` (0 when
    // the regex engine does not say where).
    static Result<Pattern, PatternError> compile(std::string_view text, GlobMode mode);

    bool matches(std::string_view value) const;
    const std::string& text() const { return m_text; }

private:
    std::string m_text;  // as written, for `rules check` and reports
    std::optional<Glob> m_glob;
    std::shared_ptr<const re2::RE2> m_regex;  // shared: compiled once, immutable, thread-safe
};

// `port = 9229` or `port = "9000-9100"`: an inclusive range of TCP/UDP ports.
struct PortRange {
    int low = 0;
    int high = 0;
    bool contains(int port) const { return port >= low && port <= high; }
};

// A `re:` pattern of `[settings] redact`, searched for (not matched whole) in every
// value: compiled like a rule's regex, or why it is not valid.
Result<std::shared_ptr<const std::regex>> compile_search_regex(std::string_view source);

// Parses "9229" or "9000-9100"; an error for anything else.
Result<PortRange> parse_port_range(std::string_view text);

inline constexpr std::string_view k_regex_prefix = "re:";
// A bound on pattern size (and so on the compiled program); real patterns are far shorter.
inline constexpr std::size_t k_max_pattern_length = 4096;

}  // namespace leakaudit
