// Which mode `run` reads the machine in, and what an event-driven after-state looks at
// and counts as new, on plain data (README, "Performance: what a run costs").
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/audit_mode.hpp"
#include "core/event_after.hpp"
#include "core/report_json.hpp"

using namespace leakaudit;

namespace {

constexpr int k_self = 100;
constexpr int k_run_pid = 200;
constexpr int k_neighbour = 300;

WatcherState all_there() {
    WatcherState w;
    w.forks_available = true;
    w.creation_watch = true;
    w.every_root_watched = true;
    w.every_root_has_birth_time = true;
    return w;
}

CreatedEntry created(const std::string& path, int pid) {
    return CreatedEntry{path, pid, 42, false, EntryIdentity{7, 1}};
}

WatchRecord record_of(std::vector<CreatedEntry> creations) {
    WatchRecord r;
    r.forks.available = true;
    r.forks.forked_by = {{k_run_pid, k_self}};
    r.created = std::move(creations);
    r.watched = {"/tmp"};
    r.complete = true;
    return r;
}

TmpEntry entry(const std::string& path, std::int64_t birth_ms) {
    TmpEntry e;
    e.path = path;
    e.type = EntryType::file;
    e.birth_ms = birth_ms;
    return e;
}

Process process(int pid, std::uint64_t start_ticks) {
    Process p;
    p.id = {pid, start_ticks};
    return p;
}

bool has(const std::vector<std::string>& paths, const std::string& path) {
    return std::find(paths.begin(), paths.end(), path) != paths.end();
}

}  // namespace

TEST_CASE("event-driven only when both watchers cover every watched folder", "[audit-mode]") {
    CHECK(plan_audit(all_there()).mode == AuditMode::events);
    CHECK(plan_audit(all_there()).reason == WalkReason::none);
    WatcherState w = all_there();
    w.forced_walk = true;
    CHECK(plan_audit(w).mode == AuditMode::walk);
    CHECK(plan_audit(w).reason == WalkReason::forced);
    w = all_there();
    w.forks_available = false;  // not root: no connector
    CHECK(plan_audit(w).reason == WalkReason::no_fork_history);
    w = all_there();
    w.creation_watch = false;
    CHECK(plan_audit(w).reason == WalkReason::no_creation_watch);
    w = all_there();
    w.every_root_watched = false;
    CHECK(plan_audit(w).reason == WalkReason::root_unwatched);
    w = all_there();
    w.every_root_has_birth_time = false;
    CHECK(plan_audit(w).mode == AuditMode::walk);
    CHECK(plan_audit(w).reason == WalkReason::no_birth_time);
}

TEST_CASE("a watcher that lost events turns an event-driven run into a full read after", "[audit-mode]") {
    AuditState events = plan_audit(all_there());
    CHECK(after_audit(events, false, false).mode == AuditMode::events);
    CHECK(after_audit(events, true, false).mode == AuditMode::walk_after_events);
    CHECK(after_audit(events, true, false).reason == WalkReason::watch_overflowed);
    CHECK(after_audit(events, false, true).reason == WalkReason::fork_events_lost);
    WatcherState w = all_there();
    w.forks_available = false;
    AuditState walk = plan_audit(w);
    CHECK(after_audit(walk, true, true).mode == AuditMode::walk);  // a walk stays a walk
    CHECK(after_audit(walk, true, true).reason == WalkReason::no_fork_history);
}

TEST_CASE("the report says which mode was used, and why not events", "[audit-mode][report]") {
    Report r;
    r.audit = {AuditMode::walk, WalkReason::forced};
    auto j = report_to_json(r);
    CHECK(j["audit"]["mode"] == "walk");
    CHECK(j["audit"]["reason"] == "forced by LEAKAUDIT_FORCE_WALK");
    r.audit = {AuditMode::events, WalkReason::none};
    j = report_to_json(r);
    CHECK(j["audit"]["mode"] == "events");
    CHECK_FALSE(j["audit"].contains("reason"));
    r.mode = ReportMode::diff;
    CHECK_FALSE(report_to_json(r).contains("audit"));
}

