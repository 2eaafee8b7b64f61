// How long a run may take, decided before it starts: --timeout, else [settings] timeout,
// else, when CI=true, a default (README "`run`, step by step"; man page, --timeout), so a
// leaked server or interval never hangs a CI job for ever. And how often a long run says
// what it is waiting for (the status line, core/status_line.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace leakaudit {

using namespace std::chrono_literals;

// The timeout that applies under CI=true when nothing else sets one.
inline constexpr std::chrono::milliseconds k_ci_default_timeout = 10min;
// How often a run that goes on prints its status line to stderr.
inline constexpr std::chrono::milliseconds k_status_interval = 30s;

enum class TimeoutSource { none, option, settings, ci_default };

struct TimeoutChoice {
    std::optional<std::chrono::milliseconds> value;
    TimeoutSource source = TimeoutSource::none;
};

// `ci_env`: the value of CI, nullopt when unset. CI=true (or 1, yes; any case) is a CI job.
bool is_ci(std::optional<std::string_view> ci_env);

// --timeout wins over [settings] timeout; with neither, CI gets k_ci_default_timeout.
TimeoutChoice choose_timeout(std::optional<std::chrono::milliseconds> option,
                             std::optional<std::chrono::milliseconds> settings, std::optional<std::string_view> ci_env);

// "option", "settings", "ci-default", "none": the JSON report's harness.timeout_source.
std::string to_string(TimeoutSource source);

// For people: "--timeout (5m)", "[settings] timeout (5m)", "the CI default timeout (10m,
// CI=true and no --timeout or [settings] timeout)"; "" when there is none.
std::string describe_timeout(const TimeoutChoice& choice);

// "10m", "1m30s", "45s", "500ms": a duration as --timeout takes it.
std::string duration_text(std::chrono::milliseconds d);

// LEAKAUDIT_STATUS_INTERVAL_MS (a knob for tests, README "Limits"): a positive number of
// milliseconds; unset or anything else is k_status_interval.
std::chrono::milliseconds status_interval(std::optional<std::string_view> env);

}  // namespace leakaudit
