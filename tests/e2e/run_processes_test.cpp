// End-to-end: `leakaudit run` on real harnesses that leak processes in every way the
// contract names, and on harnesses that must not be blamed for anything.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "e2e.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

TEST_CASE("an orphaned child is reported with its parent, then reaped", "[e2e][process]") {
    TempDir dir("orphan");
    auto r = run_process(run_args(dir, {}, {"/bin/sh", "-c", "sleep 300 & echo $! > " + (dir / "pid") + "; exit 0"}),
                         dir.path());
    REQUIRE(r.exit_code == 1);
    auto report = read_report(dir);
    auto procs = findings_of(report, "process");
    REQUIRE(procs.size() == 1);
    int pid = read_pids(dir / "pid").at(0);
    CHECK(procs[0]["pid"] == pid);
    CHECK(procs[0]["name"] == "sleep");
    CHECK(procs[0]["cmdline"] == nlohmann::json::array({"sleep", "300"}));
    CHECK(procs[0]["parent_in_run"] == report["harness"]["pid"]);
    CHECK(procs[0]["attribution"] == "descendant");
    CHECK(r.out.find("sleep 300") != std::string::npos);
    CHECK(r.out.find("reaped 1 process") != std::string::npos);
    CHECK_FALSE(pid_alive(pid));
}

TEST_CASE("a double-forked setsid daemon is caught through the subreaper", "[e2e][process]") {
    TempDir dir("daemon");
    auto r =
        run_process(run_args(dir, {"--grace", "200ms"}, {k_leaky, "--daemon", "--pids", dir / "pids"}), dir.path());
    REQUIRE(r.exit_code == 1);
    auto procs = findings_of(read_report(dir), "process");
    REQUIRE(procs.size() == 1);
    int pid = read_pids(dir / "pids").at(0);
    CHECK(procs[0]["pid"] == pid);
    // The fixture's middle process called setsid() and exited: the daemon is in that new
    // session (its group leader is the session leader), not in the session leakaudit and
    // the harness share with this test.
    CHECK(procs[0]["sid"] == procs[0]["pgid"]);
    CHECK(procs[0]["sid"] != getsid(0));
    CHECK(procs[0]["sid"] != procs[0]["pid"]);  // double-forked: not a session leader
    CHECK(procs[0]["hint"].get<std::string>().find("setsid") != std::string::npos);
    CHECK_FALSE(pid_alive(pid));
}

TEST_CASE("a daemon started through env -i loses the run id but not its ancestry", "[e2e][process]") {
    TempDir dir("envi");
    auto r = run_process(run_args(dir, {"--grace", "200ms"}, {k_leaky, "--env-i-daemon", "--pids", dir / "pids"}),
                         dir.path());
    REQUIRE(r.exit_code == 1);
    auto procs = findings_of(read_report(dir), "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["pid"] == read_pids(dir / "pids").at(0));
    CHECK(procs[0]["attribution"] == "descendant");
}

TEST_CASE("a process outside the tree that carries the run id is the run's", "[e2e][process]") {
    TempDir dir("runid");
    // A broker started before the run spawns a sleep with the run id the harness hands it:
    // the sleep is the run's although leakaudit is not its ancestor.
    std::string broker_script = "while [ ! -s " + (dir / "request") +
                                " ]; do sleep 0.01; done; "
                                "LEAKAUDIT_RUN_ID=$(cat " +
                                (dir / "request") +
                                ") sleep 300 & "
                                // The pid is handed over once the sleep runs with the id (its exec
                                // done): before that its environment is still the broker's.
                                "until grep -qa LEAKAUDIT_RUN_ID= /proc/$!/environ 2>/dev/null; do sleep 0.01; done; "
                                "echo $! > " + (dir / "pid.tmp") + "; mv " +
                                (dir / "pid.tmp") + " " + (dir / "pid") + "; wait";
    TempDir broker_dir("runid-broker");
    int broker = spawn_process({"/bin/sh", "-c", broker_script}, broker_dir.path());
    std::string harness =
        "echo $LEAKAUDIT_RUN_ID > " + (dir / "request") + "; while [ ! -f " + (dir / "pid") + " ]; do sleep 0.01; done";
    auto r = run_process(run_args(dir, {"--grace", "100ms"}, {"/bin/sh", "-c", harness}), dir.path());
    auto report = read_report(dir);
    auto procs = findings_of(report, "process");
    int pid = read_pids(dir / "pid").at(0);
    REQUIRE(r.exit_code == 1);
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["pid"] == pid);
    CHECK(procs[0]["attribution"] == "run-id");
    CHECK(eventually([&] { return !pid_alive(pid); }));
    kill(broker, SIGKILL);
    wait_process(broker, broker_dir.path(), 5s);
}

