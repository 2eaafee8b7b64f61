// The bodies of the `rules` subcommands. Loading and printing live in src/rules; this
// file only chooses what to load and maps the outcome to an exit code.
#include "app/rules_command.hpp"

#include <algorithm>

#include "app/print_error.hpp"
#include "rules/rule_loader.hpp"
#include "rules/rule_printer.hpp"

namespace leakaudit {

namespace {

Result<RuleSet, Diagnostics> load_for_check(const RulesCheckOptions& options) {
    if (options.files.empty()) {
        RuleLoadRequest request;
        request.pack_dirs = options.pack_dirs;
        request.project_file = options.project_file;
        return load_rules(request);
    }
    RuleSet rules = RuleSet::builtin();
    Diagnostics diagnostics;
    for (const std::string& file : options.files) {
        load_rules_source(file, options.pack_dirs, rules, diagnostics);
    }
    if (!diagnostics.empty()) return unexpected(std::move(diagnostics));
    return rules;
}

}  // namespace

void print_diagnostics(const Diagnostics& diagnostics, std::ostream& err) {
    std::size_t shown = std::min(diagnostics.size(), k_max_printed_diagnostics);
    for (std::size_t i = 0; i < shown; ++i)
        err << format_diagnostic(diagnostics[i]);
    if (diagnostics.size() > shown) err << "… " << diagnostics.size() - shown << " more (fix these first)\n";
    std::vector<std::string> files;
    for (const Diagnostic& diagnostic : diagnostics) {
        if (std::find(files.begin(), files.end(), diagnostic.file) == files.end()) files.push_back(diagnostic.file);
    }
    print_error(std::to_string(diagnostics.size()) + (diagnostics.size() == 1 ? " problem" : " problems") + " in " +
                    std::to_string(files.size()) + (files.size() == 1 ? " rules file" : " rules files"),
                err);
}

ExitCode run_rules_check(const RulesCheckOptions& options, std::ostream& out, std::ostream& err) {
    Result<RuleSet, Diagnostics> loaded = load_for_check(options);
    if (!loaded) {
        print_diagnostics(loaded.error(), err);
        return ExitCode::usage;
    }
    print_rule_set(*loaded, out);
    return ExitCode::ok;
}

ExitCode run_rules_packs(const RulesPacksOptions& options, std::ostream& out, std::ostream& err) {
    std::vector<PackInfo> packs = list_packs(options.pack_dirs);
    if (packs.empty()) {
        std::string message = "no rule packs found in:";
        for (const std::filesystem::path& dir : options.pack_dirs)
            message += " " + dir.string();
        print_error(message, err);
        return ExitCode::usage;
    }
    std::size_t width = 0;
    for (const PackInfo& pack : packs)
        width = std::max(width, pack.name.size());
    for (const PackInfo& pack : packs) {
        std::string description = pack.description.empty() ? "(no description)" : pack.description;
        out << pack.name << std::string(width - pack.name.size() + 2, ' ') << description << "  [" << pack.path.string()
            << "]\n";
    }
    return ExitCode::ok;
}

}  // namespace leakaudit
