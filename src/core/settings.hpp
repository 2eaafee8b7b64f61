// The settings of `run` and `diff`, resolved: command-line options win over the rules
// files' [settings] (merged in load order), which win over the built-in defaults (README,
// "Rules files": [settings]; man page, OPTIONS).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/growth.hpp"

namespace leakaudit {

// One layer of settings: what the command line or the rules files say; unset is nullopt.
struct SettingsLayer {
    std::optional<std::chrono::milliseconds> grace;
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<std::chrono::milliseconds> exit_timeout;
    std::optional<std::vector<std::string>> watch;
    std::optional<Severity> fail_on;
    // Cycles (README "Cycles and growth"): --warmup / `warmup`, and the byte tolerances
    // per cycle `growth-heap-tolerance`, `growth-rss-tolerance`.
    std::optional<int> warmup{};
    std::optional<std::int64_t> growth_heap_tolerance{};
    std::optional<std::int64_t> growth_rss_tolerance{};
};

struct Settings {
    std::optional<std::chrono::milliseconds> timeout;  // nullopt: no timeout
    std::chrono::milliseconds grace{2000};
    std::chrono::milliseconds exit_timeout{5000};
    Severity fail_on = Severity::error;
    std::vector<std::string> watch;  // without trailing slashes
    int warmup = 2;                  // cycles not judged
    GrowthTolerances growth;
};

// The temp folders watched when neither the command line nor a rules file names any.
inline constexpr std::string_view k_default_watch[] = {"/tmp", "/dev/shm"};
// `given`, or the default watch list when it is empty.
std::vector<std::string> watch_or_default(const std::vector<std::string>& given);

Settings resolve_settings(const SettingsLayer& command_line, const SettingsLayer& files);

}  // namespace leakaudit
