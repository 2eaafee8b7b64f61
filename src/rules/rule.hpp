// One [[rule]] as read from a file, and one rules file's contents before merging.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "rules/pattern.hpp"
#include "rules/rule_settings.hpp"

namespace leakaudit {

// The match keys of all kinds; which kind accepts which is in match_keys.cpp.
enum class MatchKey {
    name,
    exe,
    cmdline,
    user,
    proto,
    state,
    port,
    local,
    remote,
    path,
    type,
    target,
    detail,
    site,
    package,
    emitter,
    event,
    resource,   // growth: "descriptors (pipe)", "heap_bytes" (README "Cycles and growth")
    tolerance,  // growth: matches when the per-cycle growth is at most this
};

// One `key = value` of a rule: a pattern, or for `port` a range.
struct Matcher {
    MatchKey key = MatchKey::name;
    std::optional<Pattern> pattern;
    std::optional<PortRange> ports;
    std::string text;                         // the value as written, for `rules check`
    std::optional<std::int64_t> tolerance{};  // for `tolerance`: bytes, or a count
};

struct Rule {
    Kind kind = Kind::process;
    Severity action = Severity::ignore;
    std::string id;
    std::string reason;
    std::string file;               // display name of the file it came from
    int index = 0;                  // 1-based position among the file's [[rule]] entries
    std::vector<Matcher> matchers;  // all must match; none matches every finding of the kind
};

// What one file says. Unset settings and severities leave earlier files' values alone.
struct RuleFile {
    std::string name;
    RuleSettings settings;
    std::array<std::optional<Severity>, k_kind_count> severity;  // by Kind; only ruled kinds
    std::vector<Rule> rules;
};

}  // namespace leakaudit
