// [settings]: defaults for `run` that its command-line options override.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/redact.hpp"

namespace leakaudit {

struct RuleSettings {
    std::optional<std::chrono::milliseconds> grace;
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<std::chrono::milliseconds> exit_timeout;
    std::optional<std::vector<std::string>> watch;
    std::optional<Severity> fail_on;
    // `redact = ["db-pass", "re:sess-[0-9a-f]+"]`: extra secrets to hide, as written
    // (for `rules check`) and compiled. Files add to each other's lists.
    std::vector<std::string> redact;
    RedactPatterns redact_patterns;
};

}  // namespace leakaudit
