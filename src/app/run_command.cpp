// The run reads like README's "`run`, step by step": load rules → snapshot before →
// launch → wait (checkpoint at `stopped`; app/run_wait) → settle → snapshot after →
// attribute → evaluate → reap → clean tmp → report → exit code.
#include "app/run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "app/audit_report.hpp"
#include "app/node_kit_session.hpp"
#include "app/print_error.hpp"
#include "app/rule_sources.hpp"
#include "app/rules_command.hpp"
#include "app/run_cycles.hpp"
#include "app/run_evidence.hpp"
#include "app/run_state.hpp"
#include "app/run_status.hpp"
#include "app/run_wait.hpp"
#include "core/checkpoint_findings.hpp"
#include "core/control_intake.hpp"
#include "core/harness_findings.hpp"
#include "core/node_kit.hpp"
#include "core/node_kit_findings.hpp"
#include "core/peer_findings.hpp"
#include "core/process_findings.hpp"
#include "core/settings.hpp"
#include "core/tmp_evidence.hpp"
#include "core/tmp_sites.hpp"
#include "os/clean_tmp.hpp"
#include "os/clock.hpp"
#include "os/process_table.hpp"
#include "os/reaper.hpp"
#include "os/run_tree.hpp"
#include "os/supervisor.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

using namespace std::chrono_literals;
constexpr std::chrono::milliseconds k_kill_patience = 1s;
constexpr std::chrono::milliseconds k_freeze_patience = 2s;
constexpr std::chrono::milliseconds k_sweep_patience = 2s;

// The command line as the first settings layer; an empty --watch list is no list.
SettingsLayer command_line_layer(const RunOptions& o) {
    SettingsLayer layer{o.grace, o.timeout, o.exit_timeout, std::nullopt, o.output.fail_on};
    if (!o.watch.empty()) layer.watch = o.watch;
    layer.warmup = o.warmup;
    return layer;
}

class RunAudit {
public:
    RunAudit(const RunOptions& options, RuleSet rules)
        : m_options(options),
          m_rules(std::move(rules)),
          m_settings(resolve_settings(command_line_layer(options), m_rules.settings())),
          m_timeout(run_timeout(options.timeout, m_rules.settings())) {}

    ExitCode execute() {
        if (!m_supervisor.ready()) return fail(m_supervisor.ready().error().message);
        m_evidence.start(getpid(), m_settings.watch);
        if (!take_before()) return ExitCode::internal;
        start_node_kit();
        if (launch()) {
            m_wait.wait();
            settle();
        }
        m_kit.collect();  // and remove its folder before the after snapshot
        bool after_ok = take_after();
        m_evidence.stop();
        if (!after_ok) return ExitCode::internal;
        attribute_and_evaluate();
        reap();
        m_freezer.thaw();  // what is left (ignored by a rule, or --keep) runs on
        clean_tmp();
        // After reaping (every leaked process is reaped), the findings are capped.
        return finish_report(m_report, m_options.output, m_rules.settings().redact_patterns);
    }

private:
    ExitCode fail(const std::string& message) {
        print_error(message);
        return ExitCode::internal;
    }

    bool take_before() {
        begin_report(m_report, m_settings.fail_on);
        m_report.command = m_options.command;
        m_report.harness.timeout = m_timeout;
        m_state.plan(m_evidence, m_settings.watch);  // event-driven or full walks (app/run_state)
        return said(m_state.take_before(m_before));
    }

    // False (said) when the process table is unreadable.
    bool said(const Result<void>& done) {
        if (!done) fail(done.error().message);
        return done.has_value();
    }

    // The Node kit (--node, or a node/npm/npx/… command): its folder and environment.
    void start_node_kit() {
        m_report.node_kit.requested = node_kit_wanted(m_options.command, m_options.node);
        if (!m_report.node_kit.requested) return;
        Result<void> started = m_kit.start(m_report.run_id, m_settings.watch);
        if (!started) m_report.warnings.push_back("--node: " + started.error().message);
    }

    bool launch() {
        auto out = m_options.output.report_on_stdout() ? os::HarnessStdout::to_stderr : os::HarnessStdout::inherit;
        os::Clock::time_point launched = os::Clock::now();
        Result<void, os::LaunchError> started = m_supervisor.launch(
            m_options.command, m_report.run_id, out, with_cycles_env(m_kit.environment(), m_options.cycles));
        if (!started) {
            m_report.harness.start_error = started.error().message;
            m_report.harness.start_failure = started.error().fault;
            return false;
        }
        m_report.harness.started = true;
        m_report.harness.pid = m_supervisor.harness_pid();
        m_harness_id =
            ProcessId{m_supervisor.harness_pid(), os::read_start_ticks(m_supervisor.harness_pid()).value_or(0)};
        m_wait.begin(m_options.command, m_harness_id, launched, m_report.started_at_ms, m_timeout.value,
                     m_settings.exit_timeout);
        return true;
    }

