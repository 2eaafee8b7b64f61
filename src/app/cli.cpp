// Everything after the first `--` is the harness's command line and is never parsed as
// leakaudit options; usage errors exit 2 and name the argument.
#include "app/cli.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/options.hpp"
#include "app/run_command.hpp"
#include "app/version.hpp"
#include "core/duration.hpp"

namespace leakaudit {

namespace {

constexpr int k_usage_error = 2;

struct UsageError {
    std::string message;
};

std::string version_text() {
    std::string text = std::string("leakaudit ") + LEAKAUDIT_VERSION;
    if (std::string_view(LEAKAUDIT_GIT_REVISION).size()) text += std::string(" (") + LEAKAUDIT_GIT_REVISION + ")";
    return text;
}

std::optional<std::chrono::milliseconds> duration_option(const std::string& flag, const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto d = parse_duration(text);
    if (!d) throw UsageError{flag + ": invalid duration `" + text + "` (write it with a unit: 500ms, 2s, 5m)"};
    return d;
}

std::optional<Severity> severity_option(const std::string& flag, const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto s = parse_severity(text);
    if (!s || *s == Severity::ignore) {
        throw UsageError{flag + ": invalid severity `" + text + "` (one of info, warning, error)"};
    }
    return s;
}

// Raw strings from CLI11, converted and checked after parsing so errors name the flag.
struct RunFlags {
    std::string timeout, grace, exit_timeout, fail_on;
};

void add_output_options(CLI::App* cmd, OutputOptions& o, std::string& fail_on) {
    cmd->add_option("--fail-on", fail_on, "Lowest severity that fails the run (info|warning|error; default error)");
    cmd->add_option("--json", o.json_path, "Write the JSON report to FILE atomically (`-` for stdout)")->type_name("FILE");
    cmd->add_option("--junit", o.junit_path, "Write a JUnit XML report to FILE")->type_name("FILE");
    cmd->add_flag("-q,--quiet", o.quiet, "Print only the summary line");
    cmd->add_flag("--no-color", o.no_color, "No colour (NO_COLOR in the environment does the same)");
    cmd->add_flag("--show-ignored", o.show_ignored, "Also list findings that rules ignore");
    cmd->add_flag("--suggest-rules", o.suggest_rules, "Print [[rule]] entries that would silence the findings");
}

CLI::App* add_run_command(CLI::App& app, RunOptions& o, RunFlags& f) {
    CLI::App* run = app.add_subcommand("run", "Audit one harness run: leakaudit run [OPTIONS] -- COMMAND [ARG...]");
    run->allow_extras();  // so a forgotten `--` gets its own message, not CLI11's
    run->add_option("--rules", o.rules, "Rules file or shipped pack name; repeatable, applied in order")
        ->type_name("FILE|PACK");
    run->add_option("--timeout", f.timeout, "Kill the harness after DURATION (e.g. 5m); a harness finding")
        ->type_name("DURATION");
    run->add_option("--grace", f.grace, "Wait up to DURATION for the run's processes to exit (default 2s)")
        ->type_name("DURATION");
    run->add_option("--exit-timeout", f.exit_timeout, "After `stopped`, wait DURATION for the harness to exit (default 5s)")
        ->type_name("DURATION");
    run->add_option("--watch", o.watch, "Temp folder to watch; repeatable (default /tmp and /dev/shm)")->type_name("DIR");
    run->add_flag("--keep", o.keep, "Do not reap leaked processes");
    run->add_flag("--clean-tmp", o.clean_tmp, "Delete the run's leaked temp entries");
    add_output_options(run, o.output, f.fail_on);
    run->footer(
        "Examples:\n"
        "  leakaudit run -- node harness.mjs\n"
        "  leakaudit run --rules node --json report.json -- npm test\n"
        "  leakaudit run --timeout 5m --grace 500ms -- ./stop-plugin.sh");
    return run;
}

// Splits argv at the first `--`: what follows is the harness command, untouched.
std::vector<std::string> split_command(int argc, char** argv, std::vector<std::string>& own_args, bool& had_separator) {
    std::vector<std::string> command;
    had_separator = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (!had_separator && arg == "--") had_separator = true;
        else if (had_separator) command.push_back(arg);
        else own_args.push_back(arg);
    }
    return command;
}

bool is_command(CLI::App& app, const std::string& name) {
    for (const CLI::App* cmd : app.get_subcommands([](CLI::App*) { return true; })) {
        if (cmd->get_name() == name) return true;
    }
    return false;
}

void finish_run_options(RunOptions& o, const RunFlags& f, bool had_separator, const std::vector<std::string>& extras) {
    if (!extras.empty() && extras[0].starts_with("-")) throw UsageError{"run: unknown option `" + extras[0] + "`"};
    if (!had_separator) {
        throw UsageError{"run: missing `--` before the command (leakaudit run [OPTIONS] -- COMMAND [ARG...])"};
    }
    if (!extras.empty()) throw UsageError{"run: unexpected argument `" + extras[0] + "` before `--`"};
    if (o.command.empty() || o.command[0].empty()) throw UsageError{"run: empty command after `--`"};
    o.timeout = duration_option("--timeout", f.timeout);
    o.grace = duration_option("--grace", f.grace);
    o.exit_timeout = duration_option("--exit-timeout", f.exit_timeout);
    o.output.fail_on = severity_option("--fail-on", f.fail_on);
}

}  // namespace

int cli_main(int argc, char** argv) {
    CLI::App app{"leakaudit: audit what a plugin's harness leaves behind when it stops"};
    app.set_version_flag("--version", version_text());
    app.require_subcommand(1);
    app.footer("Run `leakaudit COMMAND --help` for a command's options. Exit codes: 0 clean, 1 leaks,\n"
               "2 usage or rules error, 3 harness failed, 4 leakaudit could not work.");

    RunOptions run_options;
    RunFlags run_flags;
    CLI::App* run = add_run_command(app, run_options, run_flags);

    std::vector<std::string> own_args;
    bool had_separator = false;
    run_options.command = split_command(argc, argv, own_args, had_separator);
    try {
        std::vector<std::string> reversed(own_args.rbegin(), own_args.rend());
        app.parse(reversed);
        if (run->parsed()) {
            finish_run_options(run_options, run_flags, had_separator, run->remaining());
            return run_audit(run_options);
        }
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        std::cout << version_text() << '\n';
        return 0;
    } catch (const CLI::ParseError& e) {
        if (!own_args.empty() && !own_args[0].starts_with("-") && !is_command(app, own_args[0])) {
            std::cerr << "leakaudit: error: unknown command `" << own_args[0]
                      << "` (commands: run, snapshot, diff, rules)\n";
            return k_usage_error;
        }
        std::cerr << "leakaudit: error: " << e.what() << "\n(see `leakaudit --help`)\n";
        return k_usage_error;
    } catch (const UsageError& e) {
        std::cerr << "leakaudit: error: " << e.message << '\n';
        return k_usage_error;
    }
    return k_usage_error;
}

}  // namespace leakaudit
