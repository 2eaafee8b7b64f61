// What `leakaudit attach PID` waits on while the user starts and stops the plugin by
// hand: a newline on its standard input, SIGINT/SIGTERM/SIGHUP (through a signalfd),
// the host's exit (a pidfd), and the --control FIFO (README, "Attach to a running host").
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/attach_outcome.hpp"
#include "core/control_protocol.hpp"
#include "core/result.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

enum class StdinUse { read, ignored_eof, ignored_background, ignored_closed };

class HostWatch {
public:
    HostWatch() = default;
    HostWatch(const HostWatch&) = delete;
    HostWatch& operator=(const HostWatch&) = delete;
    ~HostWatch();

    // Blocks SIGINT/SIGTERM/SIGHUP into a signalfd and pins the host with a pidfd (whose
    // start time the caller checks). Fails saying why not.
    Result<void> start(int host_pid);
    // Makes the FIFO at `path` (it must not exist), 0600, owned by `owner_uid` when given
    // (root attaching to another user's host), and reads it. Fails saying why not.
    Result<void> open_control(const std::string& path, std::optional<std::uint32_t> owner_uid);
    // Standard input is read unless it is closed, or a terminal whose foreground is another
    // process group (reading would stop leakaudit with SIGTTIN).
    StdinUse stdin_use() const { return m_stdin; }

    // Until a newline on stdin, a signal, `stopped` on the FIFO or the host's exit. Every
    // control event is handed to on_event as it arrives.
    AttachEnd wait(const std::function<void(const ControlEvent&)>& on_event);
    bool host_exited() const;
    // Until every process in `pids` has exited, the deadline passes or a signal comes:
    // true when they all exited.
    bool wait_exits(const std::vector<int>& pids, std::chrono::steady_clock::time_point deadline);
    // The FIFO's inode: the host holding it open is attach's business, not a leak.
    std::uint64_t control_inode() const { return m_control_inode; }
    long long control_lines_skipped() const { return m_parser.skipped_lines(); }
    // Removes the FIFO (also done on destruction).
    void close_control();

private:
    bool read_stdin();  // true on a newline
    void read_control(const std::function<void(const ControlEvent&)>& on_event, bool& stopped);

    UniqueFd m_signal_fd;
    UniqueFd m_host_pidfd;
    UniqueFd m_control_read;
    UniqueFd m_control_keepalive;  // our own writer: a host that closes its end is no EOF
    std::string m_control_path;
    std::uint64_t m_control_inode = 0;
    StdinUse m_stdin = StdinUse::read;
    ControlParser m_parser;
};

}  // namespace leakaudit::os
