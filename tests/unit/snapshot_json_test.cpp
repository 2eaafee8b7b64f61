// Snapshot JSON: a lossless round trip (any byte in names), and clear errors with a
// position for corrupt, truncated, foreign and newer files.
#include <catch2/catch.hpp>

#include <algorithm>
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
    Result<SnapshotRead> back = read_snapshot_json(io);
    REQUIRE(back.has_value());
    CHECK(back->meta.boot_id == "boot-1");
    REQUIRE(back->snapshot.processes.size() == 1);
    CHECK(back->snapshot.processes[0].cmdline == p.cmdline);
    CHECK(back->snapshot.processes[0].id == p.id);
    CHECK(back->snapshot.processes[0].fds.at(0).target == p.fds[0].target);
    CHECK(back->snapshot.tmp.at(0).path == e.path);
    CHECK(back->snapshot.tmp.at(0).type == EntryType::dir);
    CHECK(back->snapshot.sockets.at(0).path == so.path);
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
        Result<SnapshotRead> r = read_snapshot_json(in);
        INFO(c.input.substr(0, 60));
        REQUIRE_FALSE(r.has_value());
        INFO(describe(r.error()));
        CHECK(describe(r.error()).find(c.mentions) != std::string::npos);
    }
}

TEST_CASE("a truncated snapshot's error carries a line and column", "[snapshot]") {
    std::stringstream in("{\n  \"schema\": \"leakaudit.snapshot/1\",\n  \"processes\": [\n");
    Result<SnapshotRead> r = read_snapshot_json(in);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().line == 4);
    CHECK(r.error().col == 1);
    CHECK(describe(r.error()).rfind("4:1: invalid JSON", 0) == 0);
}

// Regression: an error past the first 64 KiB chunk was reported at "1:1", because the
// position was looked up after the rest of the file had been read.
TEST_CASE("a syntax error deep in a large snapshot names its own line and column", "[snapshot]") {
    std::vector<Process> processes;
    for (int pid = 1; pid <= 3000; ++pid)
        processes.push_back(proc(pid, 1000 + pid, 1, {"node", "worker.js"}));
    std::stringstream full;
    write_snapshot_json(snapshot(processes), {"0.1.0", "b", "h"}, full);
    std::string text = full.str();
    REQUIRE(text.size() > 4 * 65536);
    std::size_t at = text.find("\"pid\":", text.size() / 2);  // deep inside, many chunks in
    REQUIRE(at != std::string::npos);
    std::size_t line_start = text.rfind('\n', at);
    std::size_t line =
        static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1;
    std::size_t column = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
    text[at] = '#';
    CHECK(describe(read_snapshot_json(std::string_view(text)).error()) ==
          std::to_string(line) + ":" + std::to_string(column) + ": invalid JSON (unexpected content)");
}
