// The timer is the supervisor's own wait with a nearer deadline: each time it passes
// before the real one, the run's state is read (os/live_run) and one line is printed.
#include "app/run_status.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "core/kit_summary.hpp"
#include "core/status_line.hpp"
#include "os/kit_summary.hpp"
#include "os/live_run.hpp"

namespace leakaudit {

namespace {

// How long before a line the kit is asked: it answers in a few slices of ~1 ms each.
constexpr std::chrono::milliseconds k_kit_lead{500};
constexpr std::int64_t k_clock_slack_ms = 1000;

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::string_view> env(const char* name) {
    const char* value = std::getenv(name);
    if (!value) return std::nullopt;
    return std::string_view(value);
}

}  // namespace

TimeoutChoice run_timeout(std::optional<std::chrono::milliseconds> option, const SettingsLayer& files) {
    return choose_timeout(option, files.timeout, env("CI"));
}

RunStatus::RunStatus()
    : RunStatus(status_interval(env("LEAKAUDIT_STATUS_INTERVAL_MS")), std::cerr, isatty(STDERR_FILENO) == 1) {}

RunStatus::RunStatus(std::chrono::milliseconds interval, std::ostream& out, bool terminal)
    : m_interval(interval), m_out(out), m_terminal(terminal) {}

RunStatus::~RunStatus() {
    finish();
}

void RunStatus::start(const std::vector<std::string>& command, int harness_pid, os::Deadline timeout) {
    m_command = command;
    m_harness_pid = harness_pid;
    m_started = os::Clock::now();
    m_next = m_started + m_interval;
    m_timeout = timeout;
}

void RunStatus::use_kit(std::string folder, std::string token) {
    m_kit_folder = std::move(folder);
    m_kit_token = std::move(token);
}

// With the kit, the wait stops once before each line to ask it (the harness is not
// waited on any less: the supervisor's wait handles its events throughout).
os::Clock::time_point RunStatus::ask_at() const {
    return m_kit_folder.empty() || m_kit_asked ? m_next : m_next - std::min(k_kit_lead, m_interval / 2);
}

os::WaitEnd RunStatus::wait(os::Supervisor& supervisor, os::Deadline deadline, bool stop_on_stopped,
                            const std::function<void(const ControlEvent&)>& on_event, bool stop_on_started) {
    for (;;) {
        os::Clock::time_point next = ask_at();
        bool status_first = !deadline || next < *deadline;
        os::WaitEnd end = supervisor.wait_harness(status_first ? os::Deadline(next) : deadline, stop_on_stopped,
                                                  on_event, stop_on_started);
        if (end != os::WaitEnd::timed_out || !status_first) return end;
        if (next != m_next) {
            ask_kit();
            continue;
        }
        print();
        m_kit_asked = false;
        while (m_next <= os::Clock::now())
            m_next += m_interval;
    }
}

void RunStatus::ask_kit() {
    m_kit_asked = true;
    m_asked_ms = unix_ms();
    os::request_kit_summary(m_kit_folder);  // without an answer the line goes without the kit
}

void RunStatus::print() {
    RunNow now;
    now.command = m_command;
    now.harness_pid = m_harness_pid;
    auto since = [](os::Clock::time_point a, os::Clock::time_point b) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
    };
    os::Clock::time_point at = os::Clock::now();
    now.age_ms = since(m_started, at);
    if (m_timeout) now.timeout_left_ms = std::max<std::int64_t>(0, since(at, *m_timeout));
    now.reported_handles = m_reported_handles;
    os::LiveRun live = os::read_live_run(getpid());
    now.processes = std::move(live.processes);
    now.sockets = std::move(live.sockets);
    if (!m_kit_folder.empty()) {
        std::vector<int> pids;
        for (const Process& p : now.processes)
            pids.push_back(p.id.pid);
        for (const std::string& text : os::read_kit_summaries(m_kit_folder, pids, k_summary_bytes)) {
            std::optional<KitSummary> s = parse_kit_summary(text, m_kit_token);
            // A process that did not answer (its loop is blocked) is left out, not shown as it was.
            if (s && s->at_ms + k_clock_slack_ms >= m_asked_ms) now.kit.push_back(std::move(*s));
        }
    }
    std::string line = status_line(now);
    if (m_terminal) {
        m_out << "\r\033[K" << line << std::flush;
        m_line_open = true;
    } else {
        m_out << line << '\n' << std::flush;
    }
    ++m_lines;
}

void RunStatus::finish() {
    if (!m_line_open) return;
    m_out << "\r\033[K" << std::flush;
    m_line_open = false;
}

}  // namespace leakaudit
