// Pure decisions on plain values: the environment is read by the caller (src/app).
#include "core/run_limits.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace leakaudit {

bool is_ci(std::optional<std::string_view> ci_env) {
    if (!ci_env) return false;
    std::string value(*ci_env);
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return value == "true" || value == "1" || value == "yes";
}

TimeoutChoice choose_timeout(std::optional<std::chrono::milliseconds> option,
                             std::optional<std::chrono::milliseconds> settings,
                             std::optional<std::string_view> ci_env) {
    if (option) return {option, TimeoutSource::option};
    if (settings) return {settings, TimeoutSource::settings};
    if (is_ci(ci_env)) return {k_ci_default_timeout, TimeoutSource::ci_default};
    return {};
}

std::string to_string(TimeoutSource source) {
    switch (source) {
        case TimeoutSource::option:
            return "option";
        case TimeoutSource::settings:
            return "settings";
        case TimeoutSource::ci_default:
            return "ci-default";
        case TimeoutSource::none:
            break;
    }
    return "none";
}

std::string duration_text(std::chrono::milliseconds d) {
    long long ms = d.count();
    if (ms < 1000 || ms % 1000 != 0) return std::to_string(ms) + "ms";
    long long s = ms / 1000;
    std::string text;
    if (s >= 3600) text += std::to_string(s / 3600) + "h";
    if (s % 3600 >= 60) text += std::to_string(s % 3600 / 60) + "m";
    if (s % 60 || text.empty()) text += std::to_string(s % 60) + "s";
    return text;
}

std::string describe_timeout(const TimeoutChoice& choice) {
    if (!choice.value) return "";
    std::string value = duration_text(*choice.value);
    switch (choice.source) {
        case TimeoutSource::option:
            return "--timeout (" + value + ")";
        case TimeoutSource::settings:
            return "[settings] timeout (" + value + ")";
        case TimeoutSource::ci_default:
            return "the CI default timeout (" + value + ", CI=true and no --timeout or [settings] timeout)";
        case TimeoutSource::none:
            break;
    }
    return "";
}

std::chrono::milliseconds status_interval(std::optional<std::string_view> env) {
    if (!env || env->empty()) return k_status_interval;
    long long ms = 0;
    auto [end, error] = std::from_chars(env->data(), env->data() + env->size(), ms);
    if (error != std::errc() || end != env->data() + env->size() || ms <= 0) return k_status_interval;
    return std::chrono::milliseconds(ms);
}

}  // namespace leakaudit
