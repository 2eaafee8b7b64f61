// read_sockets against real TCP/UDP/unix sockets this test opens (ports from bind(0)).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <sstream>

#include "os/sockets.hpp"
#include "os/unique_fd.hpp"
#include "os_test_support.hpp"
#include "support/skip.hpp"

using namespace leakaudit;
using leakaudit::os::UniqueFd;

namespace {

std::uint64_t inode_of(int fd) {
    struct stat st {};
    ::fstat(fd, &st);
    return st.st_ino;
}

const Socket* find_inode(const os::SocketTable& table, std::uint64_t inode) {
    auto it =
        std::find_if(table.sockets.begin(), table.sockets.end(), [&](const Socket& s) { return s.inode == inode; });
    return it == table.sockets.end() ? nullptr : &*it;
}

int bound_port(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return addr.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port)
                                     : ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
}

UniqueFd inet_socket(int type, const char* ip, bool listen_too) {
    UniqueFd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, ip, &addr.sin_addr);
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    if (listen_too) REQUIRE(::listen(fd.get(), 4) == 0);
    return fd;
}

// path "" + abstract name: abstract socket; otherwise a filesystem socket.
UniqueFd unix_listener(const std::string& name, bool abstract) {
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path + (abstract ? 1 : 0), name.data(), name.size());
    socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + 1);
    REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(::listen(fd.get(), 4) == 0);
    return fd;
}

