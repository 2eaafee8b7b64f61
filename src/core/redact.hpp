// Secret redaction: what leakaudit writes (reports, snapshots) shows `***` in place of
// passwords, tokens and keys found in command lines, paths and messages. README,
// "Secrets in reports", lists what is recognised and what is not.
#pragma once

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace leakaudit {

inline constexpr std::string_view k_redacted = "***";
// A user pattern (std::regex, a recursive engine) never sees a longer value: such a
// value is hidden whole instead, since it cannot be checked safely.
inline constexpr std::size_t k_max_regex_input = 4096;

// Extra patterns from `[settings] redact`.
struct RedactPatterns {
    std::vector<std::string> names;  // option / parameter names whose value is secret
    // Each match is hidden; when the regex has groups, only what the groups matched.
    std::vector<std::shared_ptr<const std::regex>> regexes;
};

class Redactor {
public:
    Redactor() = default;
    explicit Redactor(RedactPatterns extra) : m_extra(std::move(extra)) {}

    // A command line, argument by argument: the bytes of each argument stay exact except
    // for its secret parts, and `--token VALUE` hides the whole next argument.
    std::vector<std::string> args(const std::vector<std::string>& argv) const;
    // Free text (a message, a path, a detail the harness sent): words split at white
    // space, quotes respected, so `curl -H 'Authorization: Bearer X'` inside a
    // `sh -c` script is covered too.
    std::string text(std::string_view text) const;

private:
    RedactPatterns m_extra;
};

}  // namespace leakaudit
