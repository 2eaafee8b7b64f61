// `leakaudit diff`: what is new since BEFORE, in AFTER or the live system now.
#include "app/diff_command.hpp"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/live_snapshot.hpp"
#include "app/print_error.hpp"
#include "app/report_output.hpp"
#include "app/rule_sources.hpp"
#include "app/rules_command.hpp"
#include "app/version.hpp"
#include "core/diff.hpp"
#include "core/redact_report.hpp"
#include "core/snapshot_json.hpp"
#include "os/reaper.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

constexpr int k_usage = 2;
constexpr int k_broken = 4;

std::optional<SnapshotReadResult> read_snapshot_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        print_error("cannot read snapshot " + path);
        return std::nullopt;
    }
    SnapshotReadResult r = read_snapshot_json(in);
    if (!r.ok()) {
        print_error(path + ":" + r.error);
        return std::nullopt;
    }
    return r;
}

std::optional<std::uint32_t> resolve_user(const std::string& user) {
    if (user.empty()) return std::nullopt;
    if (passwd* pw = getpwnam(user.c_str())) return pw->pw_uid;
    char* end = nullptr;
    unsigned long uid = std::strtoul(user.c_str(), &end, 10);
    if (end && *end == '\0' && !user.empty()) return static_cast<std::uint32_t>(uid);
    throw std::invalid_argument(user);
}

}  // namespace

int diff_command(const DiffOptions& options) {
    if (options.reap && options.pids.empty()) {
        // Without a host, "new since BEFORE" includes anything anyone started meanwhile.
        print_error("--reap needs --pid: without a plugin host nothing in a diff is provably the plugin's");
        return k_usage;
    }
    std::optional<RuleSet> rules = load_command_rules(options.rules);
    if (!rules) return k_exit_invalid_rules;
    DiffScope scope{options.pids, std::nullopt, getpid(), {}};
    for (const std::string& file : {options.before, options.after}) {
        std::error_code ec;
        if (!file.empty()) scope.own_paths.push_back(std::filesystem::absolute(file, ec).lexically_normal().string());
    }
    try {
        scope.uid = resolve_user(options.user);
    } catch (const std::invalid_argument&) {
        print_error("--user: no such user `" + options.user + "`");
        return k_usage;
    }
    std::optional<SnapshotReadResult> before = read_snapshot_file(options.before);
    if (!before) return k_usage;
    std::optional<Snapshot> after;
    std::string after_boot = os::boot_id();
    bool after_redacted = false;
    if (options.after.empty()) {
        after = live_snapshot(options.watch.empty() ? before->snapshot.watched : options.watch, options.pids);
        if (!after) return k_broken;
    } else {
        std::optional<SnapshotReadResult> read = read_snapshot_file(options.after);
        if (!read) return k_usage;
        after = std::move(read->snapshot);
        after_boot = read->meta.boot_id;
        after_redacted = read->meta.redacted;
    }
    if (before->meta.boot_id != after_boot) {
        print_error(options.before + " was taken in another boot: process start times cannot be compared");
        return k_usage;
    }
    // A redacted snapshot says `***` where the live system (or an unredacted file) has
    // the secret: compare like with like. Ids fold secrets, so they do not change. With
    // --no-redact the user asked for the real values: they are kept, at the price of a
    // path holding a secret looking new.
    if (before->meta.redacted != after_redacted && !options.output.no_redact) {
        redact_snapshot(before->snapshot, Redactor());
        redact_snapshot(*after, Redactor());
    }
    DiffResult diff = diff_findings(before->snapshot, *after, scope);
    Report report;
    report.mode = ReportMode::diff;
    report.version = LEAKAUDIT_VERSION;
    report.command = {"diff", options.before, options.after.empty() ? "(live)" : options.after};
    report.started_at_ms = before->snapshot.taken_at_ms;
    report.duration_ms = after->taken_at_ms - before->snapshot.taken_at_ms;
    report.harness.started = true;
    report.fail_on = options.output.fail_on.value_or(rules->settings().fail_on.value_or(Severity::error));
    rules->apply(diff.findings);
    report.findings = std::move(diff.findings);
    report.warnings = std::move(diff.warnings);
    if (options.reap) {
        report.reaped = os::reap_processes(reap_targets(report.findings), std::chrono::seconds(1), [] {});
    }
    report.exit_code = decide_exit_code(report);
    return emit_report(report, options.output, rules->settings().redact_patterns);
}

}  // namespace leakaudit
