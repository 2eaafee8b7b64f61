// The run reads like README's "`run`, step by step": load rules → snapshot before →
// launch → wait (checkpoint at `stopped`) → settle → snapshot after → attribute →
// evaluate → reap → clean tmp → report → exit code.
#include "app/run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "app/node_kit_session.hpp"
#include "app/print_error.hpp"
#include "app/report_output.hpp"
#include "app/rule_sources.hpp"
#include "app/rules_command.hpp"
#include "app/run_cycles.hpp"
#include "app/run_evidence.hpp"
#include "app/run_state.hpp"
#include "app/run_status.hpp"
#include "app/version.hpp"
#include "core/checkpoint_findings.hpp"
#include "core/control_intake.hpp"
#include "core/harness_findings.hpp"
#include "core/node_kit.hpp"
#include "core/node_kit_findings.hpp"
#include "core/peer_findings.hpp"
#include "core/process_findings.hpp"
#include "core/settings.hpp"
#include "core/tmp_evidence.hpp"
#include "os/atomic_write.hpp"
#include "os/clean_tmp.hpp"
#include "os/clock.hpp"
#include "os/live_run.hpp"
#include "os/process_table.hpp"
#include "os/random.hpp"
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

os::Deadline deadline_after(std::optional<std::chrono::milliseconds> d) {
    if (!d) return std::nullopt;
    return os::Clock::now() + *d;
}

