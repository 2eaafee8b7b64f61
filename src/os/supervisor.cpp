// Signals are blocked and read from a signalfd, so one poll() loop sees harness exit
// (SIGCHLD), interrupts and control-channel bytes without async-signal-safety traps.
#include "os/supervisor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "os/pidfd.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

extern char** environ;

namespace leakaudit::os {

namespace {

constexpr int k_control_fd_floor = 3;

sigset_t handled_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD})
        sigaddset(&set, s);
    return set;
}

// "DEV:INO" of a descriptor as fstat reports them: a kit proves a descriptor number it
// inherited is still leakaudit's pipe before writing to it (kits/node/PROTOCOL.md).
std::string dev_ino(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return "";
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

bool names_one_of(std::string_view entry, const std::vector<std::string>& names) {
    for (const std::string& name : names) {
        if (entry.starts_with(name) && entry.size() > name.size() && entry[name.size()] == '=') return true;
    }
    return false;
}

// The harness's descriptor numbers (`*_number`) and leakaudit's descriptors of the same
// pipes (`*_fd`), whose device and inode the Node kit checks before writing.
struct ChildPipes {
    int control_number;
    int ack_number;
    int control_fd;
    int ack_fd;
};

std::vector<std::string> child_environment(const std::string& run_id, const ChildPipes& pipes,
                                           const std::vector<std::string>& extra) {
    // An outer run's kit settings never reach this run's harness.
    std::vector<std::string> ours{"LEAKAUDIT_RUN_ID",      "LEAKAUDIT_CONTROL_FD", "LEAKAUDIT_ACK_FD",
                                  "LEAKAUDIT_CONTROL_INO", "LEAKAUDIT_ACK_INO",    "LEAKAUDIT_KIT_DIR",
                                  "LEAKAUDIT_KIT_TOKEN",   "LEAKAUDIT_KIT_TEMP"};
    for (const std::string& e : extra)
        ours.push_back(e.substr(0, e.find('=')));
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        if (!names_one_of(entry, ours)) env.emplace_back(entry);
    }
    env.push_back("LEAKAUDIT_RUN_ID=" + run_id);
    env.push_back("LEAKAUDIT_CONTROL_FD=" + std::to_string(pipes.control_number));
    env.push_back("LEAKAUDIT_ACK_FD=" + std::to_string(pipes.ack_number));
    env.push_back("LEAKAUDIT_CONTROL_INO=" + dev_ino(pipes.control_fd));
    env.push_back("LEAKAUDIT_ACK_INO=" + dev_ino(pipes.ack_fd));
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int remaining_ms(Deadline deadline) {
    if (!deadline) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 60'000)) + 1;
}

Unexpected<LaunchError> own_error(const std::string& what) {
    return unexpected(LaunchError{what + ": " + std::strerror(errno), StartFailure::leakaudit});
}

// In the harness, a number is free when leakaudit has nothing there or only a descriptor
// closed on exec; the pipes' own numbers are skipped so the two dup2s cannot collide.
std::vector<int> free_child_numbers(const std::vector<int>& sources) {
    std::vector<int> out;
    for (int n = k_control_fd_floor; out.size() < 2; ++n) {
        if (std::find(sources.begin(), sources.end(), n) != sources.end()) continue;
        int flags = fcntl(n, F_GETFD);
        if (flags < 0 || (flags & FD_CLOEXEC)) out.push_back(n);
    }
    return out;
}

bool passed(Deadline deadline) {
    return deadline && Clock::now() >= *deadline;
}

}  // namespace

Supervisor::Supervisor() {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        m_ready = unexpected(std::string("cannot become child subreaper: ") + std::strerror(errno));
        return;
    }
    sigset_t set = handled_signals();
    sigprocmask(SIG_BLOCK, &set, nullptr);
    m_signal_fd.reset(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!m_signal_fd) m_ready = unexpected(std::string("cannot create a signalfd: ") + std::strerror(errno));
}