TEST_CASE("only the run's creations are looked at, never a neighbour's", "[audit-mode][tmp]") {
    std::vector<CreatedEntry> creations;
    for (int i = 0; i < 20000; ++i)
        creations.push_back(created("/tmp/noise-" + std::to_string(i), k_neighbour));
    creations.push_back(created("/tmp/mine", k_run_pid));
    auto paths = paths_to_look_at(record_of(std::move(creations)), {}, {});
    REQUIRE(paths.size() == 1);
    CHECK(paths[0] == "/tmp/mine");
}

TEST_CASE("the latest creation of a path decides whether it is looked at", "[audit-mode][tmp]") {
    // The run created it, removed it, and a neighbour created it again: the neighbour's.
    auto paths = paths_to_look_at(record_of({created("/tmp/a", k_run_pid), created("/tmp/a", k_neighbour),
                                             created("/tmp/b", k_neighbour), created("/tmp/b", k_run_pid)}),
                                  {}, {});
    CHECK_FALSE(has(paths, "/tmp/a"));
    CHECK(has(paths, "/tmp/b"));
}

TEST_CASE("a new folder above a run's entry is looked at, so it hides what is inside", "[audit-mode][tmp]") {
    auto paths = paths_to_look_at(record_of({created("/tmp/d", k_neighbour), created("/tmp/d/e", k_neighbour),
                                             created("/tmp/d/e/f", k_run_pid), created("/tmp/old/g", k_run_pid)}),
                                  {}, {});
    CHECK(has(paths, "/tmp/d/e/f"));
    CHECK(has(paths, "/tmp/d/e"));
    CHECK(has(paths, "/tmp/d"));
    CHECK(has(paths, "/tmp/old/g"));
    CHECK_FALSE(has(paths, "/tmp/old"));  // not created during the run
}

TEST_CASE("a neighbour's entry the run holds open is looked at (held-open)", "[audit-mode][tmp]") {
    auto record = record_of(
        {created("/tmp/shared", k_neighbour), created("/tmp/dir", k_neighbour), created("/tmp/other", k_neighbour)});
    auto paths = paths_to_look_at(record, {}, {"/tmp/shared", "/tmp/dir/inner.log", "/dev/null"});
    CHECK(has(paths, "/tmp/shared"));
    CHECK(has(paths, "/tmp/dir"));
    CHECK_FALSE(has(paths, "/tmp/other"));
}

TEST_CASE("an unknown creator (no fork history) is looked at", "[audit-mode][tmp]") {
    auto record = record_of({created("/tmp/x", 555)});
    record.forks = ForkHistory{};
    record.complete = false;
    CHECK(has(paths_to_look_at(record, {}, {}), "/tmp/x"));
}

TEST_CASE("entries born before the run are never new, even renamed back into place", "[audit-mode][tmp]") {
    auto fresh = new_entries({entry("/tmp/old", 999), entry("/tmp/new", 1000), entry("/tmp/later", 5000)}, 1000);
    REQUIRE(fresh.size() == 2);
    CHECK(fresh[0].path == "/tmp/new");
    CHECK(fresh[1].path == "/tmp/later");
}

TEST_CASE("the fallback's before-state: entries by birth time, processes by start time", "[audit-mode]") {
    Snapshot after;
    after.watched = {"/tmp"};
    after.tmp = {entry("/tmp/old", 500), entry("/tmp/new", 1500)};
    after.processes = {process(10, 100), process(20, 200), process(30, 300)};
    Snapshot before = existed_before(after, 1000, 200);
    REQUIRE(before.tmp.size() == 1);
    CHECK(before.tmp[0].path == "/tmp/old");
    REQUIRE(before.processes.size() == 1);
    CHECK(before.processes[0].id.pid == 10);
    CHECK(before.watched == after.watched);
}
