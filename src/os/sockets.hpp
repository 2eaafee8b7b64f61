// Reads the socket table: TCP/UDP over IPv4/IPv6 and unix sockets, through netlink
// sock_diag, with /proc/net/* parsing as the fallback and for foreign network namespaces.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit::os {

struct SocketTable {
    std::vector<Socket> sockets;
    std::vector<std::string> warnings;  // why a source failed, said once
    std::string source;                 // "netlink", "procfs", or "" when nothing could be read
};

// Our own network namespace: netlink, else <proc>/net/{tcp,tcp6,udp,udp6,unix}.
SocketTable read_sockets(int proc_dirfd);

// The namespace of `pid`. Same as ours: read_sockets. Otherwise netlink from a helper
// thread that joined the namespace (setns needs CAP_SYS_ADMIN), else <proc>/PID/net/*.
SocketTable read_sockets_of(int proc_dirfd, int pid);

// For `snapshot`: the sockets of our own namespace handed to `emit` as the kernel
// answers, none kept. Netlink when its five dumps can be made (checked first with dumps
// of no socket), else /proc/net, as read_sockets chooses. A dump that fails midway
// (after the check) leaves that dump's tail out, with a warning.
struct SocketStream {
    std::vector<std::string> warnings;
};
SocketStream stream_sockets(int proc_dirfd, const std::function<void(Socket&&)>& emit);

// The parts, for callers and tests that want one source only. Sockets that no process
// can hold (inode 0: TIME_WAIT, half-open requests) are left out.
SocketTable read_sockets_netlink(std::uint64_t netns);
SocketTable read_sockets_procfs(int proc_dirfd, int pid);  // pid 0: <proc>/net, ours

// Inode of <proc>/PID/ns/net (pid 0: ours); nullopt when unreadable.
std::optional<std::uint64_t> netns_of(int proc_dirfd, int pid);

// Pure helpers, exposed for tests.
std::string tcp_state_name(int state);                                // TCP_* → "listen", "close-wait"…
std::string socket_state_name(std::string_view proto, int state);     // UDP/unix TCP_CLOSE → "unconn"
std::string format_endpoint(int family, const void* addr, int port);  // "1.2.3.4:5", "[::1]:80"
void parse_proc_net_inet(std::istream& in, std::string_view proto, std::uint64_t netns, std::vector<Socket>& out);
void parse_proc_net_unix(std::istream& in, std::uint64_t netns, std::vector<Socket>& out);

}  // namespace leakaudit::os