Supervisor::~Supervisor() {
    // A signal that came after the last wait (while reaping or reporting) was for this
    // run, which is over: consumed here, not delivered as SIGTERM's default (exit 143)
    // once unblocked (README "Signals").
    signalfd_siginfo info{};
    if (m_signal_fd) {
        while (::read(m_signal_fd.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        }
    }
    sigset_t set = handled_signals();
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

Result<void, LaunchError> Supervisor::launch(const std::vector<std::string>& argv, const std::string& run_id,
                                             HarnessStdout harness_stdout, const std::vector<std::string>& extra_env) {
    // The pipes are leakaudit's: failing to make them is never the harness's fault.
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return own_error("cannot create the control pipe");
    m_control_read.reset(pipe_fds[0]);
    UniqueFd control_write(pipe_fds[1]);
    fcntl(m_control_read.get(), F_SETFL, O_NONBLOCK);
    // The acknowledgement pipe runs the other way: the harness may block on it after
    // `stopped` so that it is still alive, holding what it holds, while it is audited.
    int ack_fds[2];
    if (pipe2(ack_fds, O_CLOEXEC) != 0) return own_error("cannot create the ack pipe");
    m_ack_write.reset(ack_fds[1]);
    UniqueFd ack_read(ack_fds[0]);
    std::vector<int> numbers = free_child_numbers({control_write.get(), ack_read.get()});
    m_control_fd_number = numbers[0];
    m_ack_fd_number = numbers[1];
    std::vector<std::string> env = child_environment(
        run_id, {m_control_fd_number, m_ack_fd_number, control_write.get(), ack_read.get()}, extra_env);
    std::vector<std::string> args = argv;
    std::vector<char*> c_env = c_strings(env);
    std::vector<char*> c_args = c_strings(args);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t empty;
    sigemptyset(&empty);
    sigset_t defaults = handled_signals();
    sigaddset(&defaults, SIGPIPE);  // leakaudit ignores it; an ignored signal survives exec
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (harness_stdout == HarnessStdout::to_stderr) posix_spawn_file_actions_adddup2(&actions, 2, 1);
    // dup2 clears FD_CLOEXEC on the copy: these two, and only these, survive exec.
    posix_spawn_file_actions_adddup2(&actions, control_write.get(), m_control_fd_number);
    posix_spawn_file_actions_adddup2(&actions, ack_read.get(), m_ack_fd_number);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, c_args[0], &actions, &attr, c_args.data(), c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        bool own = rc == EMFILE || rc == ENFILE || rc == ENOMEM || rc == EAGAIN;
        return unexpected(
            LaunchError{args[0] + ": " + std::strerror(rc), own ? StartFailure::leakaudit : StartFailure::harness});
    }

    m_harness_pid = pid;
    // Not reaped yet, so the pid cannot have been reused: the pidfd is the harness's.
    m_harness_pidfd.reset(pidfd_open(pid));
    return {};
}

void Supervisor::acknowledge(std::string_view line) {
    if (!m_ack_write) return;
    // Short lines fit the pipe buffer, so this does not block on a harness that never reads;
    // a full or closed pipe just ends the acknowledgements.
    std::string text = std::string(line) + "\n";
    fcntl(m_ack_write.get(), F_SETFL, O_NONBLOCK);
    if (::write(m_ack_write.get(), text.data(), text.size()) < 0) m_ack_write.reset();
}

void Supervisor::reap_children() {
    for (;;) {
        int status = 0;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid == 0) {
            m_no_children = false;
            return;
        }
        if (pid < 0) {
            if (errno == ECHILD) m_no_children = true;
            if (errno == EINTR) continue;
            return;
        }
        if (pid == m_harness_pid) m_harness_status = status;
    }
}

