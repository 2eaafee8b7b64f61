// A rule's match value: a glob, or with the `re:` prefix a regex that must match the
// whole value. Compiled once when the rules file is read. Regexes run on RE2, whose
// matching time is linear in the value whatever the pattern (src/rules/README.md).
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "rules/glob.hpp"

namespace re2 {
class RE2;
}

namespace leakaudit {

class Pattern {
public:
    // On failure returns nullopt, with `error` set and `error_offset` the byte offset of
    // the problem within `text` (0 when the regex engine does not say where).
    static std::optional<Pattern> compile(std::string_view text, GlobMode mode, std::string& error,
                                          std::size_t& error_offset);

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
// value: compiled like a rule's regex; nullptr and `error` when it is not valid.
std::shared_ptr<const std::regex> compile_search_regex(std::string_view source, std::string& error);

// Parses "9229" or "9000-9100"; nullopt (and `error`) for anything else.
std::optional<PortRange> parse_port_range(std::string_view text, std::string& error);

inline constexpr std::string_view k_regex_prefix = "re:";
// A bound on pattern size (and so on the compiled program); real patterns are far shorter.
inline constexpr std::size_t k_max_pattern_length = 4096;

}  // namespace leakaudit
