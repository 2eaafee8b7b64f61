// One leak, one finding, on plain data: the harness's end of a leaked child's stdio (a
// unix socket pair or a pipe) is folded into the child's process finding; the hang
// finding counts distinct resources.
#include <catch2/catch.hpp>

#include "core/harness_findings.hpp"
#include "core/peer_findings.hpp"
#include "core/process_findings.hpp"
#include "core/run_limits.hpp"

using namespace leakaudit;

namespace {

Socket unix_socket(std::uint64_t inode, std::uint64_t peer) {
    Socket s;
    s.inode = inode;
    s.proto = "unix";
    s.state = "established";
    s.peer_inode = peer;
    return s;
}

Descriptor sock_fd(int fd, std::uint64_t inode) {
    return Descriptor{fd, FdType::socket, "socket:[" + std::to_string(inode) + "]", inode, "", 0};
}

Descriptor pipe_fd(int fd, std::uint64_t inode) {
    return Descriptor{fd, FdType::pipe, "pipe:[" + std::to_string(inode) + "]", inode, "", 0};
}

Finding checkpoint_socket(int fd, const Socket& s) {
    Finding f;
    f.kind = Kind::socket;
    f.attribution = Attribution::checkpoint;
    f.fd = sock_fd(fd, s.inode);
    f.socket = s;
    f.owner_pid = 100;
    return f;
}

Finding child_finding(const std::vector<Descriptor>& fds) {
    Finding f;
    f.kind = Kind::process;
    f.attribution = Attribution::descendant;
    Process p;
    p.id.pid = 4242;
    p.name = "sleep";
    p.fds = fds;
    f.process = p;
    for (const Descriptor& d : fds) {
        if (d.type == FdType::socket)
            f.resources.push_back({unix_socket(d.inode, 0), d, "holds unix (unnamed) established", std::nullopt});
    }
    return f;
}

}  // namespace

TEST_CASE("a leaked child's stdio socket pairs are one finding: the child's", "[peer]") {
    // The harness holds 21, 23, 25; the child holds their peers 22, 24, 26 as fds 0, 1, 2.
    std::vector<Finding> findings{
        checkpoint_socket(21, unix_socket(21, 22)), checkpoint_socket(23, unix_socket(23, 24)),
        checkpoint_socket(25, unix_socket(25, 26)), child_finding({sock_fd(0, 22), sock_fd(1, 24), sock_fd(2, 26)})};
    Socket listener;
    listener.inode = 90;
    listener.proto = "tcp";
    listener.state = "listen";
    findings.push_back(checkpoint_socket(30, listener));  // not the child's: stays
    fold_peer_findings(findings);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].kind == Kind::process);
    CHECK(findings[1].socket->inode == 90);
    const std::vector<HeldResource>& r = findings[0].resources;
    REQUIRE(r.size() == 3);  // the child's own view of the same pairs is not repeated
    for (const HeldResource& h : r)
        CHECK(h.text == "connected to the harness by unix socket pair");
    CHECK(counted_texts(r) == std::vector<std::string>{"3 × connected to the harness by unix socket pair"});
}

TEST_CASE("a pipe to a leaked child is folded, a socket without a known peer is not", "[peer]") {
    Finding pipe;
    pipe.kind = Kind::fd;
    pipe.attribution = Attribution::checkpoint;
    pipe.fd = pipe_fd(19, 555);
    std::vector<Finding> findings{pipe, checkpoint_socket(21, unix_socket(21, 0)),
                                  child_finding({pipe_fd(1, 555), sock_fd(0, 22)})};
    fold_peer_findings(findings);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].kind == Kind::socket);  // /proc/net/unix knows no peer: kept
    CHECK(findings[1].resources.front().text == "connected to the harness by pipe");
}

