// Which match keys each kind accepts, and how a rule is tested against a finding.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "rules/rule.hpp"

namespace leakaudit {

std::string_view to_string(MatchKey key);
std::optional<MatchKey> parse_match_key(std::string_view text);

bool key_applies(Kind kind, MatchKey key);
std::vector<std::string_view> key_names(Kind kind);  // in README's order ("Match keys")
std::vector<Kind> kinds_with_key(MatchKey key);
std::vector<std::string_view> all_key_names();

// Path-like keys (`path`, `exe`, `target`) keep `*` inside one path component.
GlobMode glob_mode(MatchKey key);

// The rule's kind is the finding's and every matcher accepts the finding's field.
bool rule_matches(const Rule& rule, const Finding& finding);

}  // namespace leakaudit
