// Netlink sock_diag reader (the fast, exact source; what `ss` uses) and the choice of
// source per network namespace. /proc/net parsing lives in socket_procfs.cpp.
#include "os/sockets.hpp"

#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <thread>

#include "os/unique_fd.hpp"

namespace leakaudit::os {
namespace {

using MessageHandler = std::function<void(const nlmsghdr&)>;

template <typename T>
const T* payload(const nlmsghdr& msg) {
    return reinterpret_cast<const T*>(reinterpret_cast<const char*>(&msg) + NLMSG_HDRLEN);
}

// Sends one dump request and feeds every answer to `handle`; "" on success, else why not.
std::string netlink_dump(int sock, const void* request, std::size_t length, const MessageHandler& handle) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(sock, request, length, 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) < 0)
        return std::string("netlink send: ") + std::strerror(errno);
    alignas(nlmsghdr) static thread_local std::array<char, 65536> buf;
    for (;;) {
        ssize_t got = ::recv(sock, buf.data(), buf.size(), 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return std::string("netlink recv: ") + std::strerror(errno);
        int left = static_cast<int>(got);
        for (auto* msg = reinterpret_cast<const nlmsghdr*>(buf.data()); NLMSG_OK(msg, left);
             msg = NLMSG_NEXT(msg, left)) {
            if (msg->nlmsg_type == NLMSG_DONE) return "";
            if (msg->nlmsg_type == NLMSG_ERROR) {
                int err = -payload<nlmsgerr>(*msg)->error;
                return std::string("sock_diag: ") + std::strerror(err);
            }
            handle(*msg);
        }
    }
}

void add_inet(const nlmsghdr& msg, std::string_view proto, std::uint64_t netns, std::vector<Socket>& out) {
    const auto* diag = payload<inet_diag_msg>(msg);
    if (diag->idiag_inode == 0) return;  // TIME_WAIT / request socks: no process holds them
    Socket s;
    s.inode = diag->idiag_inode;
    s.proto = proto;
    s.state = socket_state_name(proto, diag->idiag_state);
    s.local_port = ntohs(diag->id.idiag_sport);
    s.remote_port = ntohs(diag->id.idiag_dport);
    s.local = format_endpoint(diag->idiag_family, diag->id.idiag_src, s.local_port);
    std::array<std::uint32_t, 4> zero{};
    bool no_peer = s.remote_port == 0 && std::memcmp(diag->id.idiag_dst, zero.data(), sizeof zero) == 0;
    if (!no_peer) s.remote = format_endpoint(diag->idiag_family, diag->id.idiag_dst, s.remote_port);
    s.netns = netns;
    out.push_back(std::move(s));
}

// Abstract names start with a NUL, shown as '@' like ss and /proc/net/unix do.
std::string unix_name(const char* data, std::size_t length) {
    if (length == 0) return "";
    if (data[0] == '\0') {
        std::string name("@");  // appended, not "@" + string: GCC 12 -Wrestrict false positive
        name.append(data + 1, length - 1);
        return name;
    }
    std::string path(data, length);
    while (!path.empty() && path.back() == '\0')
        path.pop_back();
    return path;
}

void add_unix(const nlmsghdr& msg, std::uint64_t netns, std::vector<Socket>& out) {
    const auto* diag = payload<unix_diag_msg>(msg);
    Socket s;
    s.inode = diag->udiag_ino;
    s.proto = "unix";
    s.state = socket_state_name("unix", diag->udiag_state);
    s.netns = netns;
    int left = static_cast<int>(msg.nlmsg_len - NLMSG_LENGTH(sizeof *diag));
    for (auto* attr = reinterpret_cast<const rtattr*>(diag + 1); RTA_OK(attr, left); attr = RTA_NEXT(attr, left)) {
        const char* data = static_cast<const char*>(RTA_DATA(attr));
        if (attr->rta_type == UNIX_DIAG_NAME) s.path = unix_name(data, RTA_PAYLOAD(attr));
        if (attr->rta_type == UNIX_DIAG_PEER) {
            std::uint32_t peer = 0;
            std::memcpy(&peer, data, sizeof peer);
            s.peer_inode = peer;
        }
    }
    out.push_back(std::move(s));
}

// A sock_diag dump request for one family: the netlink header, then `Body`.
template <class Body>
struct DumpRequest {
    nlmsghdr header;
    Body body;
};

template <class Body>
DumpRequest<Body> dump_request(std::uint8_t family) {
    DumpRequest<Body> req{};
    req.header.nlmsg_len = sizeof req;
    req.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.body.sdiag_family = family;
    return req;
}

std::string dump_inet(int sock, int family, int protocol, std::uint64_t netns, std::vector<Socket>& out) {
    auto req = dump_request<inet_diag_req_v2>(static_cast<std::uint8_t>(family));
    req.body.sdiag_protocol = static_cast<std::uint8_t>(protocol);
    req.body.idiag_states = ~0u;
    std::string proto = protocol == IPPROTO_TCP ? "tcp" : "udp";
    if (family == AF_INET6) proto += "6";
    return netlink_dump(sock, &req, sizeof req, [&](const nlmsghdr& msg) { add_inet(msg, proto, netns, out); });
}

std::string dump_unix(int sock, std::uint64_t netns, std::vector<Socket>& out) {
    auto req = dump_request<unix_diag_req>(AF_UNIX);
    req.body.udiag_states = ~0u;
    req.body.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_VFS;
    return netlink_dump(sock, &req, sizeof req, [&](const nlmsghdr& msg) { add_unix(msg, netns, out); });
}

// Runs netlink from a thread that joined pid's namespace: setns(CLONE_NEWNET) affects
// only the calling thread, and a socket stays in the namespace it was created in.
SocketTable read_netlink_in_netns(int proc_dirfd, int pid, std::uint64_t netns) {
    std::array<char, 32> path{};
    std::snprintf(path.data(), path.size(), "%d/ns/net", pid);
    UniqueFd ns(::openat(proc_dirfd, path.data(), O_RDONLY | O_CLOEXEC));
    SocketTable table;
    if (!ns) {
        table.warnings.push_back(std::string("open ") + path.data() + ": " + std::strerror(errno));
        return table;
    }
    std::thread helper([&] {
        if (::setns(ns.get(), CLONE_NEWNET) != 0) {
            table.warnings.push_back(std::string("setns into netns of pid ") + std::to_string(pid) + ": " +
                                     std::strerror(errno));
            return;
        }
        table = read_sockets_netlink(netns);
    });
    helper.join();
    return table;
}

void append_warnings(SocketTable& into, const SocketTable& from) {
    into.warnings.insert(into.warnings.end(), from.warnings.begin(), from.warnings.end());
}

}  // namespace