TEST_CASE("the Node kit's handle of the child is the same leak: its site goes to the process", "[peer]") {
    Finding handle;
    handle.kind = Kind::handle;
    handle.attribution = Attribution::node_kit;
    handle.handle = Handle{"ProcessWrap", "child pid 4242: sleep 300"};
    handle.handle->where.site = "plugin.mjs:5";
    handle.handle->where.user_file = "plugin.mjs";
    handle.handle->where.user_line = 5;
    Finding other = handle;
    other.handle->detail = "child pid 4243: sleep 300";  // another child, not leaked: stays
    std::vector<Finding> findings{handle, other, child_finding({})};
    fold_peer_findings(findings);
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].handle->detail == "child pid 4243: sleep 300");
    REQUIRE(findings[1].handle);
    CHECK(findings[1].handle->where.user_line == 5);
    CHECK(findings[1].resources.front().text == "spawned by the harness at plugin.mjs:5");
}

// A child out of the harness's group whose spawn the kit recorded was spawned with
// `detached: true`: the daemon hint (setsid/double-fork, a pidfile) would send the user
// looking for a fork that never happened.
TEST_CASE("a detached child the kit saw spawned gets the detached hint, not the daemon's", "[peer][hints]") {
    auto folded_hint = [](bool ref, const std::string& hint) {
        Finding handle;
        handle.kind = Kind::handle;
        handle.attribution = Attribution::node_kit;
        handle.handle = Handle{"ProcessWrap", "child pid 4242: sleep 300", ref};
        handle.handle->where.site = "plugins/leak-child.mjs:4";
        Finding child = child_finding({});
        child.hint = hint;
        std::vector<Finding> findings{handle, child};
        fold_peer_findings(findings);
        REQUIRE(findings.size() == 1);
        return findings[0].hint;
    };
    CHECK(folded_hint(false, std::string(k_escaped_hint)) ==
          "a child spawned with detached: true and unref() outlives the plugin: keep the ChildProcess and kill it "
          "(process.kill(-child.pid) for its group) in onStop()");
    CHECK(folded_hint(true, std::string(k_escaped_hint)).starts_with("a child spawned with detached: true outlives"));
    // Any other hint (a server, a child in the harness's group) is left as it was.
    CHECK(folded_hint(false, "a child process outlived stop(): kill it (and wait for it) in onStop()") ==
          "a child process outlived stop(): kill it (and wait for it) in onStop()");
    // Nothing recorded (a double fork: the kit saw the launcher, not the daemon): the daemon hint stays.
    Finding daemon = child_finding({});
    daemon.hint = std::string(k_escaped_hint);
    std::vector<Finding> alone{daemon};
    fold_peer_findings(alone);
    CHECK(alone[0].hint == k_escaped_hint);
    CHECK(hint_for_recorded_spawn(std::string(k_escaped_hint), Handle{"ProcessWrap", "", false}) !=
          std::string(k_escaped_hint));
}

TEST_CASE("without a leaked process nothing is folded", "[peer]") {
    std::vector<Finding> findings{checkpoint_socket(21, unix_socket(21, 22))};
    fold_peer_findings(findings);
    CHECK(findings.size() == 1);
}

TEST_CASE("a hung harness's links to its child are counted: 3 × unix socket pair to child", "[peer][harness]") {
    Process harness;
    harness.id.pid = 100;
    harness.fds = {pipe_fd(1, 7), sock_fd(21, 21), sock_fd(23, 23), sock_fd(25, 25), sock_fd(30, 90)};
    Process child;
    child.id.pid = 4242;
    child.name = "sleep";
    child.fds = {sock_fd(0, 22), sock_fd(1, 24), sock_fd(2, 26), pipe_fd(3, 7)};
    Snapshot snapshot;
    Socket listener;
    listener.inode = 90;
    listener.proto = "tcp";
    listener.state = "listen";
    listener.local = "127.0.0.1:8080";
    snapshot.sockets = {unix_socket(21, 22), unix_socket(23, 24), unix_socket(25, 26), listener};
    std::vector<HeldResource> held = harness_held_resources(harness, {harness, child}, snapshot);
    CHECK(counted_texts(held) ==
          std::vector<std::string>{"3 × unix socket pair to child 4242 (sleep)", "tcp 127.0.0.1:8080 listen"});
    HarnessOutcome o;
    o.started = true;
    o.sent_stopped = true;
    o.exit_timed_out = true;
    std::vector<Finding> f = harness_findings(o, {"node", "h.mjs"}, held);
    REQUIRE(f.size() == 1);
    CHECK_THAT(
        f[0].message,
        Catch::EndsWith("; it still holds 3 × unix socket pair to child 4242 (sleep), tcp 127.0.0.1:8080 listen"));
}

