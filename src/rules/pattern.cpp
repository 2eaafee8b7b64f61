// Pattern compilation. RE2 reports errors as values; they become messages with the
// offset of the offending part, so a bad regex points at its column.
#include "rules/pattern.hpp"

#include <re2/re2.h>

#include <charconv>
#include <regex>

#include "rules/diagnostic.hpp"

namespace leakaudit {

namespace {

// Latin-1: every byte is one character, so `.` matches any single byte of a command line
// that is not UTF-8 (suggested rules rely on it), and UTF-8 literals match byte for byte.
// The memory bound caps the compiled program and the DFA cache: a pattern too large for
// it is refused at load, and matching never falls back to anything but linear time.
RE2::Options regex_options() {
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_log_errors(false);
    options.set_max_mem(8 << 20);
    return options;
}

Result<std::shared_ptr<const re2::RE2>, PatternError> compile_regex(std::string_view source) {
    auto regex = std::make_shared<const re2::RE2>(re2::StringPiece(source.data(), source.size()), regex_options());
    if (regex->ok()) return regex;
    std::size_t at = regex->error_arg().empty() ? std::string_view::npos : source.find(regex->error_arg());
    return unexpected(PatternError{"bad regex: " + regex->error(), at == std::string_view::npos ? 0 : at});
}

std::optional<int> parse_port(std::string_view text) {
    int value = -1;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 65535) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

Result<Pattern, PatternError> Pattern::compile(std::string_view text, GlobMode mode) {
    if (text.size() > k_max_pattern_length) {
        return unexpected(PatternError{"pattern is " + std::to_string(text.size()) + " bytes long; the limit is " +
                                       std::to_string(k_max_pattern_length)});
    }
    Pattern pattern;
    pattern.m_text = std::string(text);
    if (text.substr(0, k_regex_prefix.size()) == k_regex_prefix) {
        Result<std::shared_ptr<const re2::RE2>, PatternError> regex = compile_regex(text.substr(k_regex_prefix.size()));
        if (!regex) {
            PatternError error = regex.error();
            error.offset += k_regex_prefix.size();
            return unexpected(std::move(error));
        }
        pattern.m_regex = std::move(*regex);
        return pattern;
    }
    Result<Glob, PatternError> glob = Glob::compile(text, mode);
    if (!glob) return unexpected(glob.error());
    pattern.m_glob = std::move(*glob);
    return pattern;
}

bool Pattern::matches(std::string_view value) const {
    if (m_glob) return m_glob->matches(value);
    return re2::RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *m_regex);
}

Result<std::shared_ptr<const std::regex>> compile_search_regex(std::string_view source) {
    // RE2 first, for the same syntax and messages as a rule's regex; the search itself
    // runs in core (core/redact.cpp), which knows only std::regex and bounds its input.
    if (auto checked = compile_regex(source); !checked) return unexpected(checked.error().message);
    try {
        return std::make_shared<const std::regex>(source.begin(), source.end());
    } catch (const std::regex_error& e) {
        return unexpected(std::string("bad regex: ") + e.what());
    }
}

Result<PortRange> parse_port_range(std::string_view text) {
    std::size_t dash = text.find('-');
    std::optional<int> low = parse_port(text.substr(0, dash));
    std::optional<int> high = dash == std::string_view::npos ? low : parse_port(text.substr(dash + 1));
    if (!low || !high) {
        return unexpected("bad port range `" + abbreviate(text) +
                          "`: write a port (9229) or an inclusive range (\"9000-9100\"), ports 0-65535");
    }
    if (*low > *high) return unexpected("bad port range `" + abbreviate(text) + "`: the low end is above the high end");
    return PortRange{*low, *high};
}

}  // namespace leakaudit
