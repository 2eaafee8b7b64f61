// Snapshot JSON: a lossless round trip (any byte in names), and clear errors with a
// position for corrupt, truncated, foreign and newer files.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/snapshot_json.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

TEST_CASE("a snapshot round-trips byte for byte, invalid UTF-8 included", "[snapshot]") {
    Process p = proc(42, 4242, 1, {"node", std::string("arg\xff\xfe\n", 6)});
    p.exe = "/usr/bin/node";
    p.fds_scanned = true;
    p.fds = {Descriptor{5, FdType::file, "/tmp/bad\xc3\x28name", 99, "", 0}};
    Snapshot s = snapshot({p});
    TmpEntry e;
    e.path = "/tmp/new\nline\xff";
    e.type = EntryType::dir;
    e.entry_count = 3;
    s.tmp = {e};
    s.watched = {"/tmp"};
    Socket so;
    so.inode = 7;
    so.proto = "unix";
    so.path = "@abstract\x01";
    s.sockets = {so};
    std::stringstream io;
    write_snapshot_json(s, {"0.1.0", "boot-1", "host"}, io);
    SnapshotReadResult back = read_snapshot_json(io);
    REQUIRE(back.ok());
    CHECK(back.meta.boot_id == "boot-1");
    REQUIRE(back.snapshot.processes.size() == 1);
    CHECK(back.snapshot.processes[0].cmdline == p.cmdline);
    CHECK(back.snapshot.processes[0].id == p.id);
    CHECK(back.snapshot.processes[0].fds.at(0).target == p.fds[0].target);
    CHECK(back.snapshot.tmp.at(0).path == e.path);
    CHECK(back.snapshot.tmp.at(0).type == EntryType::dir);
    CHECK(back.snapshot.sockets.at(0).path == so.path);
}

TEST_CASE("corrupt snapshots give one clear message, never an exception", "[snapshot]") {
    std::stringstream full;
    write_snapshot_json(snapshot({proc(1, 1, 0, {"init"})}), {"0.1.0", "b", "h"}, full);
    std::string text = full.str();
    struct Case {
        std::string input;
        std::string mentions;
    };
    std::vector<Case> cases{
        {text.substr(0, text.size() / 2), "truncated"},
        {"{\"schema\":\"leakaudit.snapshot/2\"}", "newer leakaudit"},
        {"{\"schema\":\"leakaudit.report/1\"}", "not a leakaudit snapshot"},
        {"[1,2,3]", "schema"},
        {"\xff\xfe garbage", "invalid JSON"},
        {"", "invalid JSON"},
        {"{\"schema\":\"leakaudit.snapshot/1\",\"boot_id\":\"b\",\"host\":\"h\",\"taken_at_ms\":1,\"watched\":[],"
         "\"processes\":[{\"pid\":\"one\"}],\"sockets\":[],\"tmp\":[]}",
         "processes[0]"},
    };
    for (const Case& c : cases) {
        std::stringstream in(c.input);
        SnapshotReadResult r = read_snapshot_json(in);
        INFO(c.input.substr(0, 60) << " -> " << r.error);
        CHECK_FALSE(r.ok());
        CHECK(r.error.find(c.mentions) != std::string::npos);
    }
}

TEST_CASE("a truncated snapshot's error carries a line and column", "[snapshot]") {
    std::stringstream in("{\n  \"schema\": \"leakaudit.snapshot/1\",\n  \"processes\": [\n");
    SnapshotReadResult r = read_snapshot_json(in);
    CHECK(r.error.rfind("4:1:", 0) == 0);
}