namespace {

// The harness (pid 100) holds 21, 23, 25; its child 4242 (sleep) holds the peers 22, 24,
// 26 as its stdio: what a harness waiting on a forgotten piped child holds at --timeout.
struct PipedHang {
    Process harness;
    Process child;
    Snapshot snapshot;

    PipedHang() {
        harness.id.pid = 100;
        harness.fds = {sock_fd(21, 21), sock_fd(23, 23), sock_fd(25, 25)};
        child.id.pid = 4242;
        child.name = "sleep";
        child.fds = {sock_fd(0, 22), sock_fd(1, 24), sock_fd(2, 26)};
        snapshot.sockets = {unix_socket(21, 22), unix_socket(23, 24), unix_socket(25, 26)};
    }

    std::vector<HeldResource> held() const {
        std::vector<HeldResource> out = harness_held_resources(harness, {harness, child}, snapshot);
        out.push_back(held_child("child 4242 sleep 300"));
        return out;
    }
};

HarnessOutcome timed_out() {
    HarnessOutcome o;
    o.started = true;
    o.timed_out = true;
    o.timeout.value = std::chrono::seconds(20);
    o.timeout.source = TimeoutSource::option;
    return o;
}

// A tcp socket listening on 127.0.0.1:PORT, inode 90.
Socket tcp_listener(int port) {
    Socket s;
    s.inode = 90;
    s.proto = "tcp";
    s.state = "listen";
    s.local = "127.0.0.1:" + std::to_string(port);
    s.local_port = port;
    return s;
}

Finding handle_finding(const std::string& type, const std::string& detail, bool ref = true) {
    Finding f;
    f.kind = Kind::handle;
    f.severity = Severity::error;
    f.handle = Handle{type, detail, ref, 1, {}};
    f.attribution = Attribution::node_kit;
    f.message = detail + " (" + type + ") still alive when the harness hung";
    return f;
}

std::vector<Finding> hang_and_child(const HarnessOutcome& o, const std::vector<HeldResource>& held) {
    std::vector<Finding> findings = harness_findings(o, {"node", "h.mjs"}, held, {"child process at p.mjs:6"});
    findings.push_back(child_finding({sock_fd(0, 22), sock_fd(1, 24), sock_fd(2, 26)}));
    return findings;
}

}  // namespace

TEST_CASE("a child named by os::describe_children is known by its pid", "[peer][harness]") {
    CHECK(held_child("child 4243 sleep 300").child_pid == 4243);
    CHECK(held_child("child 4243 sleep 300").text == "holds child 4243 sleep 300");
    CHECK(held_child("child 17").child_pid == 17);
    CHECK_FALSE(held_child("child x sleep").child_pid);
    CHECK_FALSE(held_child("children 12").child_pid);
    CHECK_FALSE(held_child("child 12x").child_pid);
    CHECK_FALSE(held_child("child 99999999999999999999 sleep").child_pid);  // no overflow
}

