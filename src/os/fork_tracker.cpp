// Events are handled in the order the kernel sent them, so a pid that the run used and
// an unrelated process reused later is recognised as such (marked ambiguous).
#include "os/fork_tracker.hpp"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace leakaudit::os {

namespace {

constexpr int k_receive_buffer = 8 << 20;  // bursts of forks (500 orphans) must not overflow it

// nlmsghdr + cn_msg + the op, laid out by hand: cn_msg ends in a flexible array member.
Result<void> send_listen(int socket_fd) {
    alignas(nlmsghdr) char request[NLMSG_HDRLEN + sizeof(cn_msg) + sizeof(proc_cn_mcast_op)] = {};
    nlmsghdr header{};
    header.nlmsg_len = sizeof request;
    header.nlmsg_type = NLMSG_DONE;
    cn_msg message{};
    message.id.idx = CN_IDX_PROC;
    message.id.val = CN_VAL_PROC;
    message.len = sizeof(proc_cn_mcast_op);
    proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
    std::memcpy(request, &header, sizeof header);
    std::memcpy(request + NLMSG_HDRLEN, &message, sizeof message);
    std::memcpy(request + NLMSG_HDRLEN + sizeof message, &op, sizeof op);
    if (::send(socket_fd, request, sizeof request, 0) < 0) {
        return unexpected(std::string("cannot subscribe to process events: ") + std::strerror(errno));
    }
    return {};
}

}  // namespace

ForkTracker::~ForkTracker() {
    stop();
}

Result<void> ForkTracker::start(int root_pid) {
    m_socket.reset(::socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR));
    if (!m_socket) return unexpected(std::string("no process-events connector: ") + std::strerror(errno));
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    address.nl_groups = CN_IDX_PROC;
    if (::bind(m_socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        return unexpected(std::string("cannot listen to process events: ") + std::strerror(errno));
    }
    int size = k_receive_buffer;
    if (setsockopt(m_socket.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
        setsockopt(m_socket.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    if (Result<void> sent = send_listen(m_socket.get()); !sent) return sent;
    m_stop_event.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    m_live.insert(root_pid);
    m_history.available = true;
    m_running = true;
    m_thread = std::thread([this] { reader_loop(); });
    return {};
}

void ForkTracker::add_roots(const std::vector<int>& pids) {
    std::lock_guard lock(m_mutex);
    for (int pid : pids) {
        m_live.insert(pid);
        m_history.forked_by.emplace(pid, 0);  // forked before the watch: no known forker
    }
}

ForkHistory ForkTracker::history_now() {
    std::lock_guard lock(m_mutex);
    return m_history;
}

std::optional<bool> ForkTracker::is_run_pid(int pid) {
    std::lock_guard lock(m_mutex);
    if (!m_running || m_history.lost_events || m_history.ambiguous.count(pid)) return std::nullopt;
    return m_history.forked_by.count(pid) > 0;
}

ForkHistory ForkTracker::stop() {
    if (m_running.exchange(false)) {
        std::uint64_t one = 1;
        if (::write(m_stop_event.get(), &one, sizeof one) < 0) { /* the thread then ends on its poll timeout */
        }
        m_thread.join();
    }
    std::lock_guard lock(m_mutex);
    return m_history;
}

void ForkTracker::reader_loop() {
    for (;;) {
        pollfd fds[2] = {{m_socket.get(), POLLIN, 0}, {m_stop_event.get(), POLLIN, 0}};
        ::poll(fds, 2, 200);
        bool stopping = !m_running || (fds[1].revents & POLLIN);
        {
            // Drain what is queued, even when stopping: those forks happened before the stop.
            std::lock_guard lock(m_mutex);
            drain_locked();
        }
        if (stopping) return;
    }
}

// Reading and handling under one lock keeps events in the kernel's order when
// born_alive() drains from another thread.
void ForkTracker::drain_locked() {
    alignas(nlmsghdr) static thread_local char buffer[64 * 1024];
    for (;;) {
        ssize_t n = ::recv(m_socket.get(), buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            handle(buffer, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == ENOBUFS) {
            m_history.lost_events = true;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return;
    }
}

std::optional<std::vector<int>> ForkTracker::born_alive() {
    std::lock_guard lock(m_mutex);
    if (!m_socket || !m_history.available) return std::nullopt;
    drain_locked();
    if (m_history.lost_events || m_born_overflow) return std::nullopt;
    return std::vector<int>(m_born.begin(), m_born.end());
}

void ForkTracker::handle(const char* data, std::size_t length) {
    std::size_t offset = 0;
    while (offset + sizeof(nlmsghdr) <= length) {
        nlmsghdr header;
        std::memcpy(&header, data + offset, sizeof header);
        if (header.nlmsg_len < sizeof header || offset + header.nlmsg_len > length) return;
        const char* payload = data + offset + NLMSG_HDRLEN;
        std::size_t payload_len = header.nlmsg_len - NLMSG_HDRLEN;
        offset += NLMSG_ALIGN(header.nlmsg_len);
        if (payload_len < sizeof(cn_msg) + sizeof(proc_event)) continue;
        cn_msg message;
        std::memcpy(&message, payload, sizeof message);
        if (message.id.idx != CN_IDX_PROC) continue;
        proc_event event;
        std::memcpy(&event, payload + sizeof(cn_msg), sizeof event);
        if (event.what == proc_event::PROC_EVENT_FORK) {
            const auto& fork = event.event_data.fork;
            if (fork.child_pid == fork.child_tgid) on_fork(fork.parent_tgid, fork.child_tgid);  // not a thread
        } else if (event.what == proc_event::PROC_EVENT_EXIT) {
            const auto& exit = event.event_data.exit;
            if (exit.process_pid == exit.process_tgid) on_exit(exit.process_tgid);
        }
    }
}

void ForkTracker::on_fork(int parent, int child) {
    if (m_born.size() < k_max_born)
        m_born.insert(child);
    else
        m_born_overflow = true;
    if (m_live.count(parent)) {
        m_live.insert(child);
        m_history.forked_by[child] = parent;
    } else if (m_history.forked_by.count(child)) {
        m_history.ambiguous.insert(child);  // a run pid, reused by an unrelated process
        m_live.erase(child);
    }
}

void ForkTracker::on_exit(int pid) {
    m_live.erase(pid);
    m_born.erase(pid);
}

}  // namespace leakaudit::os
