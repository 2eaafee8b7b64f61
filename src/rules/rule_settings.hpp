// [settings]: defaults for `run` that its command-line options override.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

struct RuleSettings {
    std::optional<std::chrono::milliseconds> grace;
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<std::chrono::milliseconds> exit_timeout;
    std::optional<std::vector<std::string>> watch;
    std::optional<Severity> fail_on;
};

}  // namespace leakaudit
