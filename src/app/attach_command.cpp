// Reads like README's "Attach to a running host": find the host → start the watchers
// (fork history rooted at the host, creation watch) → before snapshot and the host's
// descriptors → wait (Enter, a signal, `stopped`, the host's exit) → settle (--until-exit)
// → after snapshot → attribute (core/attach) → evaluate → --reap → report → exit code.
#include "app/attach_command.hpp"

#include <unistd.h>

#include <iostream>
#include <set>

#include "app/audit_report.hpp"
#include "app/print_error.hpp"
#include "app/rule_sources.hpp"
#include "app/run_evidence.hpp"
#include "core/attach.hpp"
#include "core/checkpoint_findings.hpp"
#include "core/control_intake.hpp"
#include "core/settings.hpp"
#include "os/descriptors.hpp"
#include "os/host_watch.hpp"
#include "os/process_table.hpp"
#include "os/reaper.hpp"
#include "os/run_tree.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

using namespace std::chrono_literals;

SettingsLayer command_line_layer(const AttachOptions& o) {
    SettingsLayer layer{o.grace, std::nullopt, std::nullopt, std::nullopt, o.output.fail_on};
    if (!o.watch.empty()) layer.watch = o.watch;
    return layer;
}

// The processes below `root` in a snapshot, by its parent links (root excluded).
std::vector<const Process*> below(const Snapshot& s, const ProcessId& root) {
    std::set<int> chosen{root.pid};
    std::vector<const Process*> out;
    for (bool grew = true; grew;) {
        grew = false;
        for (const Process& p : s.processes) {
            if (!chosen.count(p.id.pid) && chosen.count(p.ppid) && !p.is_zombie()) {
                chosen.insert(p.id.pid);
                out.push_back(&p);
                grew = true;
            }
        }
    }
    return out;
}

std::optional<std::vector<Descriptor>> descriptors_of(int pid) {
    os::UniqueFd proc = os::open_proc_root();
    if (!proc) return std::nullopt;
    return os::read_descriptors(proc.get(), pid);
}

class AttachAudit {
public:
    AttachAudit(const AttachOptions& options, RuleSet rules)
        : m_options(options),
          m_rules(std::move(rules)),
          m_settings(resolve_settings(command_line_layer(options), m_rules.settings())) {}

    ExitCode execute() {
        if (ExitCode code = find_host(); code != ExitCode::ok) return code;
        if (!m_options.control.empty()) {
            std::optional<std::uint32_t> owner;
            if (geteuid() == 0 && m_host.uid != 0) owner = m_host.uid;
            if (Result<void> opened = m_watch.open_control(m_options.control, owner); !opened) {
                print_error(opened.error());
                return ExitCode::usage;
            }
        }
        m_evidence.start(m_options.pid, m_settings.watch);
        if (Result<void> before = take_before(); !before) {
            print_error(before.error());
            return ExitCode::internal;
        }
        announce();
        m_outcome.ended_by = m_watch.wait([this](const ControlEvent& e) { on_control_event(e); });
        m_watch.close_control();
        m_outcome.host_exited = m_watch.host_exited();
        if (m_outcome.host_exited && m_options.until_exit) settle();
        Result<void> after = take_after();
        m_evidence.stop();
        if (!after) {
            print_error(after.error());
            return ExitCode::internal;
        }
        evaluate();
        if (m_options.reap) reap();
        return finish_report(m_report, m_options.output, m_rules.settings().redact_patterns);
    }

private:
    // PID must be a live process other than leakaudit, pinned by a pidfd whose start time
    // matches what was read before it: a pid reused in between is refused.
    ExitCode find_host() {
        int pid = m_options.pid;
        if (pid == getpid()) {
            print_error("attach: " + std::to_string(pid) + " is leakaudit itself");
            return ExitCode::usage;
        }
        std::optional<std::uint64_t> ticks = os::read_start_ticks(pid);
        Result<void> watching = ticks ? m_watch.start(pid) : Result<void>();
        if (!ticks || !watching || os::read_start_ticks(pid) != ticks || m_watch.host_exited()) {
            print_error("attach: no running process with pid " + std::to_string(pid) +
                        (watching ? "" : " (" + watching.error().message + ")"));
            return ExitCode::usage;
        }
        m_scope.host = ProcessId{pid, *ticks};
        return ExitCode::ok;
    }

    Result<void> take_snapshot_into(Snapshot& into) {
        Result<Snapshot> taken = os::take_snapshot({m_settings.watch});
        if (!taken) return unexpected(taken.error());
        into = std::move(*taken);
        return {};
    }