// Regression (issue 12): a harness hung on a forgotten piped child gave two errors, the
// child's process finding and the hang finding counting the child's pipes.
TEST_CASE("a hang that only a leaked child's pipes explain is one finding: the child's", "[peer][harness]") {
    PipedHang scene;
    std::vector<Finding> findings = hang_and_child(timed_out(), scene.held());
    REQUIRE(findings.size() == 2);
    fold_peer_findings(findings);
    fold_hang_into_leaks(findings, timed_out());
    REQUIRE(findings.size() == 1);
    const Finding& child = findings[0];
    CHECK(child.kind == Kind::process);
    CHECK(child.severity == Severity::error);
    CHECK_THAT(child.message,
               Catch::EndsWith("; it kept the harness alive until --timeout, when the harness was killed"));
    int links = 0, own = 0, said = 0;
    for (const HeldResource& r : child.resources) {
        links += r.text == "connected to the harness by unix socket pair" ? 1 : 0;
        own += r.text == "holds unix (unnamed) established" ? 1 : 0;
        said += r.text.starts_with("it kept the harness alive") ? 1 : 0;
    }
    CHECK(links == 3);  // the harness's ends, replacing the child's own view of them
    CHECK(own == 0);
    CHECK(said == 1);
}

TEST_CASE("after stopped, a harness that never exits because of its piped child is the child's finding",
          "[peer][harness]") {
    PipedHang scene;
    HarnessOutcome o;
    o.started = true;
    o.sent_stopped = true;
    o.exit_timed_out = true;
    std::vector<Finding> findings = hang_and_child(o, scene.held());
    fold_peer_findings(findings);
    fold_hang_into_leaks(findings, o);
    REQUIRE(findings.size() == 1);
    CHECK_THAT(findings[0].message,
               Catch::Contains("kept the harness from exiting after stopped until --exit-timeout"));
}

TEST_CASE("under the CI default timeout the child's finding names it", "[peer][harness]") {
    PipedHang scene;
    HarnessOutcome o = timed_out();
    o.timeout = choose_timeout(std::nullopt, std::nullopt, "true");
    std::vector<Finding> findings = hang_and_child(o, scene.held());
    fold_hang_into_leaks(findings, o);
    REQUIRE(findings.size() == 1);
    CHECK_THAT(findings[0].message, Catch::Contains("alive until the CI default timeout (10m"));
}

TEST_CASE("a hang with anything else to it stays its own finding", "[peer][harness]") {
    PipedHang scene;
    SECTION("a listening socket besides the pipes") {
        Socket listener = tcp_listener(8080);
        scene.harness.fds.push_back(sock_fd(30, 90));
        scene.snapshot.sockets.push_back(listener);
        std::vector<Finding> findings = hang_and_child(timed_out(), scene.held());
        fold_hang_into_leaks(findings, timed_out());
        CHECK(findings.size() == 2);
    }
    SECTION("a listening socket whose port no reported server has") {
        Socket listener = tcp_listener(8080);
        scene.harness.fds.push_back(sock_fd(30, 90));
        scene.snapshot.sockets.push_back(listener);
        std::vector<Finding> findings = hang_and_child(timed_out(), scene.held());
        findings.push_back(handle_finding("TCPServerWrap", "server listening on 127.0.0.1:8081"));
        fold_hang_into_leaks(findings, timed_out());
        CHECK(findings.size() == 3);
    }
    SECTION("a handle a rule ignores, or one the harness reported itself, explains nothing") {
        for (bool ignored : {true, false}) {
            std::vector<Finding> findings = harness_findings(timed_out(), {"node", "h.mjs"}, {});
            Finding timer = handle_finding("Timeout", "setInterval 60000ms");
            if (ignored)
                timer.severity = Severity::ignore;
            else
                timer.attribution = Attribution::reported;  // the control channel's `handles`
            findings.push_back(timer);
            fold_hang_into_leaks(findings, timed_out());
            CHECK(findings.size() == 2);
        }
    }
    SECTION("an unref'd handle keeps nothing alive") {
        std::vector<Finding> findings = harness_findings(timed_out(), {"node", "h.mjs"}, {});
        findings.push_back(handle_finding("Timeout", "setInterval 60000ms", false));
        fold_hang_into_leaks(findings, timed_out());
        CHECK(findings.size() == 2);
    }
    SECTION("a child without a finding of its own (it died with the harness)") {
        std::vector<Finding> findings = harness_findings(timed_out(), {"node", "h.mjs"}, scene.held());
        fold_hang_into_leaks(findings, timed_out());
        CHECK(findings.size() == 1);
        CHECK(findings[0].kind == Kind::harness);
    }
    SECTION("nothing known held: something else keeps it alive") {
        std::vector<Finding> findings = hang_and_child(timed_out(), {});
        fold_hang_into_leaks(findings, timed_out());
        CHECK(findings.size() == 2);
    }
    SECTION("an interrupt is the user's doing, not a hang") {
        HarnessOutcome o;
        o.started = true;
        o.interrupted = true;
        o.signal = 2;
        std::vector<Finding> findings = hang_and_child(o, scene.held());
        fold_hang_into_leaks(findings, o);
        CHECK(findings.size() == 2);
    }
}

