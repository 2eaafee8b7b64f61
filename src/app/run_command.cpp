// The run reads like README's "`run`, step by step": load rules → snapshot before →
// launch → wait (checkpoint at `stopped`) → settle → snapshot after → attribute →
// evaluate → reap → clean tmp → report → exit code.
#include "app/run_command.hpp"

#include <unistd.h>

#include <iostream>
#include <set>

#include "app/print_error.hpp"
#include "app/report_output.hpp"
#include "app/rule_sources.hpp"
#include "app/rules_command.hpp"
#include "app/run_evidence.hpp"
#include "app/version.hpp"
#include "core/checkpoint_findings.hpp"
#include "core/harness_findings.hpp"
#include "core/process_findings.hpp"
#include "core/settings.hpp"
#include "os/atomic_write.hpp"
#include "os/clean_tmp.hpp"
#include "os/clock.hpp"
#include "os/process_table.hpp"
#include "os/random.hpp"
#include "os/reaper.hpp"
#include "os/supervisor.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

using namespace std::chrono_literals;
constexpr std::chrono::milliseconds k_kill_patience = 1s;

// The command line as the first settings layer; an empty --watch list is no list.
SettingsLayer command_line_layer(const RunOptions& o) {
    SettingsLayer layer{o.grace, o.timeout, o.exit_timeout, std::nullopt, o.output.fail_on};
    if (!o.watch.empty()) layer.watch = o.watch;
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
          m_settings(resolve_settings(command_line_layer(options), m_rules.settings())) {}

    int execute() {
        if (!m_supervisor.error().empty()) return fail(m_supervisor.error());
        m_evidence.start(getpid(), m_settings.watch);
        if (!take_before()) return 4;
        if (launch()) {
            wait_for_harness();
            settle();
        }
        bool after_ok = take_after();
        m_evidence.stop();
        if (!after_ok) return 4;
        attribute_and_evaluate();
        reap();
        clean_tmp();
        m_report.duration_ms = os::now_unix_ms() - m_report.started_at_ms;
        m_report.exit_code = decide_exit_code(m_report);
        return emit_report(m_report, m_options.output, m_rules.settings().redact_patterns);
    }

private:
    int fail(const std::string& message) {
        print_error(message);
        return 4;
    }

    bool take_before() {
        m_report.version = LEAKAUDIT_VERSION;
        m_report.revision = LEAKAUDIT_GIT_REVISION;
        m_report.command = m_options.command;
        m_report.run_id = os::random_hex(8);
        m_report.fail_on = m_settings.fail_on;
        m_report.started_at_ms = os::now_unix_ms();
        return take_snapshot_into(m_before);
    }

    // The process table and the watched folders now; false (said) when the table is unreadable.
    bool take_snapshot_into(Snapshot& into) {
        os::SnapshotResult taken = os::take_snapshot({m_settings.watch});
        if (!taken.error.empty()) {
            fail(taken.error);
            return false;
        }
        into = std::move(taken.snapshot);
        return true;
    }

    bool launch() {
        auto out = m_options.output.json_path == "-" ? os::HarnessStdout::to_stderr : os::HarnessStdout::inherit;
        m_started = os::Clock::now();
        if (auto error = m_supervisor.launch(m_options.command, m_report.run_id, out)) {
            m_report.harness.start_error = *error;
            return false;
        }
        m_report.harness.started = true;
        m_report.harness.pid = m_supervisor.harness_pid();
        m_harness_id =
            ProcessId{m_supervisor.harness_pid(), os::read_start_ticks(m_supervisor.harness_pid()).value_or(0)};
        return true;
    }

    void on_control_event(const ControlEvent& event) {
        switch (event.type) {
            case ControlEvent::Type::started:
                m_fds_at_started = os::descriptors_of(m_supervisor.harness_pid());
                m_saw_started = true;
                m_supervisor.acknowledge("started");
                break;
            case ControlEvent::Type::stopped:
                m_report.harness.sent_stopped = true;
                break;
            case ControlEvent::Type::handles:
                m_handles.insert(m_handles.end(), event.handles.begin(), event.handles.end());
                break;
            case ControlEvent::Type::invalid:
                m_extra_findings.push_back(
                    harness_warning("control channel line " + std::to_string(event.line) + " ignored: " + event.error,
                                    "write one JSON object per line, e.g. {\"event\":\"stopped\"}"));
                break;
        }
    }

    // At `stopped` the harness is alive and its plugin is done: what it holds now and did
    // not hold at `started` is the plugin's leak.
    void checkpoint() {
        if (!m_saw_started) {
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
        for (Finding& f : checkpoint_findings(in))
            m_extra_findings.push_back(std::move(f));
    }

    // What keeps a harness alive after `stopped`, read just before it is killed.
    void record_what_harness_holds() {
        Snapshot snapshot;
        Process harness;
        harness.fds = os::descriptors_of(m_supervisor.harness_pid());
        std::erase_if(harness.fds, [&](const Descriptor& d) {
            return d.fd == m_supervisor.control_fd_number() || d.fd == m_supervisor.ack_fd_number();
        });
        os::add_sockets(snapshot);
        m_harness_held = held_resources(harness, snapshot);
    }

    void wait_for_harness() {
        auto on_event = [this](const ControlEvent& e) { on_control_event(e); };
        os::Deadline timeout = deadline_after(m_settings.timeout);
        os::WaitEnd end = m_supervisor.wait_harness(timeout, true, on_event);
        if (end == os::WaitEnd::stopped) {
            checkpoint();
            m_supervisor.acknowledge("stopped");
            os::Deadline exit_deadline = os::Clock::now() + m_settings.exit_timeout;
            if (timeout && *timeout < *exit_deadline) exit_deadline = timeout;
            end = m_supervisor.wait_harness(exit_deadline, false, on_event);
            if (end == os::WaitEnd::timed_out) {
                m_report.harness.exit_timed_out = true;
                record_what_harness_holds();
            }
        } else if (end == os::WaitEnd::timed_out) {
            m_report.harness.timed_out = true;
        }
        if (end == os::WaitEnd::timed_out) m_supervisor.kill_harness(k_kill_patience);
        m_report.harness.duration_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(os::Clock::now() - m_started).count();
        m_report.harness.exit_code = m_supervisor.exit_code();
        m_report.harness.signal = m_supervisor.exit_signal();
    }

    void settle() {
        m_supervisor.settle(os::Clock::now() + m_settings.grace);
        m_report.harness.interrupted = m_supervisor.interrupts() > 0;
    }

    bool take_after() { return take_snapshot_into(m_after); }

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
        TmpEvidence evidence = m_evidence.tmp_evidence(run, m_after);
        evidence.window_start_ms = m_report.started_at_ms;
        evidence.window_end_ms = m_after.taken_at_ms;
        evidence.harness_uid = getuid();

        std::vector<Finding> findings = harness_findings(m_report.harness, m_options.command, m_harness_held);
        auto add = [&findings](std::vector<Finding>&& more) {
            for (Finding& f : more)
                findings.push_back(std::move(f));
        };
        AuditPoint point = m_report.harness.sent_stopped ? AuditPoint::at_stopped : AuditPoint::after_exit;
        add(process_findings(run, m_after, r, point, m_evidence.forks().forked_by));
        add(std::move(m_extra_findings));
        add(handle_findings(m_handles));
        add(tmp_findings(m_before, m_after, evidence));
        m_rules.apply(findings);
        m_report.findings = std::move(findings);
        m_report.warnings = m_evidence.warnings();
        for (const std::string& w : m_after.warnings)
            m_report.warnings.push_back(w);
    }

    void reap() {
        if (m_options.keep) return;
        std::vector<ReapTarget> targets = reap_targets(m_report.findings);
        if (targets.empty()) return;
        m_report.reaped = os::reap_processes(targets, k_kill_patience, [this] { m_supervisor.reap_children(); });
    }

    // Only what the run provably created, and that no rule ignores, is deleted.
    void clean_tmp() {
        if (!m_options.clean_tmp) return;
        for (const Finding& f : m_report.findings) {
            if (f.kind != Kind::tmp || f.severity == Severity::ignore || f.attribution != Attribution::creator_pid)
                continue;
            std::string error = os::remove_entry(f.tmp->path);
            if (error.empty())
                m_report.cleaned.push_back(f.tmp->path);
            else
                m_report.warnings.push_back("--clean-tmp: cannot remove " + f.tmp->path + ": " + error);
        }
    }

    const RunOptions& m_options;
    RuleSet m_rules;
    Settings m_settings;
    os::Supervisor m_supervisor;
    RunEvidence m_evidence;
    Report m_report;
    Snapshot m_before;
    Snapshot m_after;
    ProcessId m_harness_id;
    os::Clock::time_point m_started;
    bool m_saw_started = false;
    std::vector<Descriptor> m_fds_at_started;
    std::vector<HeldResource> m_harness_held;
    std::vector<Handle> m_handles;
    std::vector<Finding> m_extra_findings;
};

}  // namespace

int run_audit(const RunOptions& options) {
    std::optional<RuleSet> rules = load_command_rules(options.rules);
    if (!rules) return k_exit_invalid_rules;
    return RunAudit(options, std::move(*rules)).execute();
}

}  // namespace leakaudit