    void settle() {
        bool emptied = m_supervisor.settle(os::Clock::now() + m_settings.grace);
        m_report.harness.interrupted = m_supervisor.interrupts() > 0;
        if (!emptied) freeze_leftovers();
    }

    // Leftovers are stopped before the after-snapshot, so a process that keeps forking a
    // successor and exiting (a new pid every millisecond) is caught under one pid.
    void freeze_leftovers() {
        os::FreezeResult r = m_freezer.freeze(os::Clock::now() + k_freeze_patience);
        std::string how = "leakaudit's subreaper tree, SIGSTOP; no cgroup";
        if (!r.complete) {
            m_report.warnings.push_back("processes of the run kept forking: not all could be stopped (" + how +
                                        ") within 2s; the report may miss some, reaping repeats until none is left");
        } else if (r.passes > 2) {
            m_report.warnings.push_back("processes of the run forked while being stopped (" + how + ", " +
                                        std::to_string(r.passes) + " passes): a pid that hops is reported once");
        }
    }

    bool take_after() { return said(m_state.take_after(m_after, m_before, m_evidence)); }

    RunRoots roots() const {
        RunRoots r;
        r.self = ProcessId{getpid(), os::read_start_ticks(getpid()).value_or(0)};
        if (m_report.harness.started) r.harness = m_harness_id;
        r.run_id = m_report.run_id;
        return r;
    }

    // Processes outside the tree are the run's only if they carry its id; environ is read
    // just for those new ones, not for the whole table.
    void read_run_ids(const RunRoots& r) {
        std::vector<int> candidates = outside_tree_candidates(m_before, m_after, r);
        std::set<int> wanted(candidates.begin(), candidates.end());
        for (Process& p : m_after.processes) {
            if (wanted.count(p.id.pid)) p.run_id = os::read_environ_value(p.id.pid, "LEAKAUDIT_RUN_ID");
        }
    }

    void attribute_and_evaluate() {
        RunRoots r = roots();
        read_run_ids(r);
        std::vector<RunProcess> run = attribute_processes(m_before, m_after, r);
        if (!run.empty()) {  // a clean run has nothing to join sockets to
            std::set<int> pids = pids_of(run);
            os::add_descriptors(m_after, pids);
            os::add_sockets(m_after, pids);
        }
        m_tmp_evidence = tmp_evidence(m_evidence.record(), run, m_after);
        TmpEvidence& evidence = m_tmp_evidence;
        evidence.window_start_ms = m_report.started_at_ms;
        evidence.window_end_ms = m_after.taken_at_ms;
        evidence.harness_uid = getuid();
        m_state.complete_tmp(m_before, m_after, m_evidence, run, evidence.held_by_run);
        m_report.audit = m_state.audit();

        const WaitRecord& waited = m_wait.record();
        std::vector<Finding> findings =
            harness_findings(m_report.harness, m_options.command, waited.held, waited.kept_alive);
        auto add = [&findings](std::vector<Finding>&& more) {
            for (Finding& f : more)
                findings.push_back(std::move(f));
        };
        AuditPoint point = m_report.harness.sent_stopped ? AuditPoint::at_stopped : AuditPoint::after_exit;
        add(process_findings(run, m_after, r, point, m_evidence.record().forks.forked_by));
        add(std::vector<Finding>(waited.warnings));
        if (waited.last_checkpoint) add(checkpoint_findings(*waited.last_checkpoint));
        add(m_cycles.finish(m_settings, m_options.cycles, m_report));
        add(node_kit_findings());
        m_control.set_skipped_lines(m_supervisor.control_lines_skipped());
        add(m_control.findings());
        add(without_kit_folder(tmp_findings(m_before, m_after, evidence)));
        add_made_at(findings);  // where the plugin made them (the Node kit's records)
        fold_peer_findings(findings);  // a child's stdio pair is part of the child's finding
        m_rules.apply(findings);
        // and so is the hang it causes, when nothing else explains it
        fold_hang_into_leaks(findings, m_report.harness, m_options.command);
        m_report.findings = std::move(findings);
        // The watchers' warnings first; those said earlier (--node, the freeze, the kit's
        // files) stay.
        m_report.warnings.insert(m_report.warnings.begin(), m_evidence.warnings().begin(), m_evidence.warnings().end());
        for (std::string& w : capped_notes(std::move(m_after.warnings)))
            m_report.warnings.push_back(std::move(w));
        m_cycles.add_warnings(m_report.warnings);
    }

