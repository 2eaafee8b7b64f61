// The effective rule set as TOML text, each part annotated with the file it came from;
// `rules check` prints it, and it is itself a valid rules file.
#pragma once

#include <ostream>

#include "rules/rule_set.hpp"

namespace leakaudit {

void print_rule_set(const RuleSet& rules, std::ostream& out);

}  // namespace leakaudit
