// The `stopped` checkpoint on plain data: what the harness gained since `started`.
#include <catch2/catch.hpp>

#include "core/checkpoint_findings.hpp"

using namespace leakaudit;

TEST_CASE("only descriptors gained since started are findings, leakaudit's own pipe never", "[checkpoint]") {
    CheckpointInput in;
    in.owner_pid = 42;
    in.control_fd = 9;
    in.at_started = {Descriptor{3, FdType::anon_inode, "anon_inode:[eventpoll]", 11, "eventpoll", 0},
                     Descriptor{5, FdType::file, "/tmp/a.log", 12, "", 0},
                     Descriptor{9, FdType::pipe, "pipe:[13]", 13, "", 0}};
    in.at_stopped = {
        in.at_started[0], Descriptor{5, FdType::file, "/tmp/b.db", 14, "", 0},  // number reused for another file
        Descriptor{9, FdType::pipe, "pipe:[13]", 13, "", 0}, Descriptor{10, FdType::socket, "socket:[77]", 77, "", 0}};
    Socket s;
    s.inode = 77;
    s.proto = "tcp";
    s.state = "listen";
    s.local = "127.0.0.1:4000";
    s.local_port = 4000;
    in.sockets = {s};
    std::vector<Finding> f = checkpoint_findings(in);
    REQUIRE(f.size() == 2);
    CHECK(f[0].kind == Kind::fd);
    CHECK(f[0].fd->target == "/tmp/b.db");
    CHECK(f[1].kind == Kind::socket);
    CHECK(f[1].socket->local_port == 4000);
    CHECK(f[1].hint.find("server.close") != std::string::npos);
    for (const Finding& x : f)
        CHECK(x.owner_pid == 42);
}

TEST_CASE("socket ids ignore the ephemeral port, so reruns match", "[checkpoint][ids]") {
    auto id_for = [](int port) {
        CheckpointInput in;
        in.at_stopped = {Descriptor{10, FdType::socket, "socket:[77]", 77, "", 0}};
        Socket s;
        s.inode = 77;
        s.proto = "tcp";
        s.state = "listen";
        s.local = "127.0.0.1:" + std::to_string(port);
        s.local_port = port;
        in.sockets = {s};
        return checkpoint_findings(in).at(0).id;
    };
    CHECK(id_for(41234) == id_for(38001));
}

TEST_CASE("reported handles become handle findings with a timer hint", "[checkpoint]") {
    auto f = handle_findings({Handle{"Timeout", "setInterval 60000ms"}, Handle{"TCPServerWrap", "1 listening"}});
    REQUIRE(f.size() == 2);
    CHECK(f[0].kind == Kind::handle);
    CHECK(f[0].hint.find("clearInterval") != std::string::npos);
    CHECK(f[1].message.find("TCPServerWrap") != std::string::npos);
}
