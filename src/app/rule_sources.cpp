// LEAKAUDIT_RULES_DIR (for tests and unusual layouts) comes first.
#include "app/rule_sources.hpp"

#include <iostream>

#include "app/rules_command.hpp"
#include "rules/rule_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "app/version.hpp"

namespace leakaudit {

std::vector<std::filesystem::path> rule_pack_dirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("LEAKAUDIT_RULES_DIR"); env && *env) dirs.emplace_back(env);
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        std::filesystem::path bin = exe.parent_path();
        for (const auto& candidate : {bin / "rules", bin.parent_path() / "share" / "leakaudit" / "rules"}) {
            if (std::filesystem::is_directory(candidate, ec)) dirs.push_back(candidate);
        }
    }
    std::filesystem::path installed = std::filesystem::path(LEAKAUDIT_INSTALL_DATADIR) / "rules";
    if (std::find(dirs.begin(), dirs.end(), installed) == dirs.end()) dirs.push_back(installed);
    return dirs;
}

std::optional<RuleSet> load_command_rules(const std::vector<std::string>& extra) {
    RuleLoadRequest request;
    request.pack_dirs = rule_pack_dirs();
    request.extra = extra;
    LoadedRules loaded = load_rules(request);
    if (!loaded.ok()) {
        print_diagnostics(loaded.diagnostics, std::cerr);
        return std::nullopt;
    }
    return std::move(loaded.rules);
}

}  // namespace leakaudit
