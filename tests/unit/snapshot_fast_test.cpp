// The fast snapshot reader (core/snapshot_json_fast.cpp) against the exact one (the
// plain chunked reader, nlohmann's SAX): on a valid snapshot the fast path decides alone
// and reads the same model; on anything else it gives up and the message is the exact
// reader's, byte for byte; what it accepts among thousands of mutated documents, it
// reads as the exact reader does.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "core/diff_compact.hpp"
#include "core/snapshot_json.hpp"
#include "core/snapshot_json_fast.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

Result<SnapshotRead> exact(const std::string& text) {
    std::size_t at = 0;
    return read_snapshot_json([&](char* buffer, std::size_t size) {
        std::size_t n = std::min(size, text.size() - at);
        text.copy(buffer, n, at);
        at += n;
        return n;
    });
}

// Everything the reader fills: the model as the writer writes it, and the meta.
std::string written(const SnapshotRead& r) {
    std::ostringstream out;
    write_snapshot_json(r.snapshot, r.meta, out);
    return out.str() + "|" + r.meta.boot_id + "|" + r.meta.host + "|" + (r.meta.redacted ? "1" : "0");
}

class Collect : public SnapshotSink {
public:
    void begin(SnapshotList list) override {
        if (list == SnapshotList::processes) snapshot.processes.clear();
        if (list == SnapshotList::sockets) snapshot.sockets.clear();
        if (list == SnapshotList::tmp) snapshot.tmp.clear();
    }
    void add(Process&& p) override { snapshot.processes.push_back(std::move(p)); }
    void add(Socket&& s) override { snapshot.sockets.push_back(std::move(s)); }
    void add(TmpEntry&& e) override { snapshot.tmp.push_back(std::move(e)); }
    void restart() override { snapshot = Snapshot(); }
    Snapshot snapshot;
};

// What a read says was wrong: "" when it read.
std::string error_of(const Result<SnapshotRead>& r) {
    return r ? "" : describe(r.error());
}

// The fast path alone: nullopt when it gives up.
std::optional<SnapshotRead> fast(const std::string& text) {
    Collect sink;
    std::optional<SnapshotRead> r = read_snapshot_json_fast(std::string_view(text), sink);
    if (!r) return r;
    sink.snapshot.taken_at_ms = r->snapshot.taken_at_ms;
    sink.snapshot.watched = r->snapshot.watched;
    r->snapshot = std::move(sink.snapshot);
    return r;
}

// A valid snapshot with what the writer never writes but a reader must take: escapes,
// a surrogate pair, raw UTF-8, keys in another order, unknown keys holding any value,
// a process without `fds`, base64 fields beside (and instead of) their text.
const char* const k_unusual =
    R"({"host": "h\u00e9\/st", "schema": "leakaudit.snapshot/1", "extra": {"a": [1, -2, true, null, {"b": ""}]},
 "boot_id_base64": "Ym9vdA==", "boot_id": 7, "taken_at_ms": 0, "watched": ["/tmp", 3, ["x"], "/d\ud83d\ude00"],
 "redacted": "yes", "tmp": [{"path": "a\tb", "path_base64": "YWL/Yw==", "type": "dir", "dev": 1, "inode": 2, "uid": 4294967295,
 "size": 18446744073709551615, "entries": 0, "birth_ms": 253402300799999, "link_target": "é€𝄞", "more": -0}],
 "processes": [{"pid": 4194304, "start_ticks": 9, "ppid": 0, "pgid": 0, "sid": 0, "uid": 0, "user": "u", "state": "",
 "started_at_ms": 5, "name": "n\"q\\", "exe": "", "cmdline": [{"arg": "x", "note": 1}, {"arg": 1, "arg_base64": "/w=="}]},
 {"fds": [{"fd": 2147483647, "type": "socket", "inode": 0, "anon_kind": "", "target": "socket:[0]"}], "pid": 1, "start_ticks": 0,
 "ppid": 1, "pgid": 1, "sid": 1, "uid": 1, "user": "", "state": "Z", "started_at_ms": 0, "name": "", "exe": "", "cmdline": []}],
 "sockets": [{"inode": 1, "proto": "unix", "state": "", "local": "", "remote": "", "local_port": 65535, "remote_port": 0,
 "peer_inode": 0, "netns": 0, "path": "@x"}]}  )";

}  // namespace

TEST_CASE("the fast reader reads valid snapshots alone, to the exact reader's model", "[snapshot][fast]") {
    for (std::string text : {snapshot_fixture("old-before.json"), snapshot_fixture("old-after.json"), std::string(k_unusual)}) {
        std::optional<SnapshotRead> quick = fast(text);
        REQUIRE(quick.has_value());
        Result<SnapshotRead> slow = exact(text);
        REQUIRE(slow);
        CHECK(written(*quick) == written(*slow));
        Result<SnapshotRead> read = read_snapshot_json(std::string_view(text));
        REQUIRE(read);
        CHECK(written(*read) == written(*slow));
    }
    std::optional<SnapshotRead> unusual = fast(k_unusual);
    REQUIRE(unusual.has_value());
    CHECK(unusual->meta.boot_id == "boot");
    CHECK(unusual->meta.host == "h\xc3\xa9/st");
    CHECK_FALSE(unusual->meta.redacted);
    CHECK(unusual->snapshot.watched == std::vector<std::string>{"/tmp", "/d\xf0\x9f\x98\x80"});
    CHECK(unusual->snapshot.tmp.at(0).path ==
          "ab\xff"
          "c");
    CHECK(unusual->snapshot.processes.at(0).cmdline == std::vector<std::string>{"x", "\xff"});
    CHECK(unusual->snapshot.processes.at(0).state == '?');
    CHECK_FALSE(unusual->snapshot.processes.at(0).fds_scanned);
    CHECK(unusual->snapshot.processes.at(1).fds.at(0).type == FdType::socket);
}

