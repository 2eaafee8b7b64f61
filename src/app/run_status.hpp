// A long run is never silent: while it waits for the harness, `run` prints a status line
// to stderr every 30 s (LEAKAUDIT_STATUS_INTERVAL_MS for tests) saying which harness, for
// how long, and what the run holds now (core/status_line.hpp); on a terminal it is one
// line rewritten in place. And the run's timeout: --timeout, [settings] timeout, or under
// CI=true the CI default (core/run_limits.hpp).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/control_protocol.hpp"
#include "core/run_limits.hpp"
#include "core/settings.hpp"
#include "os/supervisor.hpp"

namespace leakaudit {

// --timeout, else [settings] timeout, else the CI default when the CI variable says so.
TimeoutChoice run_timeout(std::optional<std::chrono::milliseconds> option, const SettingsLayer& files);

class RunStatus {
public:
    // Interval from LEAKAUDIT_STATUS_INTERVAL_MS, else 30 s; stderr; a terminal when it is one.
    RunStatus();
    RunStatus(std::chrono::milliseconds interval, std::ostream& out, bool terminal);
    ~RunStatus();
    RunStatus(const RunStatus&) = delete;
    RunStatus& operator=(const RunStatus&) = delete;

    // The run started now: lines come `interval` after this, then every `interval`.
    void start(const std::vector<std::string>& command, int harness_pid, os::Deadline timeout);
    // The Node kit's folder and token: each line then says what its processes hold
    // (core/kit_summary.hpp), asked for a little before the line is due.
    void use_kit(std::string folder, std::string token);
    // Counts handles reported on the control channel, for the line.
    void count_handles(int n) { m_reported_handles += n; }

    // Supervisor::wait_harness, printing the status line each time the interval passes.
    os::WaitEnd wait(os::Supervisor& supervisor, os::Deadline deadline, bool stop_on_stopped,
                     const std::function<void(const ControlEvent&)>& on_event, bool stop_on_started = false);

    // Takes a terminal's status line away before anything else is printed.
    void finish();

    int lines_printed() const { return m_lines; }

private:
    void print();
    void ask_kit();
    os::Clock::time_point ask_at() const;

    std::chrono::milliseconds m_interval;
    std::ostream& m_out;
    bool m_terminal;
    std::vector<std::string> m_command;
    int m_harness_pid = 0;
    os::Clock::time_point m_started{};
    os::Clock::time_point m_next{};
    os::Deadline m_timeout;
    int m_reported_handles = 0;
    int m_lines = 0;
    bool m_line_open = false;  // a terminal line is shown and not yet cleared
    std::string m_kit_folder;  // empty: no Node kit
    std::string m_kit_token;
    bool m_kit_asked = false;     // asked for the line that is due next
    std::int64_t m_asked_ms = 0;  // when (Unix ms): an older answer is not this line's
};

}  // namespace leakaudit