TEST_CASE("processes that existed before or appeared beside the run are never reported", "[e2e][process]") {
    TempDir dir("unrelated");
    TempDir other("unrelated-other");
    int before = spawn_process({"/bin/sleep", "300"}, other.path());
    // The harness waits until the test has started an unrelated process during the run.
    int audit = spawn_process(run_args(dir, {}, {k_leaky, "--wait-for", dir / "go"}), dir.path());
    TempDir during_dir("unrelated-during");
    int during = spawn_process({"/bin/sleep", "300"}, during_dir.path());
    REQUIRE(eventually([&] { return pid_alive(during); }));
    { std::ofstream(dir / "go") << "go"; }
    auto r = wait_process(audit, dir.path(), 30s);
    REQUIRE(r);
    CHECK(r->exit_code == 0);
    CHECK(findings_of(read_report(dir), "process").empty());
    CHECK(pid_alive(before));
    CHECK(pid_alive(during));
    kill(before, SIGKILL);
    kill(during, SIGKILL);
    wait_process(before, other.path(), 5s);
    wait_process(during, during_dir.path(), 5s);
}

TEST_CASE("a clean harness exits 0 without paying the grace period", "[e2e][process]") {
    TempDir dir("clean");
    auto r = run_process(run_args(dir, {"--grace", "30s"}, {"/bin/true"}), dir.path());
    CHECK(r.exit_code == 0);
    CHECK(r.elapsed < 20s);  // a run that paid the grace would take 30 s
    auto report = read_report(dir);
    CHECK(report["findings"].empty());
    CHECK(report["harness"]["exit_code"] == 0);
}

TEST_CASE("a harness exiting 7 makes the run exit 3", "[e2e][harness]") {
    TempDir dir("exit7");
    auto r = run_process(run_args(dir, {}, {k_leaky, "--exit", "7"}), dir.path());
    CHECK(r.exit_code == 3);
    auto report = read_report(dir);
    CHECK(report["harness"]["exit_code"] == 7);
    auto h = findings_of(report, "harness");
    REQUIRE(h.size() == 1);
    CHECK(h[0]["message"].get<std::string>().find("status 7") != std::string::npos);
}

TEST_CASE("a command that does not exist exits 3 with a clear message", "[e2e][harness]") {
    TempDir dir("notfound");
    auto r = run_process(run_args(dir, {}, {"leakaudit-no-such-command-here"}), dir.path());
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("could not start") != std::string::npos);
    CHECK(r.out.find("leakaudit-no-such-command-here") != std::string::npos);
    CHECK(read_report(dir)["harness"]["started"] == false);
}

TEST_CASE("the timeout option kills a hanging harness and exits 3", "[e2e][harness]") {
    TempDir dir("timeout");
    auto r = run_process(run_args(dir, {"--timeout", "300ms"}, {k_leaky, "--hang"}), dir.path(), 20s);
    CHECK(r.exit_code == 3);
    CHECK(r.elapsed < 10s);
    auto report = read_report(dir);
    CHECK(report["harness"]["timed_out"] == true);
    CHECK(findings_of(report, "harness").size() == 1);
}

