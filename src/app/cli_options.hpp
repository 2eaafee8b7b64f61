// The options of each command, declared for CLI11, and the checks that run after parsing
// (durations, severities, `--`), which throw UsageError naming the argument.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "app/options.hpp"
#include "app/rules_command.hpp"

namespace leakaudit {

struct UsageError {
    std::string message;
};

// Raw strings from CLI11, converted after parsing so errors name the flag.
struct RunFlags {
    std::string timeout, grace, exit_timeout, fail_on;
    bool node = false, no_node = false;
    int cycles = 0, warmup = -1;
};

CLI::App* add_run_command(CLI::App& app, RunOptions& o, RunFlags& f);
CLI::App* add_snapshot_command(CLI::App& app, SnapshotOptions& o);
CLI::App* add_diff_command(CLI::App& app, DiffOptions& o, std::string& fail_on);
CLI::App* add_rules_check_command(CLI::App& rules, RulesCheckOptions& o);

// `attach PID`: the pid, --grace and --fail-on are checked in finish_attach_options.
struct AttachFlags {
    std::string pid, grace, fail_on;
};
CLI::App* add_attach_command(CLI::App& app, AttachOptions& o, AttachFlags& f);
void finish_attach_options(AttachOptions& o, const AttachFlags& f);

void finish_run_options(RunOptions& o, const RunFlags& f, bool had_separator, const std::vector<std::string>& extras);
void finish_output_options(OutputOptions& o, const std::string& fail_on);

// The help of the innermost command named in `args`.
std::string help_of(CLI::App& app, const std::vector<std::string>& args);

}  // namespace leakaudit
