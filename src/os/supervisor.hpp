// The supervisor launches the harness and watches the run: leakaudit becomes the
// child subreaper (orphans of the run are re-parented to it, so double-forked daemons
// stay in its tree), signals arrive through a signalfd, and the control channel is a
// pipe whose write end the harness inherits as LEAKAUDIT_CONTROL_FD.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/control_protocol.hpp"
#include "core/report.hpp"
#include "core/result.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

using Clock = std::chrono::steady_clock;
using Deadline = std::optional<Clock::time_point>;  // nullopt: no deadline

enum class WaitEnd { exited, stopped, timed_out, started };

// Why a launch failed, and whose fault it was: leakaudit's own EMFILE/ENFILE/ENOMEM is
// exit 4, a command that does not exist or cannot run is the harness's (exit 3).
struct LaunchError {
    std::string message;
    StartFailure fault = StartFailure::harness;
};
// With `--json -` stdout carries the report, so the harness's stdout goes to stderr.
enum class HarnessStdout { inherit, to_stderr };

class Supervisor {
public:
    // Becomes the child subreaper and routes SIGINT/SIGTERM/SIGHUP/SIGCHLD to a signalfd.
    // On failure, ready() says why and nothing can be launched.
    Supervisor();
    ~Supervisor();
    Supervisor(const Supervisor&) = delete;
    Supervisor& operator=(const Supervisor&) = delete;

    const Result<void>& ready() const { return m_ready; }

    // Starts argv in its own process group, stdio inherited, with LEAKAUDIT_RUN_ID,
    // LEAKAUDIT_CONTROL_FD / LEAKAUDIT_ACK_FD and their DEV:INO (LEAKAUDIT_CONTROL_INO,
    // LEAKAUDIT_ACK_INO) in its environment, plus `extra_env` ("NAME=value", replacing an
    // inherited NAME); the two descriptors get the lowest free numbers from 3 (so
    // `>&$LEAKAUDIT_CONTROL_FD` works in dash, which takes one digit). On failure says why,
    // and whose fault it was.
    Result<void, LaunchError> launch(const std::vector<std::string>& argv, const std::string& run_id,
                                     HarnessStdout harness_stdout, const std::vector<std::string>& extra_env = {});

    // Until the harness exits, says `stopped` (when stop_on_stopped), says `started` (when
    // stop_on_started: a cycling harness begins its next cycle), or the deadline.
    // Every control event is handed to on_event as it arrives.
    WaitEnd wait_harness(Deadline deadline, bool stop_on_stopped,
                         const std::function<void(const ControlEvent&)>& on_event, bool stop_on_started = false);

    // Tells a harness waiting on LEAKAUDIT_ACK_FD that leakaudit has acted on its last
    // event (the baseline at `started`, the audit at `stopped`): one line per event.
    void acknowledge(std::string_view line);

    // SIGTERM to the harness, SIGKILL after `patience`; returns once it has exited.
    void kill_harness(std::chrono::milliseconds patience);

    // Until no process of the run is left in leakaudit's tree, or the deadline, or an
    // interrupt. True when the tree emptied.
    bool settle(Deadline deadline);

    // Called with the signal on the first SIGINT/SIGTERM/SIGHUP while the harness runs,
    // before it is passed on: what the harness holds at that moment can still be read.
    void on_first_interrupt(std::function<void(int signal)> hook) { m_on_interrupt = std::move(hook); }

    // Keeps reaping zombies of adopted orphans; call while other work waits on them.
    void reap_children();

    int harness_pid() const { return m_harness_pid; }
    // The descriptor number of LEAKAUDIT_CONTROL_FD in the harness: leakaudit's, not a leak.
    int control_fd_number() const { return m_control_fd_number; }
    int ack_fd_number() const { return m_ack_fd_number; }
    bool harness_running() const { return m_harness_pid > 0 && !m_harness_status; }
    std::optional<int> exit_code() const;
    std::optional<int> exit_signal() const;
    int interrupts() const { return m_interrupts; }
    // Control lines past ControlParser::k_max_lines: counted, not read.
    long long control_lines_skipped() const { return m_parser.skipped_lines(); }

private:
    void handle_signals();
    void drain_control(const std::function<void(const ControlEvent&)>& on_event);
    bool poll_once(Deadline deadline, int extra_fd);

    Result<void> m_ready;
    UniqueFd m_signal_fd;
    UniqueFd m_control_read;
    UniqueFd m_harness_pidfd;
    int m_harness_pid = 0;
    int m_control_fd_number = -1;
    int m_ack_fd_number = -1;
    UniqueFd m_ack_write;
    std::optional<int> m_harness_status;  // raw wait status once reaped
    bool m_no_children = false;
    int m_interrupts = 0;
    bool m_saw_stopped = false;
    bool m_saw_started = false;
    ControlParser m_parser;
    std::function<void(int)> m_on_interrupt;
};

}  // namespace leakaudit::os
