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

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string_view>
#include <thread>

#include "core/result.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {
namespace {

// The receive buffer makes no alignment promise for the structs inside it, so every
// header and body is copied out with memcpy rather than cast in place.
using MessageHandler = std::function<void(std::string_view body)>;
using SocketSink = std::function<void(Socket&&)>;

constexpr std::size_t k_netlink_align = 4;  // NLMSG_ALIGNTO, RTA_ALIGNTO

std::size_t netlink_aligned(std::size_t length) {
    return (length + k_netlink_align - 1) & ~(k_netlink_align - 1);
}

// `T` copied from the start of `bytes`; zero where `bytes` is shorter than a T.
template <class T>
T read_as(std::string_view bytes) {
    T value{};
    std::memcpy(&value, bytes.data(), std::min(bytes.size(), sizeof value));
    return value;
}

// The bytes of a record after its header (NLMSG_DATA, RTA_DATA).
template <class Header>
std::string_view body_of(std::string_view record) {
    return record.substr(std::min(record.size(), netlink_aligned(sizeof(Header))));
}

std::size_t record_length(const nlmsghdr& header) {
    return header.nlmsg_len;
}
std::size_t record_length(const rtattr& header) {
    return header.rta_len;
}

// Calls `each(header, record)` for every whole record in `bytes`, stopping when it
// returns false. A record starts with a Header holding its length (nlmsghdr, rtattr);
// the next starts at that length rounded up to 4: NLMSG_OK/NLMSG_NEXT and
// RTA_OK/RTA_NEXT, on byte offsets.
template <class Header, class Each>
void for_each_record(std::string_view bytes, const Each& each) {
    while (bytes.size() >= sizeof(Header)) {
        auto header = read_as<Header>(bytes);
        std::size_t length = record_length(header);
        if (length < sizeof(Header) || length > bytes.size()) return;
        if (!each(header, bytes.substr(0, length))) return;
        bytes.remove_prefix(std::min(netlink_aligned(length), bytes.size()));
    }
}

// Sends one dump request and feeds every answer's body to `handle`, or says why not.
Result<void> netlink_dump(int sock, const void* request, std::size_t length, const MessageHandler& handle) {
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(sock, request, length, 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) < 0)
        return unexpected(std::string("netlink send: ") + std::strerror(errno));
    static thread_local std::array<char, 65536> buf;
    for (;;) {
        ssize_t got = ::recv(sock, buf.data(), buf.size(), 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return unexpected(std::string("netlink recv: ") + std::strerror(errno));
        bool finished = false;
        Result<void> outcome;
        for_each_record<nlmsghdr>(std::string_view(buf.data(), static_cast<std::size_t>(got)),
                                  [&](const nlmsghdr& header, std::string_view record) {
                                      finished = header.nlmsg_type == NLMSG_DONE || header.nlmsg_type == NLMSG_ERROR;
                                      if (header.nlmsg_type == NLMSG_ERROR) {
                                          int err = -read_as<nlmsgerr>(body_of<nlmsghdr>(record)).error;
                                          outcome = unexpected(std::string("sock_diag: ") + std::strerror(err));
                                      }
                                      if (!finished) handle(body_of<nlmsghdr>(record));
                                      return !finished;
                                  });
        if (finished) return outcome;
    }
}

void add_inet(std::string_view body, std::string_view proto, std::uint64_t netns, const SocketSink& out) {
    const auto diag = read_as<inet_diag_msg>(body);
    if (diag.idiag_inode == 0) return;  // TIME_WAIT / request socks: no process holds them
    Socket s;
    s.inode = diag.idiag_inode;
    s.proto = proto;
    s.state = socket_state_name(proto, diag.idiag_state);
    s.local_port = ntohs(diag.id.idiag_sport);
    s.remote_port = ntohs(diag.id.idiag_dport);
    s.local = format_endpoint(diag.idiag_family, diag.id.idiag_src, s.local_port);
    std::array<std::uint32_t, 4> zero{};
    bool no_peer = s.remote_port == 0 && std::memcmp(diag.id.idiag_dst, zero.data(), sizeof zero) == 0;
    if (!no_peer) s.remote = format_endpoint(diag.idiag_family, diag.id.idiag_dst, s.remote_port);
    s.netns = netns;
    out(std::move(s));
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

void add_unix(std::string_view body, std::uint64_t netns, const SocketSink& out) {
    const auto diag = read_as<unix_diag_msg>(body);
    Socket s;
    s.inode = diag.udiag_ino;
    s.proto = "unix";
    s.state = socket_state_name("unix", diag.udiag_state);
    s.netns = netns;
    std::string_view attributes = body.substr(std::min(body.size(), netlink_aligned(sizeof diag)));
    for_each_record<rtattr>(attributes, [&](const rtattr& attr, std::string_view record) {
        std::string_view data = body_of<rtattr>(record);
        if (attr.rta_type == UNIX_DIAG_NAME) s.path = unix_name(data.data(), data.size());
        if (attr.rta_type == UNIX_DIAG_PEER) s.peer_inode = read_as<std::uint32_t>(data);
        return true;
    });
    out(std::move(s));
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

// `states` ~0u: every socket; 0: none, which only checks that the kernel can answer.
Result<void> dump_inet(int sock, int family, int protocol, std::uint64_t netns, const SocketSink& out,
                       std::uint32_t states = ~0u) {
    auto req = dump_request<inet_diag_req_v2>(static_cast<std::uint8_t>(family));
    req.body.sdiag_protocol = static_cast<std::uint8_t>(protocol);
    req.body.idiag_states = states;
    std::string proto = protocol == IPPROTO_TCP ? "tcp" : "udp";
    if (family == AF_INET6) proto += "6";
    return netlink_dump(sock, &req, sizeof req, [&](std::string_view body) { add_inet(body, proto, netns, out); });
}

Result<void> dump_unix(int sock, std::uint64_t netns, const SocketSink& out, std::uint32_t states = ~0u) {
    auto req = dump_request<unix_diag_req>(AF_UNIX);
    req.body.udiag_states = states;
    req.body.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_VFS;
    return netlink_dump(sock, &req, sizeof req, [&](std::string_view body) { add_unix(body, netns, out); });
}

// The five sock_diag dumps (TCP, UDP over IPv4 and IPv6, then unix) with `states`;
// each failure is one warning.
std::vector<std::string> dump_all_netlink(std::uint64_t netns, const SocketSink& out, std::uint32_t states = ~0u) {
    std::vector<std::string> warnings;
    UniqueFd sock(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!sock) {
        warnings.push_back(std::string("netlink socket: ") + std::strerror(errno));
        return warnings;
    }
    for (int family : {AF_INET, AF_INET6}) {
        for (int protocol : {IPPROTO_TCP, IPPROTO_UDP}) {
            Result<void> dumped = dump_inet(sock.get(), family, protocol, netns, out, states);
            if (!dumped) warnings.push_back(dumped.error().message);
        }
    }
    Result<void> dumped = dump_unix(sock.get(), netns, out, states);
    if (!dumped) warnings.push_back(dumped.error().message);
    return warnings;
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
    table.warnings = dump_all_netlink(netns, [&table](Socket&& s) { table.sockets.push_back(std::move(s)); });
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

SocketStream stream_sockets(int proc_dirfd, const std::function<void(Socket&&)>& emit) {
    std::uint64_t netns = netns_of(proc_dirfd, 0).value_or(0);
    // A dump of no socket fails as a real one would (no sock_diag module, no
    // permission): then /proc/net is read whole, as read_sockets does.
    std::vector<std::string> probe = dump_all_netlink(
        netns, [](Socket&&) {}, 0);
    if (probe.empty()) return {dump_all_netlink(netns, emit)};
    SocketTable fallback = read_sockets_procfs(proc_dirfd, 0);
    fallback.warnings.insert(fallback.warnings.end(), probe.begin(), probe.end());
    for (Socket& s : fallback.sockets)
        emit(std::move(s));
    return {std::move(fallback.warnings)};
}

}  // namespace leakaudit::os
