// `diff`'s compact model gives the whole model's findings: random snapshot pairs are
// written as snapshot files, read back both ways, and diffed; the findings (as their
// JSON) and the warnings must be the same, with and without --pid and --user.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>

#include "core/diff_compact.hpp"
#include "core/report_json.hpp"
#include "core/snapshot_json.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

class Gen {
public:
    explicit Gen(unsigned seed) : m_rng(seed) {}
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    bool chance(int percent) { return pick(1, 100) <= percent; }

    // A machine: processes in a tree, descriptors on shared files and sockets, temp entries.
    Snapshot machine() {
        Snapshot s = snapshot({proc(1, 1, 0, {"init"}), proc(2, 1, 0, {"kthreadd"})});
        s.taken_at_ms = 1000;
        s.watched = {"/tmp"};
        for (int i = 0; i < pick(5, 30); ++i)
            s.processes.push_back(process(s));
        for (int i = 0; i < pick(3, 40); ++i)
            s.tmp.push_back(entry(s));
        add_sockets(s);
        return s;
    }
    // The same machine later: some processes gone, new ones (below old ones too), new
    // descriptors, entries removed, added, replaced (same path, new inode) or listed twice.
    Snapshot later(Snapshot s) {
        s.taken_at_ms = 2000;
        std::erase_if(s.processes, [&](const Process& p) { return p.id.pid > 2 && chance(15); });
        for (Process& p : s.processes) {
            if (p.fds_scanned && chance(30)) p.fds.push_back(descriptor(p.fds.size() + 3));
        }
        for (int i = 0; i < pick(0, 15); ++i)
            s.processes.push_back(process(s));
        std::erase_if(s.tmp, [&](const TmpEntry&) { return chance(10); });
        std::size_t old = s.tmp.size();
        for (std::size_t i = 0; i < old; ++i) {
            if (chance(8)) s.tmp[i].inode = next();
            if (chance(4)) s.tmp.push_back(s.tmp[i]);  // a path listed twice, same object
        }
        for (int i = 0; i < pick(0, 20); ++i)
            s.tmp.push_back(entry(s));
        s.sockets.clear();
        add_sockets(s);
        return s;
    }
    int random_pid(const Snapshot& s) { return s.processes[pick(0, static_cast<int>(s.processes.size()) - 1)].id.pid; }

private:
    std::uint64_t next() { return ++m_counter; }

    Process process(const Snapshot& s) {
        int pid = static_cast<int>(next()) + 100;
        Process p = proc(pid, next(), random_pid(s), {"p" + std::to_string(pid), "--flag"});
        p.uid = chance(50) ? 1000 : 0;
        p.state = chance(5) ? 'Z' : 'S';
        p.exe = "/usr/bin/p";
        p.fds_scanned = chance(85);
        if (p.fds_scanned) {
            for (int fd = 0; fd < pick(0, 8); ++fd)
                p.fds.push_back(descriptor(static_cast<std::size_t>(fd)));
        }
        return p;
    }
    Descriptor descriptor(std::size_t fd) {
        Descriptor d;
        d.fd = static_cast<int>(fd);
        switch (pick(0, 3)) {
            case 0:
                d.type = FdType::socket;
                d.inode = static_cast<std::uint64_t>(pick(1, 40));
                d.target = "socket:[" + std::to_string(d.inode) + "]";
                break;
            case 1:
                d.type = FdType::file;
                d.target = "/tmp/e" + std::to_string(pick(1, 60)) + (chance(30) ? "/inner" : "");
                d.inode = next();
                break;
            case 2:
                d.type = FdType::anon_inode;
                d.anon_kind = "eventfd";
                d.target = "anon_inode:[eventfd]";
                break;
            default:
                d.type = FdType::pipe;
                d.inode = static_cast<std::uint64_t>(pick(500, 520));
                d.target = "pipe:[" + std::to_string(d.inode) + "]";
        }
        return d;
    }
    TmpEntry entry(const Snapshot& s) {
        std::string path = "/tmp/e" + std::to_string(pick(1, 60));
        if (chance(40) && !s.tmp.empty()) path = s.tmp[pick(0, static_cast<int>(s.tmp.size()) - 1)].path + "/inner";
        TmpEntry e = tmp_entry(path, chance(30) ? EntryType::dir : EntryType::file, next());
        e.uid = chance(50) ? 1000 : 0;
        e.size = next();
        return e;
    }
    void add_sockets(Snapshot& s) {
        for (std::uint64_t inode = 1; inode <= 40; ++inode) {
            if (!chance(70)) continue;
            Socket k;
            k.inode = inode;
            k.proto = chance(50) ? "unix" : "tcp";
            k.path = k.proto == "unix" && chance(50) ? "/tmp/e" + std::to_string(pick(1, 60)) : "";
            k.local = "127.0.0.1:" + std::to_string(pick(1000, 2000));
            k.state = chance(50) ? "listen" : "established";
            s.sockets.push_back(k);
        }
    }

