// The `stopped` checkpoint on plain data: what the harness gained since `started`.
#include <catch2/catch.hpp>

#include "core/checkpoint_findings.hpp"

using namespace leakaudit;

TEST_CASE("only descriptors gained since started are findings, leakaudit's own pipe never", "[checkpoint]") {
    CheckpointInput in;
    in.owner_pid = 42;
    in.channel_fds = {9};
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

// Regression: a bash harness's `echo … >&$LEAKAUDIT_CONTROL_FD` points fd 1 at the
// control pipe and keeps stdout under fd 10 until the echo ends; a reading taken then, at
// one checkpoint and not the other, reported the harness's own stdout as a leak.
TEST_CASE("a shell's redirect around an event is not a leak, at either checkpoint", "[checkpoint]") {
    Descriptor null_in{0, FdType::device, "/dev/null", 0, "", 0};
    Descriptor out{1, FdType::file, "/work/out.log", 21, "", 0};
    Descriptor control{3, FdType::pipe, "pipe:[13]", 13, "", 0};
    Descriptor ack{4, FdType::pipe, "pipe:[14]", 14, "", 0};
    Descriptor out_saved = out;
    out_saved.fd = 10;
    Descriptor fd1_control = control;
    fd1_control.fd = 1;
    Descriptor fd0_ack = ack;
    fd0_ack.fd = 0;
    std::vector<Descriptor> plain{null_in, out, control, ack};
    std::vector<Descriptor> writing{null_in, fd1_control, control, ack, out_saved};
    std::vector<Descriptor> reading{fd0_ack, out, control, ack, Descriptor{10, FdType::device, "/dev/null", 0, "", 0}};
    for (const auto& [started, stopped] : {std::pair{writing, plain}, std::pair{plain, writing},
                                           std::pair{writing, writing}, std::pair{plain, reading}}) {
        CheckpointInput in;
        in.channel_fds = {3, 4};
        in.at_started = started;
        in.at_stopped = stopped;
        CHECK(checkpoint_findings(in).empty());
    }
}

TEST_CASE("a file the harness opens once more than before is new, whatever it held of it", "[checkpoint]") {
    CheckpointInput in;
    Descriptor log{5, FdType::file, "/var/log/plugin.log", 12, "", 0};
    Descriptor again = log;
    again.fd = 7;
    in.at_started = {log};
    in.at_stopped = {log, again};
    auto f = checkpoint_findings(in);
    REQUIRE(f.size() == 1);
    CHECK(f[0].fd->fd == 7);
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
