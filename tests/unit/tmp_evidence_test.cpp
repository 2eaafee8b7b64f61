// Which temp entry is the run's, and which --clean-tmp may delete, on plain data: one
// case per row of the README's attribution table, and every case where cleaning refuses.
#include <catch2/catch.hpp>

#include "core/tmp_evidence.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;

namespace {

constexpr int k_self = 100;
constexpr int k_run_pid = 200;    // forked below leakaudit
constexpr int k_other_pid = 300;  // another user's process

TmpEntry entry(const std::string& path, std::uint64_t inode, EntryType type = EntryType::dir) {
    return test::tmp_entry(path, type, inode, 1500, 7);
}

CreatedEntry created(const std::string& path, int pid, std::uint64_t inode) {
    return CreatedEntry{path, pid, 42, true, EntryIdentity{7, inode}};
}

WatchRecord complete_record(std::vector<CreatedEntry> creations) {
    WatchRecord r;
    r.forks.available = true;
    r.forks.forked_by = {{k_run_pid, k_self}};
    r.created = std::move(creations);
    r.watched = {"/tmp"};
    r.complete = true;
    return r;
}

Snapshot after_with(std::vector<TmpEntry> entries) {
    return test::tmp_snapshot(std::move(entries));
}

TmpEvidence evidence_for(const WatchRecord& record, const Snapshot& after, const std::vector<RunProcess>& run = {}) {
    TmpEvidence ev = tmp_evidence(record, run, after);
    ev.window_start_ms = 1000;
    ev.window_end_ms = 2000;
    return ev;
}

// The single finding for `after`'s entries, or none.
std::vector<Finding> findings(const Snapshot& after, const TmpEvidence& ev) {
    return tmp_findings(Snapshot{}, after, ev);
}

}  // namespace

TEST_CASE("creator-pid: a creator the fork history knows as the run's, even gone", "[tmp][attribution]") {
    Snapshot after = after_with({entry("/tmp/x", 10)});
    TmpEvidence ev = evidence_for(complete_record({created("/tmp/x", k_run_pid, 10)}), after);
    auto f = findings(after, ev);
    REQUIRE(f.size() == 1);
    CHECK(f[0].attribution == Attribution::creator_pid);
    CHECK(clean_verdict(f[0], ev) == CleanVerdict::remove);
}

TEST_CASE("creator-pid: without fork history, a creator alive in the run (pid and start time)", "[tmp][attribution]") {
    WatchRecord record = complete_record({created("/tmp/x", 555, 10), created("/tmp/y", 556, 11)});
    record.forks = ForkHistory{};  // no connector
    record.complete = false;
    Process alive;
    alive.id = {555, 42};
    Process reused;  // pid 556 now names another process (another start time)
    reused.id = {556, 99};
    std::vector<RunProcess> run{{&alive, Attribution::descendant}, {&reused, Attribution::descendant}};
    Snapshot after = after_with({entry("/tmp/x", 10), entry("/tmp/y", 11)});
    TmpEvidence ev = evidence_for(record, after, run);
    CHECK(ev.created_by_run.at("/tmp/x"));
    CHECK_FALSE(ev.created_by_run.count("/tmp/y"));  // unknown: no claim either way
    CHECK(creator_of(record.created[1], record.forks, run) == Creator::unknown);
}

TEST_CASE("an entry another process created is not reported and not removed", "[tmp][attribution]") {
    Snapshot after = after_with({entry("/tmp/theirs", 10)});
    TmpEvidence ev = evidence_for(complete_record({created("/tmp/theirs", k_other_pid, 10)}), after);
    CHECK(findings(after, ev).empty());
}

TEST_CASE("only the latest creation counts: run creates and deletes /tmp/x, another user recreates it",
          "[tmp][attribution][clean]") {
    // The repro: today reported and deleted; now neither.
    Snapshot after = after_with({entry("/tmp/x", 20)});
    TmpEvidence ev =
        evidence_for(complete_record({created("/tmp/x", k_run_pid, 10), created("/tmp/x", k_other_pid, 20)}), after);
    CHECK_FALSE(ev.created_by_run.at("/tmp/x"));
    CHECK(findings(after, ev).empty());
    Finding forced;  // even if something else reported it, cleaning refuses
    forced.kind = Kind::tmp;
    forced.severity = Severity::error;
    forced.tmp = after.tmp[0];
    CHECK(clean_verdict(forced, ev) == CleanVerdict::not_proven);
}