    std::mt19937 m_rng;
    std::uint64_t m_counter = 0;
};

std::string file_of(const Snapshot& s) {
    std::ostringstream out;
    write_snapshot_json(s, {"0.1.0", "boot", "host"}, out);
    return out.str();
}

// Findings and warnings as text, for a comparison that names what differs.
std::vector<std::string> outcome(const DiffResult& r) {
    std::vector<std::string> out;
    for (const Finding& f : r.findings)
        out.push_back(finding_to_json(f).dump());
    for (const std::string& w : r.warnings)
        out.push_back("warning: " + w);
    return out;
}

struct Compared {
    std::vector<std::string> whole, compact;
    bool exact = false;
};

Compared compare(const Snapshot& before, const Snapshot& after, const DiffScope& scope) {
    std::string before_file = file_of(before), after_file = file_of(after);
    Compared c;
    Result<SnapshotRead> whole_before = read_snapshot_json(std::string_view(before_file));
    Result<SnapshotRead> whole_after = read_snapshot_json(std::string_view(after_file));
    REQUIRE(whole_before.has_value());
    REQUIRE(whole_after.has_value());
    c.whole = outcome(diff_findings(whole_before->snapshot, whole_after->snapshot, scope));

    CompactBefore compact_before(scope);
    Result<SnapshotRead> read_before = read_snapshot_json(std::string_view(before_file), compact_before);
    REQUIRE(read_before.has_value());
    CompactAfter compact_after(compact_before, scope);
    Result<SnapshotRead> read_after = read_snapshot_json(std::string_view(after_file), compact_after);
    REQUIRE(read_after.has_value());
    c.exact = compact_after.exact();
    Snapshot compact_after_snapshot = compact_after.take(std::move(read_after->snapshot));
    c.compact = outcome(diff_findings(compact_before.take(std::move(read_before->snapshot)), compact_before.tmp_keys(),
                                      compact_after_snapshot, scope));
    return c;
}

}  // namespace

TEST_CASE("diff, compact model: the same findings as the whole model on random snapshot pairs", "[diff][compact]") {
    int exact = 0, compared = 0, with_findings = 0;
    for (unsigned seed = 1; seed <= 60; ++seed) {
        Gen gen(seed);
        Snapshot before = gen.machine();
        Snapshot after = gen.later(before);
        std::vector<DiffScope> scopes = {DiffScope{{}, std::nullopt, 0, {}},
                                         DiffScope{{gen.random_pid(before)}, std::nullopt, 0, {}},
                                         DiffScope{{gen.random_pid(before), 1}, 1000u, 0, {"/tmp/e3"}},
                                         DiffScope{{}, 1000u, gen.random_pid(after), {}}};
        for (const DiffScope& scope : scopes) {
            CAPTURE(seed, scope.pids, scope.uid.has_value());
            Compared c = compare(before, after, scope);
            ++compared;
            with_findings += !c.whole.empty();
            if (!c.exact) continue;  // diff reads the whole model then
            ++exact;
            // The first difference, when there is one, names what the compact model lost.
            auto [whole_at, compact_at] =
                std::mismatch(c.whole.begin(), c.whole.end(), c.compact.begin(), c.compact.end());
            CAPTURE(whole_at == c.whole.end() ? "(end)" : *whole_at,
                    compact_at == c.compact.end() ? "(end)" : *compact_at);
            CHECK(c.compact == c.whole);
        }
    }
    CHECK(exact > compared / 2);          // the fallback is the exception
    CHECK(with_findings > compared / 2);  // the pairs have something to find
}

TEST_CASE("diff, compact model: AFTER keeps whole only what can be a finding", "[diff][compact]") {
    Process host = proc(50, 5, 1, {"host"});
    host.fds_scanned = true;
    host.fds = {Descriptor{3, FdType::file, "/var/log/host.log", 7, "", 0}};
    Process old = proc(60, 6, 1, {"old", "--arg"});
    old.fds_scanned = true;
    old.fds = {Descriptor{3, FdType::file, "/tmp/held", 8, "", 0},
               Descriptor{4, FdType::anon_inode, "anon_inode:[eventfd]", 0, "eventfd", 0}};
    Process fresh = proc(70, 7, 1, {"fresh"});

    CHECK(keep_in_before(host, DiffScope{{50}, std::nullopt, 0, {}}) == ProcessKeep::whole);
    CHECK(keep_in_before(old, DiffScope{{50}, std::nullopt, 0, {}}) == ProcessKeep::identity);
    CHECK(keep_in_after(fresh, false, DiffScope{}) == ProcessKeep::whole);
    CHECK(keep_in_after(old, true, DiffScope{}) == ProcessKeep::identity);
    CHECK(keep_in_after(old, true, DiffScope{{50}, std::nullopt, 0, {}}) == ProcessKeep::held);
    CHECK(keep_in_after(host, true, DiffScope{{50}, std::nullopt, 0, {}}) == ProcessKeep::whole);

    Process held = old;
    reduce_process(held, ProcessKeep::held);
    REQUIRE(held.fds.size() == 1);  // the absolute path; the eventfd says nothing held
    CHECK(held.fds[0].target == "/tmp/held");
    CHECK(held.cmdline.empty());
    CHECK(held.id == old.id);
    CHECK(held.ppid == old.ppid);
    Process identity = old;
    reduce_process(identity, ProcessKeep::identity);
    CHECK(identity.fds.empty());
    CHECK(identity.fds_scanned);
}

