// [settings]: defaults for `run` that its command-line options override.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/redact.hpp"
#include "core/settings.hpp"

namespace leakaudit {

// The layer core/settings.hpp resolves against the command line, plus what only files set.
struct RuleSettings : SettingsLayer {
    // `redact = ["db-pass", "re:sess-[0-9a-f]+"]`: extra secrets to hide, as written
    // (for `rules check`) and compiled. Files add to each other's lists.
    std::vector<std::string> redact;
    RedactPatterns redact_patterns;
};

}  // namespace leakaudit
