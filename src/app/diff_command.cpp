// `leakaudit diff`: what is new since BEFORE, in AFTER or the live system now.
#include "app/diff_command.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "app/live_snapshot.hpp"
#include "app/print_error.hpp"
#include "app/report_output.hpp"
#include "app/rule_sources.hpp"
#include "app/rules_command.hpp"
#include "app/snapshot_file.hpp"
#include "app/version.hpp"
#include "core/diff.hpp"
#include "core/diff_compact.hpp"
#include "core/duration.hpp"
#include "core/live_ancestry.hpp"
#include "core/redact_report.hpp"
#include "core/snapshot_json.hpp"
#include "os/reaper.hpp"
#include "os/run_tree.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

ExitCode usage_error(const Error& error) {
    print_error(error);
    return ExitCode::usage;
}

std::optional<std::uint32_t> resolve_user(const std::string& user) {
    if (user.empty()) return std::nullopt;
    if (passwd* pw = getpwnam(user.c_str())) return pw->pw_uid;
    char* end = nullptr;
    unsigned long uid = std::strtoul(user.c_str(), &end, 10);
    if (end && *end == '\0' && !user.empty()) return static_cast<std::uint32_t>(uid);
    throw std::invalid_argument(user);
}

// The --pid hosts as BEFORE saw them: a host restarted since is not the same host.
std::vector<ProcessId> host_ids(const Snapshot& before, const std::vector<int>& pids) {
    std::vector<ProcessId> ids;
    for (const Process& p : before.processes) {
        if (std::find(pids.begin(), pids.end(), p.id.pid) != pids.end()) ids.push_back(p.id);
    }
    return ids;
}

// The snapshot files say which processes are new below a host; the live machine must
// agree before anything is signalled: the same process (pid + start time) now, whose
// live ancestry reaches a host with the host's start time.
void reap_live_descendants(Report& report, const std::vector<ProcessId>& hosts) {
    std::vector<ReapTarget> targets;
    for (const ReapTarget& target : reap_targets(report.findings)) {
        if (live_descendant_of(os::read_live_ancestry(target.id.pid), target.id, hosts))
            targets.push_back(target);
        else
            report.warnings.push_back("--reap: not signalling pid " + std::to_string(target.id.pid) +
                                      ": it is not, live, that process below a --pid host");
    }
    report.reaped = os::reap_processes(targets, std::chrono::seconds(1), [] {});
}

}  // namespace

ExitCode diff_command(const DiffOptions& options) {
    if (options.reap && options.pids.empty()) {
        // Without a host, "new since BEFORE" includes anything anyone started meanwhile.
        print_error("--reap needs --pid: without a plugin host nothing in a diff is provably the plugin's");
        return ExitCode::usage;
    }
    std::optional<RuleSet> rules = load_command_rules(options.rules);
    if (!rules) return ExitCode::usage;
    DiffScope scope{options.pids, std::nullopt, getpid(), {}};
    for (const std::string& file : {options.before, options.after}) {
        std::error_code ec;
        if (!file.empty()) scope.own_paths.push_back(std::filesystem::absolute(file, ec).lexically_normal().string());
    }
    try {
        scope.uid = resolve_user(options.user);
    } catch (const std::invalid_argument&) {
        print_error("--user: no such user `" + options.user + "`");
        return ExitCode::usage;
    }
    SnapshotFile before_file(options.before);
    CompactBefore compact_before(scope);
    Result<SnapshotRead> before = before_file.read(&compact_before);
    if (!before) return usage_error(before.error());
    std::optional<SnapshotFile> after_file;
    std::optional<CompactAfter> compact_after;
    std::optional<Snapshot> after;
    std::string after_boot = os::boot_id();
    bool after_redacted = false;
    if (options.after.empty()) {
        Result<Snapshot> live =
            live_snapshot(options.watch.empty() ? before->snapshot.watched : options.watch, options.pids);
        if (!live) {
            print_error(live.error());
            return ExitCode::internal;
        }
        after = std::move(*live);
    } else {
        after_file.emplace(options.after);
        compact_after.emplace(compact_before, scope);
        Result<SnapshotRead> read = after_file->read(&*compact_after);
        if (!read) return usage_error(read.error());
        after = std::move(read->snapshot);  // its time and folders; the lists come from compact_after
        after_boot = read->meta.boot_id;
        after_redacted = read->meta.redacted;
    }
    if (before->meta.boot_id != after_boot) {
        print_error(options.before + " was taken in another boot: process start times cannot be compared");
        return ExitCode::usage;
    }
    // A redacted snapshot says `***` where the live system (or an unredacted file) has
    // the secret: compare like with like. Ids fold secrets, so they do not change. With
    // --no-redact the user asked for the real values: they are kept, at the price of a
    // path holding a secret looking new.
    bool redact = before->meta.redacted != after_redacted && !options.output.no_redact;
    DiffResult diff;
    if (!redact && (!compact_after || compact_after->exact())) {
        if (compact_after) after = compact_after->take(std::move(*after));
        before->snapshot = compact_before.take(std::move(before->snapshot));
        diff = diff_findings(before->snapshot, compact_before.tmp_keys(), *after, scope);
    } else {
        // Redaction rewrites what the compact model keeps as keys, and a few documents
        // cannot be decided while streaming (core/diff_compact.hpp): read both whole.
        before = before_file.read(nullptr);
        if (!before) return usage_error(before.error());
        if (after_file) {
            Result<SnapshotRead> read = after_file->read(nullptr);
            if (!read) return usage_error(read.error());
            after = std::move(read->snapshot);
        }
        if (redact) {
            redact_snapshot(before->snapshot, Redactor());
            redact_snapshot(*after, Redactor());
        }
        diff = diff_findings(before->snapshot, *after, scope);
    }
    Report report;
    report.mode = ReportMode::diff;
    report.version = LEAKAUDIT_VERSION;
    report.command = {"diff", options.before, options.after.empty() ? "(live)" : options.after};
    report.started_at_ms = before->snapshot.taken_at_ms;
    report.duration_ms = elapsed_ms(after->taken_at_ms, before->snapshot.taken_at_ms);
    report.harness.started = true;
    report.fail_on = options.output.fail_on.value_or(rules->settings().fail_on.value_or(Severity::error));
    rules->apply(diff.findings);
    report.findings = std::move(diff.findings);
    report.warnings = std::move(diff.warnings);
    if (options.reap) reap_live_descendants(report, host_ids(before->snapshot, options.pids));
    cap_findings_per_kind(report);
    report.exit_code = decide_exit_code(report);
    return emit_report(report, options.output, rules->settings().redact_patterns);
}

}  // namespace leakaudit
