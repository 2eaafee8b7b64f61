// Attribution on plain data: ancestry through the subreaper, the run id, pid reuse.
#include <catch2/catch.hpp>

#include "core/attribution.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

// pid 100 is leakaudit (started at tick 10), pid 200 the harness (tick 20).
RunRoots roots() {
    return RunRoots{{100, 10}, ProcessId{200, 20}, "cookie"};
}

std::vector<int> run_pids(const std::vector<RunProcess>& run) {
    std::vector<int> pids;
    for (const RunProcess& rp : run)
        pids.push_back(rp.process->id.pid);
    return pids;
}

}  // namespace

TEST_CASE("children and grandchildren of the harness are the run's", "[attribution]") {
    Snapshot before = snapshot({proc(1, 1, 0, {"init"}), proc(100, 10, 1, {"leakaudit"})});
    Snapshot after = snapshot({proc(1, 1, 0, {"init"}), proc(100, 10, 1, {"leakaudit"}), proc(200, 20, 100, {"sh"}),
                               proc(201, 21, 200, {"node"}), proc(202, 22, 201, {"chrome"})});
    CHECK(run_pids(attribute_processes(before, after, roots())) == std::vector<int>{201, 202});
}

TEST_CASE("orphans adopted by the subreaper stay the run's after the harness exits", "[attribution]") {
    Snapshot after =
        snapshot({proc(1, 1, 0, {"init"}), proc(100, 10, 1, {"leakaudit"}), proc(300, 30, 100, {"sleep", "300"})});
    auto run = attribute_processes(Snapshot{}, after, roots());
    REQUIRE(run.size() == 1);
    CHECK(run[0].how == Attribution::descendant);
}

TEST_CASE("a process with the run id outside the tree is the run's, others are not", "[attribution]") {
    Process escaped = proc(400, 40, 1, {"daemon"});
    escaped.run_id = "cookie";
    Process stranger = proc(401, 41, 1, {"cron-job"});
    Process other_run = proc(402, 42, 1, {"sleep"});
    other_run.run_id = "another-run";
    Snapshot after = snapshot({proc(1, 1, 0, {"init"}), proc(100, 10, 1, {"leakaudit"}), escaped, stranger, other_run});
    auto run = attribute_processes(Snapshot{}, after, roots());
    REQUIRE(run.size() == 1);
    CHECK(run[0].process->id.pid == 400);
    CHECK(run[0].how == Attribution::run_id);
}

TEST_CASE("processes that existed before the run are not the run's", "[attribution]") {
    Process old_child = proc(150, 15, 100, {"sleep"});  // somehow under leakaudit already
    Snapshot before = snapshot({proc(100, 10, 1, {"leakaudit"}), old_child});
    Snapshot after = snapshot({proc(100, 10, 1, {"leakaudit"}), old_child});
    CHECK(attribute_processes(before, after, roots()).empty());
}

TEST_CASE("a reused pid is a different process", "[attribution]") {
    // pid 200 was the harness (tick 20); it exited and the pid was reused by an unrelated
    // process (tick 50). Its child is not the run's, and a before-process whose pid was
    // reused by a run process does not hide the new one.
    Snapshot before = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(300, 5, 1, {"old"})});
    Snapshot after = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(200, 50, 1, {"unrelated"}),
                               proc(201, 51, 200, {"its-child"}), proc(300, 60, 100, {"new-sleep"})});
    CHECK(run_pids(attribute_processes(before, after, roots())) == std::vector<int>{300});
}

TEST_CASE("a parent that started after its child is a reused pid, not an ancestor", "[attribution]") {
    Snapshot after =
        snapshot({proc(100, 10, 1, {"leakaudit"}), proc(500, 90, 100, {"late"}), proc(501, 70, 500, {"older-child"})});
    CHECK(run_pids(attribute_processes(Snapshot{}, after, roots())) == std::vector<int>{500});
}

TEST_CASE("zombies and the roots themselves are never leaks", "[attribution]") {
    Process zombie = proc(300, 30, 100, {});
    zombie.state = 'Z';
    Snapshot after = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(200, 20, 100, {"sh"}), zombie});
    CHECK(attribute_processes(Snapshot{}, after, roots()).empty());
}

TEST_CASE("only new processes outside the tree are candidates for the run id", "[attribution]") {
    Process old = proc(50, 5, 1, {"sshd"});
    Snapshot before = snapshot({proc(100, 10, 1, {"leakaudit"}), old});
    Snapshot after = snapshot({proc(100, 10, 1, {"leakaudit"}), old, proc(300, 30, 100, {"child"}),
                               proc(400, 40, 1, {"escaped"}), proc(401, 41, 400, {"its-child"})});
    CHECK(outside_tree_candidates(before, after, roots()) == std::vector<int>{400, 401});
}

TEST_CASE("pids_of: the run's pids, each once, for reading their descriptors", "[attribution]") {
    Snapshot after = snapshot({proc(201, 21, 200, {"node"}), proc(202, 22, 201, {"chrome"})});
    std::vector<RunProcess> run{{&after.processes[1], Attribution::descendant},
                                {&after.processes[0], Attribution::descendant},
                                {&after.processes[1], Attribution::run_id}};
    CHECK(leakaudit::pids_of(run) == std::set<int>{201, 202});
    CHECK(leakaudit::pids_of({}).empty());
}

// One ancestry walk for run, attach and diff --pid (they had three copies of it).
TEST_CASE("descends_from: up the parent chain to a root, never through a reused pid", "[attribution]") {
    Snapshot after = snapshot({proc(100, 10, 1, {"host"}), proc(101, 11, 100, {"node"}), proc(102, 12, 101, {"chrome"}),
                               proc(300, 50, 1, {"reused"}), proc(301, 40, 300, {"orphan"})});
    PidIndex index = index_by_pid(after);
    std::set<ProcessId> roots{after.processes[0].id};
    CHECK(descends_from(after.processes[2], roots, index));                          // chrome → node → host
    CHECK_FALSE(descends_from(after.processes[0], roots, index));                    // a root is not below itself
    CHECK_FALSE(descends_from(after.processes[4], {after.processes[3].id}, index));  // its "parent" started later
    CHECK_FALSE(descends_from(after.processes[4], roots, index));
}