TEST_CASE("SIGINT to leakaudit is forwarded, the report is still written and orphans reaped", "[e2e][signal]") {
    TempDir dir("sigint");
    // A daemon: it left the harness's process group, so the forwarded SIGINT does not reach it.
    int audit = spawn_process(
        run_args(dir, {"--grace", "200ms"}, {k_leaky, "--daemon", "--pids", dir / "pids", "--hang"}), dir.path());
    REQUIRE(eventually([&] { return read_pids(dir / "pids").size() == 1; }));
    int orphan = read_pids(dir / "pids").at(0);
    kill(audit, SIGINT);
    auto r = wait_process(audit, dir.path(), 30s);
    REQUIRE(r);
    CHECK(r->exit_code == 3);  // the harness died of the forwarded SIGINT
    auto report = read_report(dir);
    CHECK(report["harness"]["signal"] == SIGINT);
    CHECK(report["harness"]["interrupted"] == true);
    REQUIRE(findings_of(report, "process").size() == 1);
    CHECK_FALSE(pid_alive(orphan));
}

TEST_CASE("the keep option reports the orphan but leaves it running", "[e2e][process]") {
    TempDir dir("keep");
    auto r = run_process(
        run_args(dir, {"--keep", "--grace", "100ms"}, {k_leaky, "--orphans", "1", "--pids", dir / "pids"}), dir.path());
    std::vector<int> pids = read_pids(dir / "pids");
    REQUIRE(pids.size() == 1);
    CHECK(r.exit_code == 1);
    CHECK(pid_alive(pids[0]));
    CHECK(read_report(dir)["reaped"].empty());
    kill_pids(pids);
}

TEST_CASE("an orphan that ignores SIGTERM is killed", "[e2e][process]") {
    TempDir dir("ignoreterm");
    auto r = run_process(
        run_args(dir, {"--grace", "100ms"}, {k_leaky, "--orphans", "1", "--ignore-term", "--pids", dir / "pids"}),
        dir.path());
    CHECK(r.exit_code == 1);
    auto reaped = read_report(dir)["reaped"];
    REQUIRE(reaped.size() == 1);
    CHECK(reaped[0]["signal"] == "SIGKILL");
    CHECK(reaped[0]["gone"] == true);
    CHECK_FALSE(pid_alive(read_pids(dir / "pids").at(0)));
}

TEST_CASE("500 orphans are all reported and reaped", "[e2e][process][many]") {
    TempDir dir("many");
    auto r = run_process(run_args(dir, {"--grace", "200ms"}, {k_leaky, "--orphans", "500", "--pids", dir / "pids"}),
                         dir.path(), 60s);
    CHECK(r.exit_code == 1);
    std::vector<int> pids = read_pids(dir / "pids");
    REQUIRE(pids.size() == 500);
    auto report = read_report(dir);
    CHECK(findings_of(report, "process").size() == 500);
    CHECK(report["reaped"].size() == 500);
    std::set<std::string> ids;
    for (const auto& f : report["findings"])
        ids.insert(f["id"].get<std::string>());
    CHECK(ids.size() == 500);
    for (int pid : pids)
        CHECK_FALSE(pid_alive(pid));
}

TEST_CASE("a child that exits within the grace is no leak, and the run ends when it does", "[e2e][process]") {
    TempDir dir("settle");
    auto r = run_process(run_args(dir, {"--grace", "30s"}, {"/bin/sh", "-c", "sleep 0.3 & exit 0"}), dir.path());
    CHECK(r.exit_code == 0);
    CHECK(r.elapsed < 20s);  // settled on the child's exit, not on the 30 s grace
    CHECK(findings_of(read_report(dir), "process").empty());
}

TEST_CASE("the same leaks get the same ids in a second run", "[e2e][ids]") {
    auto ids_of_run = [](const std::string& tag) {
        TempDir dir(tag);
        std::string w = watch_dir(dir);
        auto r = run_process(run_args(dir, {"--grace", "100ms"},
                                      {k_leaky, "--orphans", "2", "--daemon", "--server-child", dir / "port", "--mkdir",
                                       w + "/scratch-" + std::to_string(::getpid())}),
                             dir.path());
        CHECK(r.exit_code == 1);
        std::set<std::string> ids;
        nlohmann::json report = read_report(dir);  // kept alive: the loop walks inside it
        for (const auto& f : report["findings"])
            ids.insert(f["id"].get<std::string>());
        return ids;
    };
    std::set<std::string> first = ids_of_run("ids");
    CHECK(first.size() == 5);           // two orphans, a daemon, a server, a folder
    CHECK(ids_of_run("ids") == first);  // same tag: the command line differs only by mktemp
}
