// Temp-entry findings on plain data: what is new, one finding per new folder, and each
// attribution mode with its limits.
#include <catch2/catch.hpp>

#include "core/tmp_findings.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;

namespace {

TmpEntry entry(const std::string& path, EntryType type, std::uint64_t inode, std::int64_t birth_ms = 1500) {
    return test::tmp_entry(path, type, inode, birth_ms);
}

Snapshot with(std::vector<TmpEntry> entries) {
    return test::tmp_snapshot(std::move(entries));
}

TmpEvidence window_only() {
    TmpEvidence ev;
    ev.window_start_ms = 1000;
    ev.window_end_ms = 2000;
    return ev;
}

std::vector<std::string> paths(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const Finding& f : findings)
        out.push_back(f.tmp->path);
    return out;
}

}  // namespace

TEST_CASE("a new folder is one finding, not one per entry inside", "[tmp]") {
    TmpEntry dir = entry("/tmp/plugin-x", EntryType::dir, 10);
    dir.entry_count = 2;
    Snapshot after =
        with({dir, entry("/tmp/plugin-x/a", EntryType::file, 11), entry("/tmp/plugin-x/b", EntryType::file, 12)});
    auto f = tmp_findings(with({}), after, window_only());
    REQUIRE(paths(f) == std::vector<std::string>{"/tmp/plugin-x"});
    CHECK(f[0].message.find("2 entries") != std::string::npos);
    CHECK(f[0].attribution == Attribution::time_window);
}

TEST_CASE("entries that existed before are not new, even when modified, a replaced one is", "[tmp]") {
    Snapshot before =
        with({entry("/tmp/keep", EntryType::file, 20, 10), entry("/tmp/replaced", EntryType::file, 21, 10)});
    TmpEntry modified = entry("/tmp/keep", EntryType::file, 20, 10);
    modified.size = 999;
    Snapshot after = with({modified, entry("/tmp/replaced", EntryType::file, 99)});
    CHECK(paths(tmp_findings(before, after, window_only())) == std::vector<std::string>{"/tmp/replaced"});
}

TEST_CASE("a new entry inside an old folder is reported by itself", "[tmp]") {
    Snapshot before = with({entry("/tmp/cache", EntryType::dir, 30, 10)});
    Snapshot after =
        with({entry("/tmp/cache", EntryType::dir, 30, 10), entry("/tmp/cache/new.db", EntryType::file, 31)});
    CHECK(paths(tmp_findings(before, after, window_only())) == std::vector<std::string>{"/tmp/cache/new.db"});
}

TEST_CASE("creation evidence decides: the run's creator reports, another's hides", "[tmp]") {
    Snapshot after = with({entry("/tmp/mine", EntryType::file, 40), entry("/tmp/theirs", EntryType::file, 41)});
    TmpEvidence ev = window_only();
    ev.created_by_run = {{"/tmp/mine", true}, {"/tmp/theirs", false}};
    auto f = tmp_findings(with({}), after, ev);
    REQUIRE(paths(f) == std::vector<std::string>{"/tmp/mine"});
    CHECK(f[0].attribution == Attribution::creator_pid);
}

TEST_CASE("a fully watched folder without a creation by the run reports nothing by time", "[tmp]") {
    Snapshot after = with({entry("/tmp/unseen", EntryType::file, 50)});
    TmpEvidence ev = window_only();
    ev.fully_watched_roots = {"/tmp"};
    CHECK(tmp_findings(with({}), after, ev).empty());
    ev.held_by_run = {"/tmp/unseen"};
    auto held = tmp_findings(with({}), after, ev);
    REQUIRE(held.size() == 1);
    CHECK(held[0].attribution == Attribution::held_open);
}

TEST_CASE("a folder is held open when something inside it is", "[tmp]") {
    Snapshot after = with({entry("/tmp/db", EntryType::dir, 60), entry("/tmp/db/data.sqlite", EntryType::file, 61)});
    TmpEvidence ev = window_only();
    ev.fully_watched_roots = {"/tmp"};
    ev.held_by_run = {"/tmp/db/data.sqlite"};
    auto f = tmp_findings(with({}), after, ev);
    REQUIRE(paths(f) == std::vector<std::string>{"/tmp/db"});
    CHECK(f[0].attribution == Attribution::held_open);
    ev.held_by_run = {"/tmp/dbx/other"};  // a sibling with a common prefix is not inside
    CHECK(tmp_findings(with({}), after, ev).empty());
}

TEST_CASE("the time window needs the harness's user and a birth inside the run", "[tmp]") {
    TmpEntry other_user = entry("/tmp/a", EntryType::file, 70);
    other_user.uid = 1000;
    Snapshot after =
        with({other_user, entry("/tmp/old-born", EntryType::file, 71, -10000), entry("/tmp/b", EntryType::file, 72)});
    CHECK(paths(tmp_findings(with({}), after, window_only())) == std::vector<std::string>{"/tmp/b"});
}

TEST_CASE("tmp ids fold mktemp suffixes and numbers, so reruns match", "[tmp][ids]") {
    CHECK(stable_path_key("/tmp/plugin-demo-2gK4Ed") == stable_path_key("/tmp/plugin-demo-UoDh8q"));
    CHECK(stable_path_key("/dev/shm/plugin-shm-3222-659994be") == stable_path_key("/dev/shm/plugin-shm-3393-7f74c122"));
    CHECK(stable_path_key("/tmp/cache.db") == "/tmp/cache.db");
    // mktemp's XXXXXX may come out all lowercase: six characters ending a name still fold.
    CHECK(stable_path_key("/tmp/plugin-demo-abcdef") == stable_path_key("/tmp/plugin-demo-UoDh8q"));
    CHECK(stable_path_key("/tmp/org.chromium.Chromium.qwerty/SingletonSocket") ==
          stable_path_key("/tmp/org.chromium.Chromium.uyuWzs/SingletonSocket"));
    Snapshot a = with({entry("/tmp/plugin-demo-2gK4Ed", EntryType::dir, 80)});
    Snapshot b = with({entry("/tmp/plugin-demo-UoDh8q", EntryType::dir, 81)});
    CHECK(tmp_findings(with({}), a, window_only()).at(0).id == tmp_findings(with({}), b, window_only()).at(0).id);
    Snapshot elsewhere = with({entry("/var/tmp/plugin-demo-k3Jd9s", EntryType::dir, 82)});
    elsewhere.watched = {"/var/tmp"};  // same leak, another TMPDIR: same id
    CHECK(tmp_findings(with({}), elsewhere, window_only()).at(0).id ==
          tmp_findings(with({}), a, window_only()).at(0).id);
}