TEST_CASE("the run recreating a path after another process makes it the run's again", "[tmp][attribution]") {
    Snapshot after = after_with({entry("/tmp/x", 30)});
    TmpEvidence ev =
        evidence_for(complete_record({created("/tmp/x", k_other_pid, 20), created("/tmp/x", k_run_pid, 30)}), after);
    auto f = findings(after, ev);
    REQUIRE(f.size() == 1);
    CHECK(clean_verdict(f[0], ev) == CleanVerdict::remove);
}

TEST_CASE("a latest creator that cannot be judged withdraws the run's earlier claim", "[tmp][attribution][clean]") {
    WatchRecord record = complete_record({created("/tmp/x", k_run_pid, 10), created("/tmp/x", 777, 20)});
    record.forks.ambiguous = {777};  // pid used by the run and by others meanwhile
    Snapshot after = after_with({entry("/tmp/x", 20)});
    TmpEvidence ev = evidence_for(record, after);
    CHECK_FALSE(ev.created_by_run.count("/tmp/x"));
    CHECK(findings(after, ev).empty());  // fully watched and no claim: not reported
}

TEST_CASE("clean refuses an entry replaced since the run created it", "[tmp][clean]") {
    // Same path, the run's creation last, but another object there now (no event seen).
    Snapshot after = after_with({entry("/tmp/x", 99)});
    TmpEvidence ev = evidence_for(complete_record({created("/tmp/x", k_run_pid, 10)}), after);
    auto f = findings(after, ev);
    REQUIRE(f.size() == 1);
    CHECK(clean_verdict(f[0], ev) == CleanVerdict::replaced);
}

TEST_CASE("clean refuses an entry whose identity at creation was not read", "[tmp][clean]") {
    CreatedEntry c = created("/tmp/x", k_run_pid, 10);
    c.identity.reset();
    Snapshot after = after_with({entry("/tmp/x", 10)});
    TmpEvidence ev = evidence_for(complete_record({c}), after);
    auto f = findings(after, ev);
    REQUIRE(f.size() == 1);
    CHECK(f[0].attribution == Attribution::creator_pid);
    CHECK(clean_verdict(f[0], ev) == CleanVerdict::identity_unknown);
}

TEST_CASE("clean refuses what a rule ignores", "[tmp][clean]") {
    Snapshot after = after_with({entry("/tmp/x", 10)});
    TmpEvidence ev = evidence_for(complete_record({created("/tmp/x", k_run_pid, 10)}), after);
    auto f = findings(after, ev);
    REQUIRE(f.size() == 1);
    f[0].severity = Severity::ignore;
    CHECK(clean_verdict(f[0], ev) == CleanVerdict::ignored);
}

TEST_CASE("held-open: reported, but clean refuses", "[tmp][attribution][clean]") {
    Process leaked;
    leaked.id = {k_run_pid, 42};
    Descriptor d;
    d.fd = 3;
    d.type = FdType::file;
    d.target = "/tmp/held/log";
    leaked.fds = {d};
    std::vector<RunProcess> run{{&leaked, Attribution::descendant}};
    Snapshot after = after_with({entry("/tmp/held", 10), entry("/tmp/held/log", 11, EntryType::file)});
    WatchRecord record = complete_record({});
    TmpEvidence ev = evidence_for(record, after, run);
    auto f = findings(after, ev);
    REQUIRE(f.size() == 1);
    CHECK(f[0].attribution == Attribution::held_open);
    CHECK(clean_verdict(f[0], ev) == CleanVerdict::not_proven);
}

TEST_CASE("time-window: only for an unwatched folder, and clean refuses", "[tmp][attribution][clean]") {
    WatchRecord record;  // no creation watch at all
    Snapshot after = after_with({entry("/tmp/w", 10)});
    TmpEvidence ev = evidence_for(record, after);
    auto f = findings(after, ev);
    REQUIRE(f.size() == 1);
    CHECK(f[0].attribution == Attribution::time_window);
    CHECK(clean_verdict(f[0], ev) == CleanVerdict::not_proven);

    WatchRecord watched = complete_record({});  // watched, nobody of the run created it
    CHECK(findings(after, evidence_for(watched, after)).empty());
}

TEST_CASE("an incomplete watch (lost events) does not mark the root as fully watched", "[tmp][attribution]") {
    WatchRecord record = complete_record({});
    record.forks.lost_events = true;
    record.complete = false;
    Snapshot after = after_with({entry("/tmp/w", 10)});
    auto f = findings(after, evidence_for(record, after));
    REQUIRE(f.size() == 1);
    CHECK(f[0].attribution == Attribution::time_window);
}
