// The /proc/net/{tcp,tcp6,udp,udp6,unix} parsers (fallback source, and the view of a
// foreign network namespace through /proc/PID/net), plus the formatting both sources share.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "core/result.hpp"
#include "os/sockets.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {
namespace {

std::uint64_t hex_u64(std::string_view text) {
    std::uint64_t value = 0;
    for (char c : text) {
        int digit = c >= '0' && c <= '9'   ? c - '0'
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                           : -1;
        if (digit < 0) break;
        value = value * 16 + static_cast<std::uint64_t>(digit);
    }
    return value;
}

// "0100007F:1F90": the address is printed as native-order 32-bit words of the
// network-order bytes, so copying each parsed word back restores the bytes.
std::string proc_endpoint(std::string_view field, int family, int& port) {
    std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return "";
    port = static_cast<int>(hex_u64(field.substr(colon + 1)));
    std::array<std::uint32_t, 4> words{};
    std::size_t count = family == AF_INET ? 1 : 4;
    for (std::size_t i = 0; i < count && i * 8 + 8 <= colon; ++i)
        words[i] = static_cast<std::uint32_t>(hex_u64(field.substr(i * 8, 8)));
    return format_endpoint(family, words.data(), port);
}

bool all_zero_address(std::string_view field) {
    return field.find_first_not_of("0:") == std::string_view::npos;
}

Result<std::string> read_file(int proc_dirfd, const std::string& path) {
    UniqueFd fd(::openat(proc_dirfd, path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return unexpected("open " + path + ": " + std::strerror(errno));
    std::string text;
    std::array<char, 65536> buf{};
    for (ssize_t n; (n = ::read(fd.get(), buf.data(), buf.size())) > 0;)
        text.append(buf.data(), static_cast<std::size_t>(n));
    return text;
}

std::string unix_state(std::uint64_t flags, int st) {
    constexpr std::uint64_t k_accept_con = 0x10000;  // __SO_ACCEPTCON: a listening socket
    if (flags & k_accept_con) return "listen";
    switch (st) {
        case 1:
            return "unconn";
        case 2:
            return "connecting";
        case 3:
            return "established";
        case 4:
            return "disconnecting";
        default:
            return "unknown";
    }
}

}  // namespace

std::string tcp_state_name(int state) {
    static constexpr std::array<const char*, 13> k_names = {
        "unknown", "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2",  "time-wait",
        "close",   "close-wait",  "last-ack", "listen",   "closing",    "new-syn-recv"};
    if (state < 0 || state >= static_cast<int>(k_names.size())) return "unknown";
    return k_names[static_cast<std::size_t>(state)];
}

std::string socket_state_name(std::string_view proto, int state) {
    bool connectionless_close = state == TCP_CLOSE && !proto.starts_with("tcp");
    return connectionless_close ? "unconn" : tcp_state_name(state);
}

std::string format_endpoint(int family, const void* addr, int port) {
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (!::inet_ntop(family, addr, text.data(), text.size())) return "";
    // Built by appending: "[" + std::string trips a GCC 12 -Wrestrict false positive.
    std::string endpoint;
    if (family == AF_INET6) endpoint += '[';
    endpoint += text.data();
    if (family == AF_INET6) endpoint += ']';
    endpoint += ':';
    endpoint += std::to_string(port);
    return endpoint;
}

void parse_proc_net_inet(std::istream& in, std::string_view proto, std::uint64_t netns, std::vector<Socket>& out) {
    int family = proto.ends_with("6") ? AF_INET6 : AF_INET;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
        std::uint64_t inode = 0;
        if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
            continue;
        if (inode == 0) continue;  // same rule as the netlink reader
        Socket s;
        s.inode = inode;
        s.proto = proto;
        s.state = socket_state_name(proto, static_cast<int>(hex_u64(state)));
        s.local = proc_endpoint(local, family, s.local_port);
        int remote_port = 0;
        std::string remote_text = proc_endpoint(remote, family, remote_port);
        if (!all_zero_address(remote)) {
            s.remote = remote_text;
            s.remote_port = remote_port;
        }
        s.netns = netns;
        out.push_back(std::move(s));
    }
}

void parse_proc_net_unix(std::istream& in, std::uint64_t netns, std::vector<Socket>& out) {
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string slot, refs, protocol, flags, type, st;
        std::uint64_t inode = 0;
        if (!(fields >> slot >> refs >> protocol >> flags >> type >> st >> inode)) continue;
        Socket s;
        s.inode = inode;
        s.proto = "unix";
        s.state = unix_state(hex_u64(flags), static_cast<int>(hex_u64(st)));
        std::string rest;
        std::getline(fields, rest);
        std::size_t begin = rest.find_first_not_of(' ');
        if (begin != std::string::npos) s.path = rest.substr(begin);  // '@' already marks abstract names
        s.netns = netns;
        out.push_back(std::move(s));
    }
}

SocketTable read_sockets_procfs(int proc_dirfd, int pid) {
    SocketTable table;
    std::string prefix = pid == 0 ? "net/" : std::to_string(pid) + "/net/";
    std::uint64_t netns = netns_of(proc_dirfd, pid).value_or(0);
    bool any = false;
    for (const char* proto : {"tcp", "tcp6", "udp", "udp6", "unix"}) {
        Result<std::string> contents = read_file(proc_dirfd, prefix + proto);
        if (!contents) {
            table.warnings.push_back(contents.error().message);  // e.g. tcp6 without IPv6: the others still count
            continue;
        }
        std::istringstream text(std::move(*contents));
        any = true;
        if (std::string_view(proto) == "unix")
            parse_proc_net_unix(text, netns, table.sockets);
        else
            parse_proc_net_inet(text, proto, netns, table.sockets);
    }
    if (any) table.source = "procfs";
    return table;
}

}  // namespace leakaudit::os
