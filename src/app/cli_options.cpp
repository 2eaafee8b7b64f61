// Help texts carry examples; every option here is also in man/leakaudit.1 and the
// shell completions.
#include "app/cli_options.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>

#include "core/duration.hpp"

namespace leakaudit {

namespace {

std::optional<std::chrono::milliseconds> duration_option(const std::string& flag, const std::string& text) {
    if (text.empty()) return std::nullopt;
    Result<std::chrono::milliseconds> d = parse_duration_checked(text);
    if (!d) throw UsageError{flag + ": " + d.error().message};
    return *d;
}

std::optional<Severity> severity_option(const std::string& flag, const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto s = parse_severity(text);
    if (!s || *s == Severity::ignore) {
        throw UsageError{flag + ": invalid severity `" + text + "` (one of info, warning, error)"};
    }
    return s;
}

void check_watch_dirs(const std::vector<std::string>& dirs) {
    for (const std::string& dir : dirs) {
        struct stat st {};
        if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
            throw UsageError{"--watch: `" + dir + "` is not a folder"};
    }
}

void add_output_options(CLI::App* cmd, OutputOptions& o, std::string& fail_on) {
    cmd->add_option("--fail-on", fail_on, "Lowest severity that fails: info, warning or error (default error)")
        ->type_name("SEVERITY");
    cmd->add_option("--json", o.json_path,
                    "Write the JSON report to FILE (`-` for stdout): a regular file replaced atomically, a FIFO or "
                    "device written in place, a link to a file refused")
        ->type_name("FILE");
    cmd->add_option("--junit", o.junit_path, "Write a JUnit XML report to FILE")->type_name("FILE");
    cmd->add_option("--html", o.html_path,
                    "Write a self-contained HTML report to FILE: findings, process tree, a chart per grown "
                    "quantity over the cycles; no script, loads nothing")
        ->type_name("FILE");
    cmd->add_option("--annotations", o.annotations,
                    "CI annotations: github or none (default: github when GITHUB_ACTIONS=true)")
        ->check(CLI::IsMember({"github", "none"}))
        ->type_name("KIND");
    cmd->add_flag("-q,--quiet", o.quiet, "Print only the summary line");
    cmd->add_flag("--no-color", o.no_color, "No colour (NO_COLOR in the environment does the same)");
    cmd->add_flag("--show-ignored", o.show_ignored, "Also list the findings that rules ignore");
    cmd->add_flag("--suggest-rules", o.suggest_rules,
                  "Print [[rule]] entries that would silence the findings (run-specific parts such as mktemp "
                  "suffixes and port numbers as *, so they match the next run too)");
    cmd->add_flag("--no-redact", o.no_redact,
                  "Show secrets (passwords, tokens, keys in command lines) instead of ***, in every output");
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunOptions& o, RunFlags& f) {
    CLI::App* run = app.add_subcommand("run", "Audit one harness run: leakaudit run [OPTIONS] -- COMMAND [ARG...]");
    run->allow_extras();  // so a forgotten `--` gets its own message, not CLI11's
    run->add_option("--rules", o.rules, "Rules file or shipped pack name; repeatable, applied in order")
        ->type_name("FILE|PACK");
    run->add_option("--timeout", f.timeout,
                    "Kill the harness after DURATION (e.g. 5m): a harness finding listing what it held "
                    "(default: none; 10m when CI=true). A run prints a status line to stderr every 30s")
        ->type_name("DURATION");
    run->add_option("--grace", f.grace, "Wait up to DURATION for the run's processes to exit (default 2s)")
        ->type_name("DURATION");
    run->add_option("--exit-timeout", f.exit_timeout,
                    "After `stopped`, wait DURATION for the harness to exit (default 5s)")
        ->type_name("DURATION");
    run->add_option("--watch", o.watch, "Temp folder to watch; repeatable (default /tmp and /dev/shm)")
        ->type_name("DIR");
    run->add_flag("--node", f.node,
                  "Preload the Node kit (kits/node): handles and listeners with their creation site "
                  "(default when COMMAND is node, nodejs, npm, npx, pnpm or yarn)");
    run->add_flag("--no-node", f.no_node, "Do not preload the Node kit");
    run->add_option("--cycles", f.cycles,
                    "Ask the harness for N start/stop cycles (LEAKAUDIT_CYCLES=N) and judge growth over them")
        ->check(CLI::Range(1, 100000))
        ->type_name("N");
    run->add_option("--warmup", f.warmup, "Cycles not judged for growth (default 2)")
        ->check(CLI::Range(0, 1000))
        ->type_name("W");
    run->add_flag("--keep", o.keep, "Report leaked processes but do not reap them");
    run->add_flag("--clean-tmp", o.clean_tmp, "Delete the temp entries the run provably created (creator-pid)");
    add_output_options(run, o.output, f.fail_on);
    run->footer(
        "Examples:\n"
        "  leakaudit run -- node harness.mjs plugins/my-plugin.mjs\n"
        "  leakaudit run -- node --test test/\n"
        "  leakaudit run --node -- ./run-plugin-tests.sh\n"
        "  leakaudit run --rules node --json report.json --junit junit.xml -- npm test\n"
        "  leakaudit run --cycles 10 --warmup 2 -- node cycle-harness.mjs\n"
        "  leakaudit run --timeout 5m --grace 500ms --watch /var/tmp -- ./stop-plugin.sh");
    return run;
}

CLI::App* add_snapshot_command(CLI::App& app, SnapshotOptions& o) {
    CLI::App* cmd = app.add_subcommand(
        "snapshot", "Write the current state (processes, descriptors, sockets, temp entries) as JSON");
    cmd->add_option("-o,--output", o.output, "Write to FILE (default: stdout), created 0600; same rules as run --json")
        ->type_name("FILE");
    cmd->add_option("--pid", o.pids, "Scan descriptors of PID and its descendants only; repeatable")->type_name("PID");
    cmd->add_option("--watch", o.watch, "Temp folder to record; repeatable (default /tmp and /dev/shm)")
        ->type_name("DIR");
    cmd->add_flag("--no-redact", o.no_redact, "Keep secrets in command lines and paths instead of writing ***");
    cmd->footer("Examples:\n  leakaudit snapshot -o before.json\n  leakaudit snapshot --pid 4242 -o before.json");
    cmd->callback([&o] { check_watch_dirs(o.watch); });
    return cmd;
}

CLI::App* add_diff_command(CLI::App& app, DiffOptions& o, std::string& fail_on) {
    CLI::App* cmd =
        app.add_subcommand("diff", "Report what is new since BEFORE.json (in AFTER.json, or on the live system)");
    cmd->add_option("before", o.before, "The before snapshot")->required()->type_name("BEFORE.json");
    cmd->add_option("after", o.after, "The after snapshot (default: the live system now)")->type_name("AFTER.json");
    cmd->add_option("--pid", o.pids, "Only descendants of PID (a plugin host running in both); repeatable")
        ->type_name("PID");
    cmd->add_option("--user", o.user, "Only processes and entries of USER")->type_name("USER");
    cmd->add_option("--rules", o.rules, "Rules file or shipped pack name; repeatable")->type_name("FILE|PACK");
    cmd->add_option("--watch", o.watch, "Temp folders of the live AFTER (default: BEFORE's)")->type_name("DIR");
    cmd->add_flag("--reap", o.reap, "Terminate the processes the diff reported (needs --pid)");
    add_output_options(cmd, o.output, fail_on);
    cmd->footer(
        "Examples:\n  leakaudit snapshot -o before.json; (start and stop the plugin); leakaudit diff before.json\n"
        "  leakaudit diff --pid 4242 --reap before.json");
    cmd->callback([&o] { check_watch_dirs(o.watch); });
    return cmd;
}

CLI::App* add_rules_check_command(CLI::App& rules, RulesCheckOptions& o) {
    CLI::App* cmd = rules.add_subcommand(
        "check",
        "Validate rule files and print the merged rule set (no FILE: what `run` loads; with FILEs: "
        "the built-in defaults plus exactly those)");
    cmd->add_option("files", o.files, "Rules files or pack names")->type_name("FILE|PACK");
    cmd->footer("Examples:\n  leakaudit rules check\n  leakaudit rules check leakaudit.toml node chromium");
    return cmd;
}

CLI::App* add_attach_command(CLI::App& app, AttachOptions& o, AttachFlags& f) {
    CLI::App* cmd = app.add_subcommand(
        "attach", "Watch a running plugin host PID from now on; report when you press Enter (or Ctrl-C)");
    cmd->add_option("pid", f.pid, "The plugin host's pid")->required()->type_name("PID");
    cmd->add_option("--rules", o.rules, "Rules file or shipped pack name; repeatable")->type_name("FILE|PACK");
    cmd->add_option("--watch", o.watch, "Temp folder to watch; repeatable (default /tmp and /dev/shm)")
        ->type_name("DIR");
    cmd->add_option("--control", o.control,
                    "Make a FIFO at PATH (must not exist) where the host writes {\"event\":\"started\"} and "
                    "{\"event\":\"stopped\"} lines")
        ->type_name("PATH");
    cmd->add_flag("--until-exit", o.until_exit,
                  "Also report when PID exits, after --grace for what it left to exit on its own");
    cmd->add_option("--grace", f.grace, "With --until-exit: how long PID's leftovers may take to exit (default 2s)")
        ->type_name("DURATION");
    cmd->add_flag("--reap", o.reap,
                  "Terminate the leaked processes proven created below PID during the watch (never PID)");
    add_output_options(cmd, o.output, f.fail_on);
    cmd->footer(
        "Examples:\n"
        "  leakaudit attach 4242          (load and unload the plugin, then press Enter)\n"
        "  leakaudit attach --reap --json report.json 4242\n"
        "  leakaudit attach --control /tmp/la.fifo --until-exit 4242 </dev/null\n"
        "No Node kit: no handle or listener findings and no creation sites; for those, start the\n"
        "host under `leakaudit run -- node ...` instead.");
    return cmd;
}

void finish_attach_options(AttachOptions& o, const AttachFlags& f) {
    char* end = nullptr;
    errno = 0;
    long pid = std::strtol(f.pid.c_str(), &end, 10);
    if (f.pid.empty() || *end != '\0' || errno != 0 || pid < 1 || pid > 4194304)
        throw UsageError{"attach: `" + f.pid + "` is not a pid"};
    o.pid = static_cast<int>(pid);
    o.grace = duration_option("--grace", f.grace);
    finish_output_options(o.output, f.fail_on);
    check_watch_dirs(o.watch);
}

void finish_output_options(OutputOptions& o, const std::string& fail_on) {
    o.fail_on = severity_option("--fail-on", fail_on);
    int on_stdout = (o.json_path == "-") + (o.junit_path == "-") + (o.html_path == "-");
    if (on_stdout > 1) throw UsageError{"--json, --junit, --html: only one report can go to standard output (`-`)"};
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
    if (f.node && f.no_node) throw UsageError{"run: --node and --no-node contradict each other"};
    if (f.node || f.no_node) o.node = f.node;
    o.cycles = f.cycles;
    if (f.warmup >= 0) o.warmup = f.warmup;
    finish_output_options(o.output, f.fail_on);
    check_watch_dirs(o.watch);
}

std::string help_of(CLI::App& app, const std::vector<std::string>& args) {
    CLI::App* current = &app;
    for (const std::string& arg : args) {
        for (CLI::App* sub : current->get_subcommands([](CLI::App*) { return true; })) {
            if (sub->get_name() == arg) {
                current = sub;
                break;
            }
        }
    }
    return current->help();
}

}  // namespace leakaudit
