// Everything after the first `--` is the harness's command line and is never parsed as
// leakaudit options; usage errors exit 2 and name the argument. Each command fills a
// plain options struct here and runs one function of it.
#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/attach_command.hpp"
#include "app/cli_options.hpp"
#include "app/diff_command.hpp"
#include "app/print_error.hpp"
#include "app/rule_sources.hpp"
#include "app/rules_command.hpp"
#include "app/run_command.hpp"
#include "app/snapshot_command.hpp"
#include "app/version.hpp"

namespace leakaudit {

namespace {

std::string version_text() {
    std::string text = std::string("leakaudit ") + LEAKAUDIT_VERSION;
    if (std::string_view(LEAKAUDIT_GIT_REVISION).size()) text += std::string(" (") + LEAKAUDIT_GIT_REVISION + ")";
    return text;
}

// Splits argv at the first `--`: what follows is the harness command, untouched.
std::vector<std::string> split_command(int argc, char** argv, std::vector<std::string>& own_args, bool& had_separator) {
    std::vector<std::string> command;
    had_separator = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (!had_separator && arg == "--")
            had_separator = true;
        else if (had_separator)
            command.push_back(arg);
        else
            own_args.push_back(arg);
    }
    return command;
}

bool is_command(CLI::App& app, const std::string& name) {
    for (const CLI::App* cmd : app.get_subcommands([](CLI::App*) { return true; })) {
        if (cmd->get_name() == name) return true;
    }
    return false;
}

struct Commands {
    RunOptions run;
    RunFlags run_flags;
    SnapshotOptions snapshot;
    DiffOptions diff;
    std::string diff_fail_on;
    RulesCheckOptions rules_check;
    AttachOptions attach;
    AttachFlags attach_flags;
    CLI::App* attach_cmd = nullptr;
    CLI::App* run_cmd = nullptr;
    CLI::App* snapshot_cmd = nullptr;
    CLI::App* diff_cmd = nullptr;
    CLI::App* rules_check_cmd = nullptr;
    CLI::App* rules_packs_cmd = nullptr;
};

ExitCode dispatch(Commands& c, bool had_separator) {
    if (c.run_cmd->parsed()) {
        finish_run_options(c.run, c.run_flags, had_separator, c.run_cmd->remaining());
        return run_audit(c.run);
    }
    if (had_separator) throw UsageError{"`--` is only for `leakaudit run`"};
    if (c.snapshot_cmd->parsed()) return take_snapshot_command(c.snapshot);
    if (c.diff_cmd->parsed()) {
        finish_output_options(c.diff.output, c.diff_fail_on);
        return diff_command(c.diff);
    }
    if (c.attach_cmd->parsed()) {
        finish_attach_options(c.attach, c.attach_flags);
        return attach_command(c.attach);
    }
    if (c.rules_check_cmd->parsed()) {
        c.rules_check.pack_dirs = rule_pack_dirs();
        return run_rules_check(c.rules_check, std::cout, std::cerr);
    }
    if (c.rules_packs_cmd->parsed()) return run_rules_packs({rule_pack_dirs()}, std::cout, std::cerr);
    return ExitCode::usage;
}

ExitCode run_cli(int argc, char** argv) {
    CLI::App app{"leakaudit: audit what a plugin's harness leaves behind when it stops", "leakaudit"};
    app.set_version_flag("--version", version_text());
    app.require_subcommand(1);
    app.footer(
        "Run `leakaudit COMMAND --help` for a command's options. Exit codes: 0 clean, 1 leaks,\n"
        "2 usage or rules error, 3 harness failed, 4 leakaudit could not work.");
    Commands c;
    c.run_cmd = add_run_command(app, c.run, c.run_flags);
    c.snapshot_cmd = add_snapshot_command(app, c.snapshot);
    c.diff_cmd = add_diff_command(app, c.diff, c.diff_fail_on);
    c.attach_cmd = add_attach_command(app, c.attach, c.attach_flags);
    CLI::App* rules = app.add_subcommand("rules", "Validate rule files and list the shipped packs");
    rules->require_subcommand(1);
    c.rules_check_cmd = add_rules_check_command(*rules, c.rules_check);
    c.rules_packs_cmd = rules->add_subcommand("packs", "List the shipped rule packs with a line on each");
    c.rules_packs_cmd->footer("Example:\n  leakaudit rules packs");
    rules->footer("Examples:\n  leakaudit rules check\n  leakaudit rules packs");

    std::vector<std::string> own_args;
    bool had_separator = false;
    c.run.command = split_command(argc, argv, own_args, had_separator);
    try {
        std::vector<std::string> reversed(own_args.rbegin(), own_args.rend());
        app.parse(reversed);
        return dispatch(c, had_separator);
    } catch (const CLI::CallForHelp&) {
        std::cout << help_of(app, own_args);
        return ExitCode::ok;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return ExitCode::ok;
    } catch (const CLI::CallForVersion&) {
        std::cout << version_text() << '\n';
        return ExitCode::ok;
    } catch (const CLI::ParseError& e) {
        if (!own_args.empty() && !own_args[0].starts_with("-") && !is_command(app, own_args[0])) {
            print_error("unknown command `" + own_args[0] + "` (commands: run, attach, snapshot, diff, rules)");
            return ExitCode::usage;
        }
        print_error(std::string(e.what()) + "\n(see `leakaudit --help`)");
        return ExitCode::usage;
    } catch (const UsageError& e) {
        print_error(e.message);
        return ExitCode::usage;
    }
}

}  // namespace

int cli_main(int argc, char** argv) {
    return to_int(run_cli(argc, argv));
}

}  // namespace leakaudit