    // The window starts here (and again at `started`): what runs below the host now is
    // the host's tree, its descriptors are the baseline.
    Result<void> take_before() {
        m_report.mode = ReportMode::attach;
        begin_report(m_report, m_settings.fail_on);
        if (Result<void> taken = take_snapshot_into(m_before); !taken) return taken;
        const Process* host = m_before.find(m_scope.host);
        if (!host || host->is_zombie()) {
            m_report.warnings.push_back("the host exited as the watch began");
        } else {
            m_host = *host;
            m_scope.host_pgid = host->pgid;
        }
        m_report.command = m_host.cmdline.empty() ? std::vector<std::string>{m_host.name} : m_host.cmdline;
        m_scope.host_tree.clear();
        std::vector<int> tree{m_scope.host.pid};  // the host runs the plugin's code: its creations count
        for (const Process* p : below(m_before, m_scope.host)) {
            m_scope.host_tree.insert(p->id);
            tree.push_back(p->id.pid);
        }
        m_evidence.add_roots(tree);
        m_scope.window_start_ms = m_before.taken_at_ms;
        std::optional<std::vector<Descriptor>> fds = descriptors_of(m_scope.host.pid);
        m_host_fds_readable = fds.has_value();
        m_fds_at_start = fds.value_or(std::vector<Descriptor>{});
        return {};
    }

    void announce() {
        std::string text = "leakaudit: watching " + std::to_string(m_scope.host.pid) + " (" + m_host.name +
                           ") and what it starts; load and unload the plugin, then ";
        switch (m_watch.stdin_use()) {
            case os::StdinUse::read:
                text += "press Enter (or Ctrl-C)";
                break;
            case os::StdinUse::ignored_background:
                text += "send SIGINT or SIGTERM (standard input is a terminal leakaudit is in the background of)";
                break;
            default:
                text += "send SIGINT or SIGTERM (standard input is closed)";
                break;
        }
        if (!m_options.control.empty()) text += "; or write {\"event\":\"stopped\"} to " + m_options.control;
        if (m_options.until_exit) text += "; or end " + std::to_string(m_scope.host.pid);
        std::cerr << text << std::endl;
    }

    void on_control_event(const ControlEvent& event) {
        if (!event) {
            m_control.add(event);
            return;
        }
        switch (event->type) {
            case ControlMessage::Type::started:
                // The plugin starts now: what came before is not its doing.
                m_outcome.saw_started = true;
                if (Result<void> before = take_before(); !before) print_error(before.error());
                // There is no ack channel: this line says the window begins (README).
                std::cerr << "leakaudit: started: the window begins now" << std::endl;
                break;
            case ControlMessage::Type::stopped:
            case ControlMessage::Type::metrics:  // cycles are `run`'s (README "Cycles and growth")
                break;
            case ControlMessage::Type::handles:
                m_control.add(event);
                break;
        }
    }

    // --until-exit: the host is gone; what it left gets --grace to exit on its own. Its
    // orphans are re-parented away, so only the fork history still finds them.
    void settle() {
        auto deadline = std::chrono::steady_clock::now() + m_settings.grace;
        while (std::chrono::steady_clock::now() < deadline) {
            Result<Snapshot> table = os::take_snapshot({});
            if (!table) return;
            std::set<int> left = pids_of(attach_processes(m_before, *table, m_scope, m_evidence.forks_now()));
            if (left.empty()) return;
            if (!m_watch.wait_exits(std::vector<int>(left.begin(), left.end()), deadline)) return;
        }
    }

    Result<void> take_after() {
        if (Result<void> taken = take_snapshot_into(m_after); !taken) return taken;
        if (!m_outcome.host_exited && m_host_fds_readable) {
            std::vector<Descriptor> fds = descriptors_of(m_scope.host.pid).value_or(std::vector<Descriptor>{});
            std::erase_if(fds, [&](const Descriptor& d) {
                return m_watch.control_inode() && d.inode == m_watch.control_inode();  // attach's FIFO
            });
            m_fds_at_end = std::move(fds);
        }
        return {};
    }

