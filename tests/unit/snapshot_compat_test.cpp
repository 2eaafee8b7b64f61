// The streaming reader and writer against what the old (whole-document) writer wrote:
// tests/fixtures/snapshots/old-*.json come from leakaudit before streaming
// (make-old-fixture.sh). Read by the new reader and written by the new writer, they
// come back byte for byte; the reader gives the same model whatever the chunk size.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/snapshot_json.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

// `text` through the chunked reader, `chunk` bytes at a time.
Result<SnapshotRead> read_in_chunks(const std::string& text, std::size_t chunk) {
    std::size_t at = 0;
    return read_snapshot_json([&](char* buffer, std::size_t size) {
        std::size_t n = std::min({size, chunk, text.size() - at});
        text.copy(buffer, n, at);
        at += n;
        return n;
    });
}

std::string written(const Result<SnapshotRead>& r) {
    SnapshotMeta meta = r->meta;
    meta.tool_version = "0.1.0";  // the reader does not keep the writer's version
    std::ostringstream out;
    write_snapshot_json(r->snapshot, meta, out);
    return out.str();
}

}  // namespace

TEST_CASE("a snapshot of the old writer is read and written back byte for byte", "[snapshot][compat]") {
    for (const char* name : {"old-before.json", "old-after.json"}) {
        INFO(name);
        std::string text = snapshot_fixture(name);
        Result<SnapshotRead> r = read_snapshot_json(std::string_view(text));
        REQUIRE(r.has_value());
        CHECK(r->meta.redacted);
        CHECK_FALSE(r->snapshot.processes.empty());
        CHECK(written(r) == text);
    }
    Result<SnapshotRead> after = read_snapshot_json(std::string_view(snapshot_fixture("old-after.json")));
    bool invalid_utf8 = false;
    for (const TmpEntry& e : after->snapshot.tmp)
        invalid_utf8 = invalid_utf8 || e.path.find('\xff') != std::string::npos;
    CHECK(invalid_utf8);  // the fixture's bad\xffname came back from path_base64
}

TEST_CASE("the chunked reader reads the same model whatever the chunk size", "[snapshot][compat]") {
    std::string text = snapshot_fixture("old-after.json");
    std::string whole = written(read_snapshot_json(std::string_view(text)));
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, text.size()}) {
        INFO("chunk " << chunk);
        Result<SnapshotRead> r = read_in_chunks(text, chunk);
        REQUIRE(r.has_value());
        CHECK(written(r) == whole);
    }
    std::istringstream stream(text);
    CHECK(written(read_snapshot_json(stream)) == whole);
}

TEST_CASE("errors keep their line and column across chunk boundaries", "[snapshot][compat]") {
    std::string truncated = "{\n  \"schema\": \"leakaudit.snapshot/1\",\n  \"processes\": [\n";
    std::string garbage = "{\n \"schema\": \"leakaudit.snapshot/1\",\n \"host\": tru\n}";
    for (std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{65536}}) {
        INFO("chunk " << chunk);
        CHECK(describe(read_in_chunks(truncated, chunk).error()) ==
              "4:1: invalid JSON (the file ends early: truncated?)");
        CHECK(describe(read_in_chunks(garbage, chunk).error()) == "3:13: invalid JSON (unexpected content)");
    }
    CHECK(describe(read_snapshot_json(std::string_view(garbage)).error()) == "3:13: invalid JSON (unexpected content)");
}

TEST_CASE("a written snapshot reads back to the same bytes", "[snapshot][compat]") {
    Process p = proc(42, 4242, 1, {"node", std::string("arg\xff", 4), "--token", "secret"});
    p.fds_scanned = true;
    p.fds = {Descriptor{3, FdType::socket, "socket:[77]", 77, "", 0},
             Descriptor{4, FdType::anon_inode, "anon_inode:[eventfd]", 0, "eventfd", 0}};
    Process q = proc(43, 4343, 42, {"sleep", "9"});
    Snapshot s = snapshot({p, q});
    std::ostringstream first;
    write_snapshot_json(s, {"0.1.0", "boot", "host", true}, first);
    Result<SnapshotRead> back = read_snapshot_json(std::string_view(first.str()));
    REQUIRE(back.has_value());
    CHECK(back->snapshot.processes.at(0).fds == p.fds);
    CHECK_FALSE(back->snapshot.processes.at(1).fds_scanned);
    CHECK(written(back) == first.str());
}
