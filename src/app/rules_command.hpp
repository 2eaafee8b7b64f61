// `leakaudit rules check [FILE...]` and `leakaudit rules packs`: plain functions the CLI
// calls with a filled options struct; they return the process exit code.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "core/exit_code.hpp"
#include "rules/diagnostic.hpp"

namespace leakaudit {

struct RulesCheckOptions {
    // FILE or PACK arguments. Empty: check what `run` loads (the default pack, then
    // ./leakaudit.toml when present). Given: the built-in defaults plus exactly these, in order.
    std::vector<std::string> files;
    std::vector<std::filesystem::path> pack_dirs;
    std::filesystem::path project_file = "leakaudit.toml";
};

struct RulesPacksOptions {
    std::vector<std::filesystem::path> pack_dirs;
};

// 0 and the merged rule set on `out`; 2 and every diagnostic on `err`.
ExitCode run_rules_check(const RulesCheckOptions& options, std::ostream& out, std::ostream& err);
// 0 and one line per pack: name, description, path.
ExitCode run_rules_packs(const RulesPacksOptions& options, std::ostream& out, std::ostream& err);

// Every diagnostic, then one "leakaudit: error:" summary line; `run` uses it too.
void print_diagnostics(const Diagnostics& diagnostics, std::ostream& err);

}  // namespace leakaudit
