// Pattern compilation. std::regex reports errors by exception; they are caught here, at
// the edge, and become messages.
#include "rules/pattern.hpp"

#include <charconv>

#include "rules/diagnostic.hpp"

namespace leakaudit {

namespace {

// libstdc++'s default regex executor backtracks recursively, one stack frame per input
// byte, so a long command line can overflow the stack; its `__polynomial` extension
// selects the breadth-first executor (linear in the input, no deep recursion) at the
// price of back-references, which rules have no need for.
#if defined(__GLIBCXX__)
constexpr std::regex::flag_type k_regex_flags = std::regex::ECMAScript | std::regex_constants::__polynomial;
#else
constexpr std::regex::flag_type k_regex_flags = std::regex::ECMAScript;
#endif

std::shared_ptr<const std::regex> compile_regex(std::string_view source, std::string& error) {
    try {
        return std::make_shared<const std::regex>(source.begin(), source.end(), k_regex_flags);
    } catch (const std::regex_error& e) {
        error = std::string("bad regex: ") + e.what();
    } catch (const std::exception& e) {  // std::bad_alloc on pathological repetition counts
        error = std::string("bad regex: ") + e.what();
    }
    return nullptr;
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

std::optional<Pattern> Pattern::compile(std::string_view text, GlobMode mode, std::string& error,
                                        std::size_t& error_offset) {
    error_offset = 0;
    if (text.size() > k_max_pattern_length) {
        error = "pattern is " + std::to_string(text.size()) + " bytes long; the limit is " +
                std::to_string(k_max_pattern_length);
        return std::nullopt;
    }
    Pattern pattern;
    pattern.m_text = std::string(text);
    if (text.substr(0, k_regex_prefix.size()) == k_regex_prefix) {
        pattern.m_regex = compile_regex(text.substr(k_regex_prefix.size()), error);
        if (!pattern.m_regex) return std::nullopt;
        return pattern;
    }
    pattern.m_glob = Glob::compile(text, mode, error, error_offset);
    if (!pattern.m_glob) return std::nullopt;
    return pattern;
}

bool Pattern::matches(std::string_view value) const {
    if (m_glob) return m_glob->matches(value);
    try {
        return std::regex_match(value.begin(), value.end(), *m_regex);
    } catch (const std::regex_error&) {
        // error_complexity / error_stack on a pathological subject: treat as no match
        // rather than abort the audit; the finding then keeps its kind's severity.
        return false;
    }
}

std::shared_ptr<const std::regex> compile_search_regex(std::string_view source, std::string& error) {
    return compile_regex(source, error);
}

std::optional<PortRange> parse_port_range(std::string_view text, std::string& error) {
    std::size_t dash = text.find('-');
    std::optional<int> low = parse_port(text.substr(0, dash));
    std::optional<int> high = dash == std::string_view::npos ? low : parse_port(text.substr(dash + 1));
    if (!low || !high) {
        error = "bad port range `" + abbreviate(text) +
                "`: write a port (9229) or an inclusive range (\"9000-9100\"), ports 0-65535";
        return std::nullopt;
    }
    if (*low > *high) {
        error = "bad port range `" + abbreviate(text) + "`: the low end is above the high end";
        return std::nullopt;
    }
    return PortRange{*low, *high};
}

}  // namespace leakaudit