    // The kit's reports; when the kit reported for the harness itself, its handles replace
    // what the harness listed on the control channel (the same resources, without sites).
    std::vector<Finding> node_kit_findings() {
        if (!m_report.node_kit.requested) return {};
        std::vector<KitProcess> processes = m_kit.processes(
            m_harness_id, m_report.started_at_ms, &m_evidence.record().forks, m_report.node_kit, m_report.warnings);
        if (std::any_of(processes.begin(), processes.end(), [](const KitProcess& p) { return p.is_harness; }))
            m_control.drop_handles();
        return kit_findings(processes);
    }

    // Where each temp finding was made: the kit's creation records (core/tmp_sites.hpp).
    void add_made_at(std::vector<Finding>& findings) const {
        if (!m_report.node_kit.requested) return;
        const WatchRecord& record = m_evidence.record();
        TmpSiteInput input;
        m_kit.add_creations(input, m_harness_id, m_report.started_at_ms, &record.forks);
        if (input.made.empty() && input.children.empty()) return;
        input.creators = latest_creators(record.created);
        input.forks = &record.forks;
        input.after = &m_after;
        input.boot_ms = os::ticks_to_unix_ms(0);
        input.ticks_per_second = sysconf(_SC_CLK_TCK);
        add_tmp_sites(findings, input);
    }

    // The kit's folder is leakaudit's, not the plugin's, wherever it had to be made.
    std::vector<Finding> without_kit_folder(std::vector<Finding> findings) const {
        const std::string& folder = m_kit.folder();
        if (folder.empty()) return findings;
        std::erase_if(findings, [&](const Finding& f) {
            return f.tmp && (f.tmp->path == folder || f.tmp->path.starts_with(folder + "/"));
        });
        return findings;
    }

    void reap() {
        if (m_options.keep) return;
        std::vector<ReapTarget> targets = reap_targets(m_report.findings);
        if (!targets.empty())
            m_report.reaped = os::reap_processes(targets, k_kill_patience, [this] { m_supervisor.reap_children(); });
        sweep();
    }

    // Reaping repeats until no process of the run is left in leakaudit's tree but the ones
    // a rule ignores: whatever was born after the after-snapshot (a successor forked by a
    // hopper, a child a SIGTERM handler started) is the run's too.
    void sweep() {
        std::vector<int> keep;
        for (const Finding& f : m_report.findings) {
            if (f.kind == Kind::process && f.severity == Severity::ignore) keep.push_back(f.process->id.pid);
        }
        for (auto& [pid, name] : m_freezer.kill_all_but(keep, os::Clock::now() + k_sweep_patience))
            m_report.reaped.push_back(ReapedProcess{pid, name, true, true});
        m_supervisor.reap_children();
    }

    // Only what the run provably created, still the same object, and that no rule
    // ignores, is deleted (core/tmp_evidence.hpp decides; os/clean_tmp.hpp re-checks).
    void clean_tmp() {
        if (!m_options.clean_tmp) return;
        for (const Finding& f : m_report.findings) {
            if (f.kind != Kind::tmp) continue;
            CleanVerdict verdict = clean_verdict(f, m_tmp_evidence);
            std::optional<os::RemovalTarget> target = removal_target(*f.tmp);
            Result<void> removed = verdict != CleanVerdict::remove ? unexpected(to_string(verdict))
                                   : !target                       ? unexpected("it is not under a watched folder")
                                                                   : os::remove_entry(*target);
            if (removed)
                m_report.cleaned.push_back(f.tmp->path);
            else if (verdict != CleanVerdict::ignored)
                m_report.warnings.push_back("--clean-tmp: not removing " + f.tmp->path + ": " +
                                            removed.error().message);
        }
    }

    std::optional<os::RemovalTarget> removal_target(const TmpEntry& e) const {
        for (const std::string& root : m_after.watched) {
            if (e.path.size() > root.size() + 1 && e.path.starts_with(root) && e.path[root.size()] == '/')
                return os::RemovalTarget{root, e.path.substr(root.size() + 1), e.dev, e.inode};
        }
        return std::nullopt;
    }

    const RunOptions& m_options;
    RuleSet m_rules;
    Settings m_settings;
    TimeoutChoice m_timeout;
    os::Supervisor m_supervisor;
    RunEvidence m_evidence;
    RunState m_state;
    os::TreeFreezer m_freezer{getpid()};
    Report m_report;
    Snapshot m_before;
    Snapshot m_after;
    TmpEvidence m_tmp_evidence;
    ProcessId m_harness_id;
    RunCycles m_cycles;
    NodeKitSession m_kit;
    ControlIntake m_control;
    HarnessWait m_wait{{m_supervisor, m_evidence, m_kit, m_cycles, m_control, m_report.harness}};
};

}  // namespace

ExitCode run_audit(const RunOptions& options) {
    std::optional<RuleSet> rules = load_command_rules(options.rules);
    if (!rules) return ExitCode::usage;
    return RunAudit(options, std::move(*rules)).execute();
}

}  // namespace leakaudit