TEST_CASE("an invalid snapshot gives up the fast path and keeps the exact message", "[snapshot][fast]") {
    std::string valid = snapshot_fixture("old-before.json");
    auto replaced = [&](const std::string& from, const std::string& to) {
        std::string text = valid;
        std::size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    struct Case {
        std::string text, message;
    };
    for (const Case& c : {
             Case{replaced("\"pid\": 1,", "\"pid\": \"1\","), "processes[0]: `pid` must be an integer"},
             Case{replaced("\"pid\": 1,", "\"pid\": 99999999999,"),
                  "processes[0]: `pid` is 99999999999, out of range (1 to 4194304)"},
             Case{replaced("leakaudit.snapshot/1", "leakaudit.snapshot/2"),
                  "this snapshot was written by a newer leakaudit (leakaudit.snapshot/2); this one reads "
                  "leakaudit.snapshot/1: upgrade leakaudit"},
             Case{replaced("\"host\": \"vm\"", "\"host\": tru"), "8:13: invalid JSON (unexpected content)"},
             Case{valid.substr(0, 300), error_of(exact(valid.substr(0, 300)))},
             Case{replaced("\"pid\": 1,", "\"pid\": 1.0,"), "processes[0]: `pid` must be an integer"},
         }) {
        INFO(c.text.substr(0, 400));
        CHECK_FALSE(fast(c.text).has_value());
        CHECK(error_of(exact(c.text)) == c.message);
        CHECK(error_of(read_snapshot_json(std::string_view(c.text))) == c.message);
        // The rewindable chunked reader (a regular file): read again from the first byte.
        std::size_t at = 0, rewinds = 0;
        Result<SnapshotRead> r = read_snapshot_json(
            [&](char* buffer, std::size_t size) {
                std::size_t n = std::min({size, std::size_t{5}, c.text.size() - at});
                c.text.copy(buffer, n, at);
                at += n;
                return n;
            },
            [&] {
                ++rewinds;
                at = 0;
                return true;
            });
        CHECK(error_of(r) == c.message);
        CHECK(rewinds == 1);
    }
}

TEST_CASE("a valid snapshot the fast path gives up on is read once, from the start", "[snapshot][fast]") {
    // The lists are read, then a float the fast path does not read: the sinks restart.
    std::string text = snapshot_fixture("old-after.json");
    text.insert(text.rfind('}'), ", \"later\": 1.5e3");
    REQUIRE_FALSE(fast(text).has_value());
    Result<SnapshotRead> slow = exact(text);
    REQUIRE(slow);
    Result<SnapshotRead> read = read_snapshot_json(std::string_view(text));
    REQUIRE(read);
    CHECK(written(*read) == written(*slow));

    Result<SnapshotRead> before_whole = exact(snapshot_fixture("old-before.json"));
    CompactBefore before({});
    REQUIRE(read_snapshot_json(std::string_view(snapshot_fixture("old-before.json")), before));
    CompactAfter after(before, {});
    REQUIRE(read_snapshot_json(std::string_view(text), after));
    CHECK(after.exact());
    CompactBefore before_again({});
    REQUIRE(read_snapshot_json(std::string_view(snapshot_fixture("old-before.json")), before_again));
    CHECK(before.take({}).processes.size() == before_whole->snapshot.processes.size());
}

TEST_CASE("among mutated snapshots the fast path accepts only what the exact reader reads alike", "[snapshot][fast]") {
    const std::string base = snapshot_fixture("old-after.json");
    const std::string bytes = "\"\\{}[],:0-.eE9 tfnu\x80\xc3\xa9\xed\xff\x01/";
    std::mt19937 random(1234);
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string text = base;
        int edits = 1 + static_cast<int>(random() % 3);
        for (int e = 0; e < edits; ++e) {
            std::size_t at = random() % text.size();
            switch (random() % 4) {
                case 0:
                    text[at] = bytes[random() % bytes.size()];
                    break;
                case 1:
                    text.erase(at, 1 + random() % 3);
                    break;
                case 2:
                    text.insert(at, 1, bytes[random() % bytes.size()]);
                    break;
                default:
                    text.insert(at, text.substr(random() % text.size(), random() % 40));
                    break;
            }
        }
        Result<SnapshotRead> slow = exact(text);
        Result<SnapshotRead> read = read_snapshot_json(std::string_view(text));
        INFO(text);
        REQUIRE(error_of(read) == error_of(slow));
        if (std::optional<SnapshotRead> quick = fast(text)) {
            ++accepted;
            REQUIRE(slow);
            REQUIRE(written(*quick) == written(*slow));
        }
        if (slow) REQUIRE(written(*read) == written(*slow));
    }
    CHECK(accepted > 100);  // mutations inside strings and numbers stay valid
}

TEST_CASE("a process state that is not an ASCII letter reads as '?' and writes back, in both readers",
          "[snapshot][fast]") {
    // Its first byte alone (0xE0 of U+0C0A) would be invalid UTF-8 when the model is written.
    std::string text = snapshot_fixture("old-after.json");
    std::size_t at = text.find("\"state\": \"S\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 12, "\"state\": \"\\u0C0aS\"");
    Result<SnapshotRead> slow = exact(text);
    REQUIRE(slow);
    CHECK(slow->snapshot.processes.at(0).state == '?');
    std::optional<SnapshotRead> quick = fast(text);
    REQUIRE(quick.has_value());
    CHECK(quick->snapshot.processes.at(0).state == '?');
    CHECK_NOTHROW(written(*slow));
    CHECK(written(*quick) == written(*slow));
}