TEST_CASE("diff, compact model: documents the stream cannot decide ask for the whole model", "[diff][compact]") {
    Snapshot before = tmp_snapshot({tmp_entry("/tmp/a", EntryType::file, 1)});
    before.processes = {proc(1, 1, 0, {"init"})};
    CompactBefore compact_before(DiffScope{});
    REQUIRE(read_snapshot_json(std::string_view(file_of(before)), compact_before).has_value());

    SECTION("a path listed twice, once as it was and once as a new object") {
        Snapshot after = before;
        after.tmp.push_back(tmp_entry("/tmp/a", EntryType::file, 2));
        CompactAfter compact_after(compact_before, DiffScope{});
        REQUIRE(read_snapshot_json(std::string_view(file_of(after)), compact_after).has_value());
        CHECK_FALSE(compact_after.exact());
    }
    SECTION("sockets before the processes that hold them") {
        std::string doc = R"({"schema":"leakaudit.snapshot/1","boot_id":"boot","host":"h","taken_at_ms":1,
            "watched":[],"sockets":[{"inode":9,"proto":"tcp","state":"listen","local":"0.0.0.0:1","remote":"",
            "local_port":1,"remote_port":0,"peer_inode":0,"netns":0,"path":""}],"processes":[],"tmp":[],
            "processes":[],"warnings":[]})";
        CompactAfter compact_after(compact_before, DiffScope{});
        REQUIRE(read_snapshot_json(std::string_view(doc), compact_after).has_value());
        CHECK(compact_after.exact());  // nothing was dropped: no filter before the processes
        CHECK(compact_after.take(Snapshot{}).sockets.size() == 1);
    }
    SECTION("a processes list after sockets were dropped") {
        std::string doc = R"({"schema":"leakaudit.snapshot/1","boot_id":"boot","host":"h","taken_at_ms":1,
            "watched":[],"processes":[],"sockets":[{"inode":9,"proto":"tcp","state":"listen","local":"0.0.0.0:1",
            "remote":"","local_port":1,"remote_port":0,"peer_inode":0,"netns":0,"path":""}],"tmp":[],
            "processes":[],"warnings":[]})";
        CompactAfter compact_after(compact_before, DiffScope{});
        REQUIRE(read_snapshot_json(std::string_view(doc), compact_after).has_value());
        CHECK_FALSE(compact_after.exact());
    }
}

TEST_CASE("temp key set: an entry is found by path, device and inode, nothing less", "[diff][compact]") {
    TmpKeySet keys;
    keys.add("/tmp/b", 1, 2);
    keys.add("/tmp/a", 1, 3);
    keys.add("/tmp/a", 1, 2);
    CHECK(keys.contains("/tmp/a", 1, 2));
    CHECK(keys.contains("/tmp/a", 1, 3));
    CHECK(keys.contains("/tmp/b", 1, 2));
    CHECK_FALSE(keys.contains("/tmp/b", 2, 2));
    CHECK_FALSE(keys.contains("/tmp/c", 1, 2));
    CHECK_FALSE(keys.contains("/tmp/", 1, 2));
    keys.clear();
    CHECK_FALSE(keys.contains("/tmp/a", 1, 2));
}

TEST_CASE("snapshot reader: a long document's error line and column do not depend on the chunk size", "[snapshot]") {
    std::string doc = "{\n\"watched\": [\n";
    while (doc.size() < 70'000)
        doc += "  \"/tmp/folder-" + std::to_string(doc.size()) + "\",\n";
    for (std::size_t cut : {std::size_t{65'530}, std::size_t{65'536}, std::size_t{65'537}, std::size_t{69'999}}) {
        std::string text = doc.substr(0, cut);
        // Truncated: the error is at the end, on the line after the last newline.
        std::size_t last_newline = text.rfind('\n');
        std::string expected = std::to_string(std::count(text.begin(), text.end(), '\n') + 1) + ":" +
                               std::to_string(cut - last_newline) + ": invalid JSON (the file ends early: truncated?)";
        for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{65'536}}) {
            CAPTURE(cut, chunk);
            std::size_t at = 0;
            Result<SnapshotRead> r = read_snapshot_json([&](char* buffer, std::size_t size) {
                std::size_t n = std::min({size, chunk, text.size() - at});
                text.copy(buffer, n, at);
                at += n;
                return n;
            });
            REQUIRE_FALSE(r.has_value());
            CHECK(describe(r.error()) == expected);
        }
    }
}
