// One poll() loop over the signalfd, the host's pidfd, standard input and the control
// FIFO. A FIFO reader gets EOF whenever its last writer closes, so leakaudit keeps a
// writer of its own open: a host may open, write a line and close, many times.
#include "os/host_watch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "os/pidfd.hpp"

namespace leakaudit::os {

namespace {

sigset_t watched_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

Unexpected<> errno_text(const std::string& what) {
    return unexpected(what + ": " + std::strerror(errno));
}

bool readable(const pollfd& p) {
    return (p.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
}

StdinUse stdin_use_now() {
    if (fcntl(0, F_GETFD) < 0) return StdinUse::ignored_closed;
    if (isatty(0) && tcgetpgrp(0) != getpgrp()) return StdinUse::ignored_background;
    return StdinUse::read;
}

}  // namespace

// The signals stay blocked: one that arrives while the report is written is consumed,
// not the end of leakaudit before it could return its exit code.
HostWatch::~HostWatch() {
    close_control();
}

Result<void> HostWatch::start(int host_pid) {
    sigset_t set = watched_signals();
    if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return errno_text("cannot block signals");
    m_signal_fd.reset(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!m_signal_fd) return errno_text("cannot create a signalfd");
    m_host_pidfd.reset(pidfd_open(host_pid));
    if (!m_host_pidfd) return errno_text("cannot open a pidfd for " + std::to_string(host_pid));
    m_stdin = stdin_use_now();
    return {};
}

Result<void> HostWatch::open_control(const std::string& path, std::optional<std::uint32_t> owner_uid) {
    if (::mkfifo(path.c_str(), 0600) != 0) return errno_text("--control " + path);
    m_control_path = path;
    m_control_read.reset(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!m_control_read) return errno_text("--control " + path);
    struct stat st {};
    // What was opened must be the FIFO just made, not something swapped in meanwhile.
    if (fstat(m_control_read.get(), &st) != 0 || !S_ISFIFO(st.st_mode))
        return unexpected("--control " + path + ": not a FIFO");
    m_control_inode = st.st_ino;
    if (owner_uid && *owner_uid != st.st_uid && fchown(m_control_read.get(), *owner_uid, static_cast<gid_t>(-1)) != 0)
        return errno_text("--control " + path + ": cannot give it to uid " + std::to_string(*owner_uid));
    m_control_keepalive.reset(::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
    return {};
}

void HostWatch::close_control() {
    m_control_keepalive.reset();
    m_control_read.reset();
    if (!m_control_path.empty()) ::unlink(m_control_path.c_str());
    m_control_path.clear();
}

bool HostWatch::host_exited() const {
    pollfd p{m_host_pidfd.get(), POLLIN, 0};
    return m_host_pidfd && ::poll(&p, 1, 0) > 0;
}

bool HostWatch::read_stdin() {
    char buffer[4096];
    ssize_t n = ::read(0, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return false;
    if (n <= 0) {  // end of input (Ctrl-D, /dev/null) is not Enter: stop reading it
        m_stdin = StdinUse::ignored_eof;
        return false;
    }
    return std::memchr(buffer, '\n', static_cast<std::size_t>(n)) != nullptr;
}

void HostWatch::read_control(const std::function<void(const ControlEvent&)>& on_event, bool& stopped) {
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(m_control_read.get(), buffer, sizeof buffer);
        if (n <= 0) return;
        for (const ControlEvent& e : m_parser.feed(std::string_view(buffer, static_cast<std::size_t>(n)))) {
            on_event(e);
            if (says(e, ControlMessage::Type::stopped)) stopped = true;
        }
    }
}

AttachEnd HostWatch::wait(const std::function<void(const ControlEvent&)>& on_event) {
    for (;;) {
        pollfd fds[4] = {{m_signal_fd.get(), POLLIN, 0},
                         {m_host_pidfd.get(), POLLIN, 0},
                         {m_stdin == StdinUse::read ? 0 : -1, POLLIN, 0},
                         {m_control_read ? m_control_read.get() : -1, POLLIN, 0}};
        if (::poll(fds, 4, -1) < 0) {
            if (errno == EINTR) continue;
            return AttachEnd::signal;  // cannot wait any longer: report what there is
        }
        if (readable(fds[0])) {
            signalfd_siginfo info;
            while (::read(m_signal_fd.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
            }
            return AttachEnd::signal;
        }
        bool stopped = false;
        if (readable(fds[3])) read_control(on_event, stopped);
        if (stopped) return AttachEnd::control_stopped;
        if (readable(fds[2]) && read_stdin()) return AttachEnd::enter;
        if (readable(fds[1])) return AttachEnd::host_exited;
    }
}

bool HostWatch::wait_exits(const std::vector<int>& pids, std::chrono::steady_clock::time_point deadline) {
    std::vector<UniqueFd> pidfds;
    std::vector<pollfd> fds{{m_signal_fd.get(), POLLIN, 0}};
    for (int pid : pids) {
        UniqueFd fd(pidfd_open(pid));
        if (!fd) continue;  // gone already
        fds.push_back({fd.get(), POLLIN, 0});
        pidfds.push_back(std::move(fd));
    }
    while (fds.size() > 1) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) return false;
        if (readable(fds[0])) return false;  // the user wants the report now
        std::vector<pollfd> still{fds[0]};
        for (std::size_t i = 1; i < fds.size(); ++i) {
            if (!readable(fds[i])) still.push_back({fds[i].fd, POLLIN, 0});
        }
        fds = std::move(still);
    }
    return true;
}

}  // namespace leakaudit::os