// Regression (issue 12, one leak, one finding): a forgotten setInterval gave two errors,
// the hang ("kept alive by: setInterval …") and the kit's handle finding for the same timer.
TEST_CASE("a hang a reported timer or server explains is one finding per leak", "[peer][harness]") {
    SECTION("a timer alone") {
        std::vector<Finding> findings =
            harness_findings(timed_out(), {"node", "h.mjs"}, {}, {"setInterval 60000ms at p.mjs:12"});
        findings.push_back(handle_finding("Timeout", "setInterval 60000ms"));
        fold_hang_into_leaks(findings, timed_out());
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].kind == Kind::handle);
        CHECK_THAT(findings[0].message, Catch::EndsWith("; it kept the harness alive until --timeout, when the "
                                                        "harness was killed"));
    }
    SECTION("a server: the listening socket the harness holds is the reported server's") {
        Socket listener = tcp_listener(39655);
        HeldResource held;
        held.socket = listener;
        held.text = "holds tcp 127.0.0.1:39655 listen";
        std::vector<Finding> findings = harness_findings(timed_out(), {"node", "h.mjs"}, {held});
        findings.push_back(handle_finding("TCPServerWrap", "server listening on 127.0.0.1:39655"));
        fold_hang_into_leaks(findings, timed_out());
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].kind == Kind::handle);
    }
    SECTION("a test runner's child, kept alive by a server reported in it") {
        std::vector<Finding> findings =
            harness_findings(timed_out(), {"node", "--test"}, {held_child("child 2667 /usr/bin/node t.mjs")});
        Finding server = handle_finding("TCPServerWrap", "server listening on 127.0.0.1:41631");
        server.owner_pid = 2667;
        findings.push_back(server);
        fold_hang_into_leaks(findings, timed_out(), {"node", "--test"});
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].kind == Kind::handle);
        CHECK_THAT(findings[0].hint, Catch::Contains("add --test-force-exit"));  // the hang's advice stays
        Finding elsewhere = handle_finding("TCPServerWrap", "server listening on 127.0.0.1:41631");
        elsewhere.owner_pid = 2668;
        std::vector<Finding> other =
            harness_findings(timed_out(), {"node", "--test"}, {held_child("child 2667 /usr/bin/node t.mjs")});
        other.push_back(elsewhere);
        fold_hang_into_leaks(other, timed_out());
        CHECK(other.size() == 2);  // the child's own reason is not known
    }
    SECTION("a piped child and a timer: both say so, the hang goes") {
        PipedHang scene;
        std::vector<Finding> findings = hang_and_child(timed_out(), scene.held());
        findings.push_back(handle_finding("Timeout", "setInterval 60000ms"));
        fold_peer_findings(findings);
        fold_hang_into_leaks(findings, timed_out());
        REQUIRE(findings.size() == 2);
        for (const Finding& f : findings)
            CHECK_THAT(f.message, Catch::Contains("it kept the harness alive"));
    }
}
