// Suggested rules: a TOML snippet of [[rule]] entries that would silence exactly the
// current findings, for a user to paste into leakaudit.toml and justify.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

// Findings whose secrets were redacted say `***` where the real value was: a suggested
// rule then matches any value there (`*`), so it still matches the real finding.
enum class SuggestValues { exact, redacted };

// One rule per distinct finding with severity above `ignore` (harness findings are not
// subject to rules and are skipped). Each rule matches its finding precisely, with
// `reason = "TODO: why this is expected"`. Empty when there is nothing to silence.
std::string suggest_rules(const std::vector<Finding>& findings, SuggestValues values = SuggestValues::exact);

}  // namespace leakaudit