// Every kind of socket the readers must see, opened by this process.
struct LiveSockets {
    test::TempDir dir;
    UniqueFd tcp_listener = inet_socket(SOCK_STREAM, "127.0.0.1", true);
    UniqueFd tcp_client{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
    UniqueFd tcp_server;
    UniqueFd udp = inet_socket(SOCK_DGRAM, "127.0.0.1", false);
    UniqueFd unix_path = unix_listener(dir / "srv.sock", false);
    std::string abstract_name =
        "leakaudit-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}());
    UniqueFd unix_abstract = unix_listener(abstract_name, true);
    int pair[2] = {-1, -1};

    LiveSockets() {
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        ::getsockname(tcp_listener.get(), reinterpret_cast<sockaddr*>(&addr), &len);
        REQUIRE(::connect(tcp_client.get(), reinterpret_cast<sockaddr*>(&addr), len) == 0);
        tcp_server.reset(::accept4(tcp_listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
    }
    ~LiveSockets() {
        ::close(pair[0]);
        ::close(pair[1]);
    }
};

const Socket& require_inode(const os::SocketTable& table, int fd) {
    const Socket* s = find_inode(table, inode_of(fd));
    REQUIRE(s);
    return *s;
}

void check_sees(const os::SocketTable& table, const LiveSockets& live, bool has_peers) {
    int port = bound_port(live.tcp_listener.get());
    const Socket& listener = require_inode(table, live.tcp_listener.get());
    CHECK(listener.proto == "tcp");
    CHECK(listener.state == "listen");
    CHECK(listener.local == "127.0.0.1:" + std::to_string(port));
    CHECK(listener.local_port == port);
    CHECK(listener.remote.empty());
    const Socket& client = require_inode(table, live.tcp_client.get());
    CHECK(client.state == "established");
    CHECK(client.remote == "127.0.0.1:" + std::to_string(port));
    CHECK(client.remote_port == port);
    CHECK(require_inode(table, live.tcp_server.get()).local_port == port);
    const Socket& udp = require_inode(table, live.udp.get());
    CHECK(udp.proto == "udp");
    CHECK(udp.state == "unconn");
    CHECK(udp.local_port == bound_port(live.udp.get()));
    const Socket& path = require_inode(table, live.unix_path.get());
    CHECK(path.proto == "unix");
    CHECK(path.state == "listen");
    CHECK(path.path == live.dir / "srv.sock");
    CHECK(require_inode(table, live.unix_abstract.get()).path == "@" + live.abstract_name);
    const Socket& end0 = require_inode(table, live.pair[0]);
    CHECK(end0.state == "established");
    if (has_peers) CHECK(end0.peer_inode == inode_of(live.pair[1]));
    CHECK(end0.netns != 0);
}

}  // namespace

TEST_CASE("state names and endpoints are spelled like ss", "[os][sockets]") {
    CHECK(os::tcp_state_name(10) == "listen");
    CHECK(os::tcp_state_name(8) == "close-wait");
    CHECK(os::socket_state_name("udp6", 7) == "unconn");
    CHECK(os::socket_state_name("tcp", 7) == "close");
    in6_addr loop6 = IN6ADDR_LOOPBACK_INIT;
    CHECK(os::format_endpoint(AF_INET6, &loop6, 8080) == "[::1]:8080");
    in_addr loop4{htonl(INADDR_LOOPBACK)};
    CHECK(os::format_endpoint(AF_INET, &loop4, 41234) == "127.0.0.1:41234");
}

TEST_CASE("the /proc/net parsers read tcp, tcp6 and unix lines", "[os][sockets]") {
    std::istringstream tcp(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1\n"
        "   1: 0100007F:A0D2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4243 1\n"
        "   2: 0100007F:A0D3 0100007F:1F90 06 00000000:00000000 00:00000000 00000000     0        0 0 1\n");
    std::vector<Socket> out;
    os::parse_proc_net_inet(tcp, "tcp", 7, out);
    REQUIRE(out.size() == 2);  // TIME_WAIT (inode 0) is left out
    CHECK(out[0].local == "127.0.0.1:8080");
    CHECK(out[0].state == "listen");
    CHECK(out[0].remote.empty());
    CHECK(out[1].remote == "127.0.0.1:8080");
    CHECK(out[1].remote_port == 8080);
    CHECK(out[1].netns == 7);

    std::istringstream tcp6(
        "  sl  local_address                         remote_address                        st ...\n"
        "   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 "
        "00:00000000 00000000     0        0 77 1\n");
    out.clear();
    os::parse_proc_net_inet(tcp6, "tcp6", 0, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].local == "[::1]:80");

    std::istringstream unix_text(
        "Num       RefCount Protocol Flags    Type St Inode Path\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 1001 /run/x.sock\n"
        "0000000000000000: 00000002 00000000 00000000 0001 03 1002\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 1003 @abstract name\n");
    out.clear();
    os::parse_proc_net_unix(unix_text, 0, out);
    REQUIRE(out.size() == 3);
    CHECK(out[0].state == "listen");
    CHECK(out[0].path == "/run/x.sock");
    CHECK(out[1].state == "established");
    CHECK(out[1].path.empty());
    CHECK(out[2].path == "@abstract name");
}

TEST_CASE("netlink sock_diag sees this process's tcp, udp and unix sockets", "[os][sockets]") {
    LiveSockets live;
    UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    os::SocketTable table = os::read_sockets(proc.get());
    INFO(table.warnings.size() << " warnings");
    REQUIRE(table.source == "netlink");
    check_sees(table, live, true);
}

TEST_CASE("the /proc/net fallback sees the same sockets, without peers", "[os][sockets]") {
    LiveSockets live;
    UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    os::SocketTable table = os::read_sockets_procfs(proc.get(), 0);
    REQUIRE(table.source == "procfs");
    check_sees(table, live, false);
}

TEST_CASE("an IPv6 listener reads as tcp6 with a bracketed address", "[os][sockets]") {
    UniqueFd fd(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_addr = in6addr_loopback;
    if (!fd || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        LEAKAUDIT_SKIP("no IPv6 loopback here; tcp6 not exercised");
    }
    REQUIRE(::listen(fd.get(), 1) == 0);
    UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    for (const os::SocketTable& table : {os::read_sockets(proc.get()), os::read_sockets_procfs(proc.get(), 0)}) {
        const Socket& s = require_inode(table, fd.get());
        CHECK(s.proto == "tcp6");
        CHECK(s.local == "[::1]:" + std::to_string(bound_port(fd.get())));
    }
}

TEST_CASE("read_sockets_of reads a process in another network namespace", "[os][sockets]") {
    test::HeldChild<std::uint64_t> child([] {
        std::uint64_t inode = 0;  // 0 tells the parent: no namespace for us
        if (::unshare(CLONE_NEWNET) == 0) {
            int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in any{};
            any.sin_family = AF_INET;
            if (::bind(fd, reinterpret_cast<sockaddr*>(&any), sizeof any) == 0 && ::listen(fd, 1) == 0)
                inode = inode_of(fd);
        }
        return inode;
    });
    std::uint64_t inode = child.value();
    UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    os::SocketTable theirs = inode ? os::read_sockets_of(proc.get(), child.pid()) : os::SocketTable{};
    os::SocketTable fallback = inode ? os::read_sockets_procfs(proc.get(), child.pid()) : os::SocketTable{};
    std::optional<std::uint64_t> their_ns = os::netns_of(proc.get(), child.pid());
    child.release();
    if (inode == 0) {
        LEAKAUDIT_SKIP("unshare(CLONE_NEWNET) not permitted here; foreign namespaces not exercised");
    }
    CHECK(theirs.source == "netlink");
    CHECK(find_inode(theirs, inode));
    CHECK(find_inode(fallback, inode));
    REQUIRE(their_ns);
    CHECK(*their_ns != os::netns_of(proc.get(), 0));
    if (const Socket* s = find_inode(theirs, inode)) CHECK(s->netns == *their_ns);
    CHECK_FALSE(find_inode(os::read_sockets(proc.get()), inode));  // not in our namespace
}