void Supervisor::handle_signals() {
    signalfd_siginfo info{};
    while (::read(m_signal_fd.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        int sig = static_cast<int>(info.ssi_signo);
        if (sig == SIGCHLD) continue;  // reaped below, whatever the count of coalesced signals
        ++m_interrupts;
        if (!harness_running()) continue;
        // First interrupt: pass it on so the harness can stop its plugin. Second: no more waiting.
        if (m_interrupts == 1) {
            if (m_on_interrupt) m_on_interrupt(sig);
            kill(-m_harness_pid, sig);
        } else {
            pidfd_send_signal(m_harness_pidfd.get(), SIGKILL);
        }
    }
    reap_children();
}

void Supervisor::drain_control(const std::function<void(const ControlEvent&)>& on_event) {
    if (!m_control_read) return;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(m_control_read.get(), buf, sizeof buf);
        if (n > 0) {
            for (ControlEvent& e : m_parser.feed(std::string_view(buf, static_cast<std::size_t>(n)))) {
                if (says(e, ControlMessage::Type::stopped)) m_saw_stopped = true;
                if (says(e, ControlMessage::Type::started)) m_saw_started = true;
                on_event(e);
            }
            continue;
        }
        if (n == 0) {  // every holder of the write end closed it
            for (ControlEvent& e : m_parser.finish()) {
                if (says(e, ControlMessage::Type::stopped)) m_saw_stopped = true;
                if (says(e, ControlMessage::Type::started)) m_saw_started = true;
                on_event(e);
            }
            m_control_read.reset();
        }
        return;
    }
}

bool Supervisor::poll_once(Deadline deadline, int extra_fd) {
    pollfd fds[2] = {{m_signal_fd.get(), POLLIN, 0}, {extra_fd, POLLIN, 0}};
    int rc = ::poll(fds, extra_fd >= 0 ? 2 : 1, remaining_ms(deadline));
    return rc > 0;
}

WaitEnd Supervisor::wait_harness(Deadline deadline, bool stop_on_stopped,
                                 const std::function<void(const ControlEvent&)>& on_event, bool stop_on_started) {
    m_saw_stopped = false;
    m_saw_started = false;
    for (;;) {
        handle_signals();
        drain_control(on_event);
        if (!harness_running()) return WaitEnd::exited;
        if (stop_on_stopped && m_saw_stopped) return WaitEnd::stopped;
        if (stop_on_started && m_saw_started) return WaitEnd::started;
        if (passed(deadline)) return WaitEnd::timed_out;
        poll_once(deadline, m_control_read ? m_control_read.get() : -1);
    }
}

void Supervisor::kill_harness(std::chrono::milliseconds patience) {
    if (!harness_running()) return;
    pidfd_send_signal(m_harness_pidfd.get(), SIGTERM);
    Deadline term_deadline = Clock::now() + patience;
    while (harness_running() && !passed(term_deadline)) {
        poll_once(term_deadline, m_harness_pidfd.get());
        handle_signals();
    }
    if (!harness_running()) return;
    pidfd_send_signal(m_harness_pidfd.get(), SIGKILL);
    while (harness_running()) {
        poll_once(Clock::now() + std::chrono::milliseconds(100), m_harness_pidfd.get());
        handle_signals();
    }
}

bool Supervisor::settle(Deadline deadline) {
    int interrupts_before = m_interrupts;
    for (;;) {
        handle_signals();
        if (m_no_children) return true;
        if (passed(deadline) || m_interrupts > interrupts_before) return false;
        poll_once(deadline, -1);
    }
}

std::optional<int> Supervisor::exit_code() const {
    if (m_harness_status && WIFEXITED(*m_harness_status)) return WEXITSTATUS(*m_harness_status);
    return std::nullopt;
}

std::optional<int> Supervisor::exit_signal() const {
    if (m_harness_status && WIFSIGNALED(*m_harness_status)) return WTERMSIG(*m_harness_status);
    return std::nullopt;
}

}  // namespace leakaudit::os