    void evaluate() {
        const ForkHistory& forks = m_evidence.record().forks;
        std::vector<RunProcess> run = attach_processes(m_before, m_after, m_scope, forks);
        std::vector<RunProcess> holders = temp_holders(m_after, m_scope, run);
        std::set<int> pids = pids_of(holders);
        os::add_descriptors(m_after, pids);
        os::add_sockets(m_after, pids);
        TmpEvidence evidence = tmp_evidence(m_evidence.record(), holders, m_after);
        evidence.window_start_ms = m_scope.window_start_ms;
        evidence.window_end_ms = m_after.taken_at_ms;
        evidence.harness_uid = m_host.uid;

        std::vector<Finding> findings = attach_process_findings(run, m_after, m_scope, m_host.name, forks.forked_by);
        auto add = [&findings](std::vector<Finding>&& more) {
            for (Finding& f : more)
                findings.push_back(std::move(f));
        };
        add(host_checkpoint());
        m_control.set_skipped_lines(m_watch.control_lines_skipped());
        add(m_control.findings());
        add(tmp_findings(m_before, m_after, evidence));
        m_rules.apply(findings);
        m_report.findings = std::move(findings);
        fill_outcome(forks);
    }

    // The host's sockets and descriptors: what it holds now that it did not at the start.
    std::vector<Finding> host_checkpoint() {
        if (!m_host_fds_readable || m_outcome.host_exited) return {};
        CheckpointInput in;
        in.at_started = m_fds_at_start;
        in.at_stopped = m_fds_at_end;
        in.sockets = m_after.sockets;
        in.owner_pid = m_scope.host.pid;
        in.owner_label = host_label(m_scope.host.pid, m_host.name);
        return checkpoint_findings(in);
    }

    void fill_outcome(const ForkHistory& forks) {
        m_outcome.host = m_scope.host;
        m_outcome.host_name = m_host.name;
        m_outcome.control_path = m_options.control;
        m_outcome.fork_history = forks.available;
        m_outcome.creation_watch = !m_evidence.record().watched.empty();
        m_report.harness.started = true;
        m_report.harness.pid = m_scope.host.pid;
        m_report.attach = m_outcome;
        std::vector<std::string>& w = m_report.warnings;
        for (const std::string& e : m_evidence.warnings())
            w.push_back(e);
        if (!forks.available)
            w.push_back("attach: forks below " + std::to_string(m_scope.host.pid) +
                        " were not followed (the process-events connector needs root on this kernel): a process it "
                        "started that was re-parented away (a "
                        "double fork, or after the host exited) is missed, and --reap ends only processes whose "
                        "live ancestry reaches the host");
        if (!m_outcome.creation_watch)
            w.push_back(
                "attach: temp entries' creators were not seen (needs root): entries the host's tree holds "
                "open are exact; the rest are time-window guesses by the host's user, and a neighbour of "
                "that user may be blamed");
        if (!m_host_fds_readable)
            w.push_back("attach: the descriptors of " + std::to_string(m_scope.host.pid) +
                        " cannot be read: its sockets and descriptors were not audited");
        if (m_outcome.host_exited && !m_options.until_exit)
            w.push_back("attach: " + std::to_string(m_scope.host.pid) +
                        " exited during the watch: its sockets and descriptors were not audited");
        for (std::string& note : capped_notes(std::move(m_after.warnings)))
            w.push_back(std::move(note));
    }

    // Only processes proven created below the host during the watch; never the host.
    void reap() {
        std::vector<ReapTarget> targets;
        for (const Finding& f : m_report.findings) {
            if (f.kind != Kind::process) continue;
            AttachReap verdict =
                attach_reap_verdict(f, m_scope, m_evidence.record().forks, os::read_live_ancestry(f.process->id.pid));
            if (verdict == AttachReap::reap)
                targets.push_back({f.process->id, f.process->name});
            else if (verdict == AttachReap::not_proven)
                m_report.warnings.push_back("--reap: not signalling pid " + std::to_string(f.process->id.pid) + ": " +
                                            to_string(verdict));
        }
        m_report.reaped = os::reap_processes(targets, 1s, [] {});
    }

    const AttachOptions& m_options;
    RuleSet m_rules;
    Settings m_settings;
    os::HostWatch m_watch;
    RunEvidence m_evidence;
    AttachScope m_scope;
    AttachOutcome m_outcome;
    Process m_host;
    Report m_report;
    Snapshot m_before;
    Snapshot m_after;
    bool m_host_fds_readable = false;
    std::vector<Descriptor> m_fds_at_start;
    std::vector<Descriptor> m_fds_at_end;
    ControlIntake m_control;
};

}  // namespace

ExitCode attach_command(const AttachOptions& options) {
    std::optional<RuleSet> rules = load_command_rules(options.rules);
    if (!rules) return ExitCode::usage;
    return AttachAudit(options, std::move(*rules)).execute();
}

}  // namespace leakaudit