std::optional<std::uint64_t> netns_of(int proc_dirfd, int pid) {
    std::array<char, 32> path{};
    std::snprintf(path.data(), path.size(), pid == 0 ? "self/ns/net" : "%d/ns/net", pid);
    struct stat st {};
    if (::fstatat(proc_dirfd, path.data(), &st, 0) != 0) return std::nullopt;
    return st.st_ino;
}

SocketTable read_sockets_netlink(std::uint64_t netns) {
    SocketTable table;
    UniqueFd sock(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!sock) {
        table.warnings.push_back(std::string("netlink socket: ") + std::strerror(errno));
        return table;
    }
    for (int family : {AF_INET, AF_INET6}) {
        for (int protocol : {IPPROTO_TCP, IPPROTO_UDP}) {
            std::string err = dump_inet(sock.get(), family, protocol, netns, table.sockets);
            if (!err.empty()) table.warnings.push_back(err);
        }
    }
    std::string err = dump_unix(sock.get(), netns, table.sockets);
    if (!err.empty()) table.warnings.push_back(err);
    if (table.warnings.empty()) table.source = "netlink";
    return table;
}

SocketTable read_sockets(int proc_dirfd) {
    std::uint64_t netns = netns_of(proc_dirfd, 0).value_or(0);
    SocketTable table = read_sockets_netlink(netns);
    if (!table.source.empty()) return table;
    SocketTable fallback = read_sockets_procfs(proc_dirfd, 0);
    append_warnings(fallback, table);
    return fallback;
}

SocketTable read_sockets_of(int proc_dirfd, int pid) {
    std::optional<std::uint64_t> ours = netns_of(proc_dirfd, 0);
    std::optional<std::uint64_t> theirs = netns_of(proc_dirfd, pid);
    if (!theirs || theirs == ours) return read_sockets(proc_dirfd);
    SocketTable table = read_netlink_in_netns(proc_dirfd, pid, *theirs);
    if (!table.source.empty()) return table;
    SocketTable fallback = read_sockets_procfs(proc_dirfd, pid);
    append_warnings(fallback, table);
    return fallback;
}

}  // namespace leakaudit::os