std::set<int> pids_of(const std::vector<RunProcess>& run) {
    std::set<int> pids;
    for (const RunProcess& rp : run)
        pids.insert(rp.process->id.pid);
    return pids;
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
        m_supervisor.on_first_interrupt([this](int signal) { record_interrupt(signal); });
        if (launch()) {
            wait_for_harness();
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
        cap_findings_per_kind(m_report);  // after reaping: every leaked process is reaped
        m_report.duration_ms = os::now_unix_ms() - m_report.started_at_ms;
        m_report.exit_code = decide_exit_code(m_report);
        return emit_report(m_report, m_options.output, m_rules.settings().redact_patterns);
    }

private:
    ExitCode fail(const std::string& message) {
        print_error(message);
        return ExitCode::internal;
    }

    bool take_before() {
        m_report.version = LEAKAUDIT_VERSION;
        m_report.revision = LEAKAUDIT_GIT_REVISION;
        m_report.command = m_options.command;
        m_report.run_id = os::random_hex(8);
        m_report.fail_on = m_settings.fail_on;
        m_report.harness.timeout = m_timeout;
        m_report.started_at_ms = os::now_unix_ms();
        m_state.plan(m_evidence, m_settings.watch);  // event-driven or full walks (app/run_state)
        return said(m_state.take_before(m_before));
    }

    // False (said) when the process table is unreadable.
    bool said(const std::string& error) {
        if (!error.empty()) fail(error);
        return error.empty();
    }

    // The Node kit (--node, or a node/npm/npx/… command): its folder and environment.
    void start_node_kit() {
        m_report.node_kit.requested = node_kit_wanted(m_options.command, m_options.node);
        if (!m_report.node_kit.requested) return;
        Result<void> started = m_kit.start(m_report.run_id);
        if (!started) m_report.warnings.push_back("--node: " + started.error().message);
    }

    bool launch() {
        auto out = m_options.output.report_on_stdout() ? os::HarnessStdout::to_stderr : os::HarnessStdout::inherit;
        m_started = os::Clock::now();
        if (auto error = m_supervisor.launch(m_options.command, m_report.run_id, out,
                                             with_cycles_env(m_kit.environment(), m_options.cycles))) {
            m_report.harness.start_error = error->message;
            m_report.harness.start_failure = error->fault;
            return false;
        }
        m_report.harness.started = true;
        m_report.harness.pid = m_supervisor.harness_pid();
        m_status.start(m_options.command, m_supervisor.harness_pid(), deadline_after(m_timeout.value));
        if (m_kit.active()) m_status.use_kit(m_kit.folder(), m_kit.token());
        m_harness_id =
            ProcessId{m_supervisor.harness_pid(), os::read_start_ticks(m_supervisor.harness_pid()).value_or(0)};
        return true;
    }

    void on_control_event(const ControlEvent& event) {
        switch (event.type) {
            case ControlEvent::Type::started:  // the first is the baseline (README "Cycles and growth")
                if (!m_saw_started) m_fds_at_started = os::descriptors_of(m_supervisor.harness_pid());
                m_cycles.on_started(harness_view(), m_evidence);
                m_saw_started = true;
                m_in_cycle = true;
                m_supervisor.acknowledge("started");
                break;
            case ControlEvent::Type::stopped:  // audited at once, even in a burst of events
                m_report.harness.sent_stopped = true;
                m_in_cycle = false;
                checkpoint();
                m_supervisor.acknowledge("stopped");
                break;
            case ControlEvent::Type::metrics:
                m_cycles.on_metrics(event.metrics);
                break;
            case ControlEvent::Type::handles:
                m_status.count_handles(static_cast<int>(event.handles.size()));
                [[fallthrough]];
            case ControlEvent::Type::invalid:
                m_control.add(event);
                break;
        }
    }

    HarnessView harness_view() const {
        return {m_supervisor.harness_pid(),
                {m_supervisor.control_fd_number(), m_supervisor.ack_fd_number()},
                m_kit.folder()};
    }

    // At `stopped` the harness is alive and its plugin is done: what it holds now and did
    // not hold at the first `started` is the plugin's leak. A cycling harness is judged at
    // its last `stopped` against its first `started`: one finding per resource.
    void checkpoint() {
        if (!m_saw_started) {
            if (m_warned_no_started) return;
            m_warned_no_started = true;
            m_extra_findings.push_back(harness_warning(
                "the harness said stopped without started: its sockets and descriptors were not audited",
                "send {\"event\":\"started\"} before starting the plugin"));
            return;
        }
        CheckpointInput in;
        in.at_started = m_fds_at_started;
        in.at_stopped = os::descriptors_of(m_supervisor.harness_pid());
        in.owner_pid = m_supervisor.harness_pid();
        in.control_fd = m_supervisor.control_fd_number();
        Snapshot sockets;
        os::add_sockets(sockets);
        in.sockets = sockets.sockets;
        m_cycles.on_stopped(harness_view(), in.at_stopped, in.sockets, m_evidence);
        m_last_checkpoint = std::move(in);
    }

    // The harness hangs: before it is killed, the Node kit says what keeps it alive, and
    // its sockets and children are read.
    void record_hang() {
        m_kept_alive = m_kit.dump_and_describe(m_harness_id, m_report.started_at_ms);
        record_what_harness_holds();
        for (const std::string& child : os::describe_children(m_supervisor.harness_pid()))
            m_harness_held.push_back(held_child(child));
    }

    // Interrupted (Ctrl-C, SIGTERM, SIGHUP) while the harness runs: what it holds now is
    // read before the signal is passed on, as at a timeout.
    void record_interrupt(int /*signal*/) {
        m_status.finish();
        if (m_harness_held.empty() && m_kept_alive.empty()) record_hang();
    }

    // What keeps a harness alive after `stopped`, read just before it is killed: its
    // sockets and files, and the pipes and socket pairs that tie it to its children.
    void record_what_harness_holds() {
        os::LiveRun live = os::read_live_run(getpid());
        Snapshot snapshot;
        snapshot.sockets = std::move(live.sockets);
        Process harness;
        harness.id = m_harness_id;
        harness.fds = os::descriptors_of(m_supervisor.harness_pid());
        const std::string& kit_folder = m_kit.folder();
        // What leakaudit holds too (its stdio, a CI runner's pipes) the harness inherited.
        std::set<std::pair<std::uint64_t, std::string>> inherited;
        for (const Descriptor& d : os::descriptors_of(getpid()))
            inherited.emplace(d.inode, d.target);
        std::erase_if(harness.fds, [&](const Descriptor& d) {
            return d.fd == m_supervisor.control_fd_number() || d.fd == m_supervisor.ack_fd_number() ||
                   inherited.count({d.inode, d.target}) ||
                   (!kit_folder.empty() && d.target.starts_with(kit_folder + "/"));  // the kit's own file
        });
        m_harness_held = harness_held_resources(harness, live.processes, snapshot);
    }

    void wait_for_harness() {
        auto on_event = [this](const ControlEvent& e) { on_control_event(e); };
        os::Deadline timeout = deadline_after(m_timeout.value);
        os::WaitEnd end = m_status.wait(m_supervisor, timeout, true, on_event);
        bool waiting_for_exit = false;
        // After `stopped` the harness exits within --exit-timeout, or starts its next cycle.
        while (end == os::WaitEnd::stopped || end == os::WaitEnd::started) {
            waiting_for_exit = !m_in_cycle;
            os::Deadline deadline = timeout;
            if (waiting_for_exit) {
                deadline = os::Clock::now() + m_settings.exit_timeout;
                if (timeout && *timeout < *deadline) deadline = timeout;
            }
            end = m_status.wait(m_supervisor, deadline, true, on_event, waiting_for_exit);
        }
        if (end == os::WaitEnd::timed_out && waiting_for_exit) {
            m_report.harness.exit_timed_out = true;
            record_hang();
        } else if (end == os::WaitEnd::timed_out) {
            m_report.harness.timed_out = true;
            record_hang();
        }
        m_status.finish();
        if (end == os::WaitEnd::timed_out) m_supervisor.kill_harness(k_kill_patience);
        m_report.harness.duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(os::Clock::now() - m_started).count();
        m_report.harness.exit_code = m_supervisor.exit_code();
        m_report.harness.signal = m_supervisor.exit_signal();
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
        m_tmp_evidence = m_evidence.tmp_evidence(run, m_after);
        TmpEvidence& evidence = m_tmp_evidence;
        evidence.window_start_ms = m_report.started_at_ms;
        evidence.window_end_ms = m_after.taken_at_ms;
        evidence.harness_uid = getuid();
        m_state.complete_tmp(m_before, m_after, m_evidence, run, evidence.held_by_run);
        m_report.audit = m_state.audit();

        std::vector<Finding> findings =
            harness_findings(m_report.harness, m_options.command, m_harness_held, m_kept_alive);
        auto add = [&findings](std::vector<Finding>&& more) {
            for (Finding& f : more)
                findings.push_back(std::move(f));
        };
        AuditPoint point = m_report.harness.sent_stopped ? AuditPoint::at_stopped : AuditPoint::after_exit;
        add(process_findings(run, m_after, r, point, m_evidence.forks().forked_by));
        add(std::move(m_extra_findings));
        if (m_last_checkpoint) add(checkpoint_findings(*m_last_checkpoint));
        add(m_cycles.finish(m_settings, m_options.cycles, m_report));
        add(node_kit_findings());
        m_control.set_skipped_lines(m_supervisor.control_lines_skipped());
        add(m_control.findings());
        add(without_kit_folder(tmp_findings(m_before, m_after, evidence)));
        fold_peer_findings(findings);  // a child's stdio pair is part of the child's finding
        // and so is the hang it causes, when nothing else explains it
        fold_hang_into_children(findings, m_report.harness);
        m_rules.apply(findings);
        m_report.findings = std::move(findings);
        // The watchers' warnings first; those said earlier (--node, the freeze, the kit's
        // files) stay.
        m_report.warnings.insert(m_report.warnings.begin(), m_evidence.warnings().begin(),
                                 m_evidence.warnings().end());
        for (std::string& w : capped_notes(std::move(m_after.warnings)))
            m_report.warnings.push_back(std::move(w));
        m_cycles.add_warnings(m_report.warnings);
    }

    // The kit's reports; when the kit reported for the harness itself, its handles replace
    // what the harness listed on the control channel (the same resources, without sites).
    std::vector<Finding> node_kit_findings() {
        if (!m_report.node_kit.requested) return {};
        std::vector<KitProcess> processes = m_kit.processes(m_harness_id, m_report.started_at_ms, &m_evidence.forks(),
                                                            m_report.node_kit, m_report.warnings);
        if (std::any_of(processes.begin(), processes.end(), [](const KitProcess& p) { return p.is_harness; }))
            m_control.drop_handles();
        return kit_findings(processes);
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
    RunStatus m_status;
    RunEvidence m_evidence;
    RunState m_state;
    os::TreeFreezer m_freezer{getpid()};
    Report m_report;
    Snapshot m_before;
    Snapshot m_after;
    TmpEvidence m_tmp_evidence;
    ProcessId m_harness_id;
    os::Clock::time_point m_started;
    bool m_saw_started = false;
    bool m_in_cycle = false;  // between a `started` and its `stopped`
    bool m_warned_no_started = false;
    std::optional<CheckpointInput> m_last_checkpoint;
    RunCycles m_cycles;
    std::vector<Descriptor> m_fds_at_started;
    std::vector<HeldResource> m_harness_held;
    NodeKitSession m_kit;
    std::vector<std::string> m_kept_alive;
    ControlIntake m_control;
    std::vector<Finding> m_extra_findings;
};

}  // namespace

ExitCode run_audit(const RunOptions& options) {
    std::optional<RuleSet> rules = load_command_rules(options.rules);
    if (!rules) return ExitCode::usage;
    return RunAudit(options, std::move(*rules)).execute();
}

}  // namespace leakaudit
