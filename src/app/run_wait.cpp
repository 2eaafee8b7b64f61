// The wait is the supervisor's poll loop (through RunStatus, for the status line); each
// control event is handled inside it, before its acknowledgement, so a burst of events is
// measured in order. A hang is read once: at the first interrupt or at the timeout.
#include "app/run_wait.hpp"

#include <unistd.h>

#include "core/harness_findings.hpp"
#include "core/own_resources.hpp"
#include "core/peer_findings.hpp"
#include "os/live_run.hpp"
#include "os/process_table.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

using namespace std::chrono_literals;
constexpr std::chrono::milliseconds k_kill_patience = 1s;

}  // namespace

HarnessWait::HarnessWait(RunWaitParts parts) : m_parts(parts) {
    m_parts.supervisor.on_first_interrupt([this](int /*signal*/) { record_interrupt(); });
}

void HarnessWait::begin(const std::vector<std::string>& command, const ProcessId& harness,
                        os::Clock::time_point launched, std::int64_t run_started_ms,
                        std::optional<std::chrono::milliseconds> timeout, std::chrono::milliseconds exit_timeout) {
    m_harness = harness;
    m_launched = launched;
    m_run_started_ms = run_started_ms;
    m_exit_timeout = exit_timeout;
    if (timeout) m_timeout = os::Clock::now() + *timeout;
    m_status.start(command, harness.pid, m_timeout);
    if (m_parts.kit.active()) m_status.use_kit(m_parts.kit.folder(), m_parts.kit.token());
}

void HarnessWait::wait() {
    auto on_event = [this](const ControlEvent& e) { on_control_event(e); };
    os::WaitEnd end = m_status.wait(m_parts.supervisor, m_timeout, true, on_event);
    bool waiting_for_exit = false;
    // After `stopped` the harness exits within --exit-timeout, or starts its next cycle.
    while (end == os::WaitEnd::stopped || end == os::WaitEnd::started) {
        waiting_for_exit = !m_in_cycle;
        os::Deadline deadline = m_timeout;
        if (waiting_for_exit) {
            deadline = os::Clock::now() + m_exit_timeout;
            if (m_timeout && *m_timeout < *deadline) deadline = m_timeout;
        }
        end = m_status.wait(m_parts.supervisor, deadline, true, on_event, waiting_for_exit);
    }
    HarnessOutcome& outcome = m_parts.outcome;
    if (end == os::WaitEnd::timed_out) {
        (waiting_for_exit ? outcome.exit_timed_out : outcome.timed_out) = true;
        record_hang();
    }
    m_status.finish();
    if (end == os::WaitEnd::timed_out) m_parts.supervisor.kill_harness(k_kill_patience);
    outcome.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(os::Clock::now() - m_launched).count();
    outcome.exit_code = m_parts.supervisor.exit_code();
    outcome.signal = m_parts.supervisor.exit_signal();
}

void HarnessWait::on_control_event(const ControlEvent& event) {
    if (!event) {
        m_parts.control.add(event);
        return;
    }
    os::Supervisor& supervisor = m_parts.supervisor;
    switch (event->type) {
        case ControlMessage::Type::started:  // the first is the baseline (README "Cycles and growth")
            if (!m_saw_started) m_fds_at_started = os::descriptors_of(supervisor.harness_pid());
            m_parts.cycles.on_started(harness_view(), m_parts.evidence);
            m_saw_started = true;
            m_in_cycle = true;
            supervisor.acknowledge("started");
            break;
        case ControlMessage::Type::stopped:  // audited at once, even in a burst of events
            m_parts.outcome.sent_stopped = true;
            m_in_cycle = false;
            checkpoint();
            supervisor.acknowledge("stopped");
            break;
        case ControlMessage::Type::metrics:
            m_parts.cycles.on_metrics(event->metrics);
            break;
        case ControlMessage::Type::handles:
            m_status.count_handles(static_cast<int>(event->handles.size()));
            m_parts.control.add(event);
            break;
    }
}

HarnessView HarnessWait::harness_view() const {
    const os::Supervisor& supervisor = m_parts.supervisor;
    return {supervisor.harness_pid(),
            {{supervisor.control_fd_number(), supervisor.ack_fd_number()}, m_parts.kit.folder(), {}}};
}

// At `stopped` the harness is alive and its plugin is done: what it holds now and did
// not hold at the first `started` is the plugin's leak. A cycling harness is judged at
// its last `stopped` against its first `started`: one finding per resource.
void HarnessWait::checkpoint() {
    if (!m_saw_started) {
        if (m_warned_no_started) return;
        m_warned_no_started = true;
        m_record.warnings.push_back(
            harness_warning("the harness said stopped without started: its sockets and descriptors were not audited",
                            "send {\"event\":\"started\"} before starting the plugin"));
        return;
    }
    const os::Supervisor& supervisor = m_parts.supervisor;
    CheckpointInput in;
    in.at_started = m_fds_at_started;
    in.at_stopped = os::descriptors_of(supervisor.harness_pid());
    in.owner_pid = supervisor.harness_pid();
    in.channel_fds = {supervisor.control_fd_number(), supervisor.ack_fd_number()};
    Snapshot sockets;
    os::add_sockets(sockets);
    in.sockets = sockets.sockets;
    m_parts.cycles.on_stopped(harness_view(), in.at_stopped, in.sockets, m_parts.evidence);
    m_record.last_checkpoint = std::move(in);
}

// The harness hangs: before it is killed, the Node kit says what keeps it alive, and
// its sockets and children are read.
void HarnessWait::record_hang() {
    m_record.kept_alive = m_parts.kit.dump_and_describe(m_harness, m_run_started_ms);
    record_what_harness_holds();
    for (const std::string& child : os::describe_children(m_parts.supervisor.harness_pid()))
        m_record.held.push_back(held_child(child));
}

// Interrupted (Ctrl-C, SIGTERM, SIGHUP) while the harness runs: what it holds now is
// read before the signal is passed on, as at a timeout.
void HarnessWait::record_interrupt() {
    m_status.finish();
    if (m_record.held.empty() && m_record.kept_alive.empty()) record_hang();
}

// What keeps a harness alive after `stopped`, read just before it is killed: its
// sockets and files, and the pipes and socket pairs that tie it to its children. What
// leakaudit holds too (its stdio, a CI runner's pipes) the harness inherited.
void HarnessWait::record_what_harness_holds() {
    os::LiveRun live = os::read_live_run(getpid());
    Snapshot snapshot;
    snapshot.sockets = std::move(live.sockets);
    OwnResources own = harness_view().own;
    own.inherited = os::descriptors_of(getpid());
    Process harness;
    harness.id = m_harness;
    harness.fds = without_own(os::descriptors_of(m_parts.supervisor.harness_pid()), own);
    m_record.held = harness_held_resources(harness, live.processes, snapshot);
}

}  // namespace leakaudit
