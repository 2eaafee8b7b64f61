// Each setting is taken from the first layer that sets it.
#include "core/settings.hpp"

namespace leakaudit {

std::vector<std::string> watch_or_default(const std::vector<std::string>& given) {
    if (!given.empty()) return given;
    return {std::begin(k_default_watch), std::end(k_default_watch)};
}

Settings resolve_settings(const SettingsLayer& command_line, const SettingsLayer& files) {
    Settings out;
    out.timeout = command_line.timeout ? command_line.timeout : files.timeout;
    out.grace = command_line.grace.value_or(files.grace.value_or(out.grace));
    out.exit_timeout = command_line.exit_timeout.value_or(files.exit_timeout.value_or(out.exit_timeout));
    out.fail_on = command_line.fail_on.value_or(files.fail_on.value_or(out.fail_on));
    // An empty list in a rules file watches nothing; the command line never gives one.
    out.watch = command_line.watch.value_or(files.watch.value_or(watch_or_default({})));
    out.warmup = command_line.warmup.value_or(files.warmup.value_or(out.warmup));
    out.growth.heap_bytes =
        command_line.growth_heap_tolerance.value_or(files.growth_heap_tolerance.value_or(out.growth.heap_bytes));
    out.growth.rss_bytes =
        command_line.growth_rss_tolerance ? command_line.growth_rss_tolerance : files.growth_rss_tolerance;
    for (std::string& w : out.watch) {
        while (w.size() > 1 && w.back() == '/')
            w.pop_back();
    }
    return out;
}

}  // namespace leakaudit
