// End-to-end: the event-driven after-state and the full-walk fallback (README,
// "Performance: what a run costs") judge the same: a neighbour's entries are never the
// run's, the run's are. LEAKAUDIT_FORCE_WALK=1 is the test knob that forces the fallback.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <fstream>

#include "e2e.hpp"
#include "support/skip.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

constexpr int k_neighbour_entries = 20000;

// The neighbour, started by the test (not below the harness): once the harness says go,
// it creates 19,000 files and 1,000 folders in the watched folder, then says done.
std::vector<std::string> neighbour_command(const std::string& watch, const std::string& go, const std::string& done) {
    std::string script = "i=0; while [ ! -e '" + go + "' ] && [ $i -lt 3000 ]; do i=$((i+1)); sleep 0.01; done; " +
                         "cd '" + watch + "' || exit 1; i=0; while [ $i -lt 19000 ]; do i=$((i+1)); : > n-$i; done; " +
                         "seq -f 'nd-%g' 1 1000 | xargs mkdir; touch '" + done + "'";
    return {"/bin/sh", "-c", script};
}

struct Outcome {
    int exit_code = -1;
    nlohmann::json report;
};

Outcome run_beside_neighbour(const std::string& name, const std::vector<std::string>& env) {
    TempDir dir(name);
    std::string w = watch_dir(dir);
    std::string go = dir / "go";
    std::string done = dir / "done";
    TempDir neighbour_dir(name + "-neighbour");
    int neighbour = spawn_process(neighbour_command(w, go, done), neighbour_dir.path());
    // The harness starts the neighbour, waits (bounded) until it is done, then leaves one entry.
    std::string harness = "touch '" + go + "'; i=0; while [ ! -e '" + done + "' ] && [ $i -lt 3000 ]; do " +
                          "i=$((i+1)); sleep 0.01; done; touch '" + w + "/mine'";
    auto r = run_process(run_args(dir, {"--timeout", "60s"}, {"/bin/sh", "-c", harness}), dir.path(), 90s, env);
    kill(neighbour, SIGKILL);
    wait_process(neighbour, neighbour_dir.path(), 5s);
    Outcome out{r.exit_code, read_report(dir)};
    INFO(r.err);
    CHECK(std::ifstream(done).good());  // the neighbour did create them, during the run
    return out;
}

void check_only_the_runs_entry(const Outcome& o) {
    auto tmp = findings_of(o.report, "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"].get<std::string>().ends_with("/watch/mine"));
    CHECK(tmp[0]["attribution"] == "creator-pid");
    CHECK(o.exit_code == 1);
}

}  // namespace

TEST_CASE("event-driven: 20,000 entries a neighbour creates during the run are not reported", "[e2e][tmp][audit]") {
    if (geteuid() != 0) LEAKAUDIT_SKIP("the event-driven mode needs root (fanotify, process events): not tested");
    Outcome o = run_beside_neighbour("audit-events", {});
    REQUIRE(o.report.contains("audit"));
    CHECK(o.report["audit"]["mode"] == "events");
    check_only_the_runs_entry(o);
    CHECK(k_neighbour_entries == 19000 + 1000);
}

TEST_CASE("full-walk fallback: 20,000 entries a neighbour creates during the run are not reported",
          "[e2e][tmp][audit]") {
    if (geteuid() != 0)
        LEAKAUDIT_SKIP("telling a neighbour's entries apart needs the creation watch (root): not tested");
    Outcome o = run_beside_neighbour("audit-walk", {"LEAKAUDIT_FORCE_WALK=1"});
    REQUIRE(o.report.contains("audit"));
    CHECK(o.report["audit"]["mode"] == "walk");
    CHECK(o.report["audit"]["reason"] == "forced by LEAKAUDIT_FORCE_WALK");
    check_only_the_runs_entry(o);
}

TEST_CASE("event-driven: entries that existed before, removed and re-created by a neighbour, are not the run's",
          "[e2e][tmp][audit]") {
    if (geteuid() != 0) LEAKAUDIT_SKIP("the event-driven mode needs root: not tested");
    TempDir dir("audit-recreated");
    std::string w = watch_dir(dir);
    { std::ofstream(w + "/existing") << "old"; }
    { std::ofstream(w + "/replaced") << "old"; }
    // The run rewrites one in place and replaces the other by a rename: only the rename
    // creates an entry, and it is the run's.
    auto r = run_process(run_args(dir, {},
                                  {"/bin/sh", "-c",
                                   "echo more >> '" + w + "/existing'; echo new > '" + w + "/.r.tmp'; mv '" + w +
                                       "/.r.tmp' '" + w + "/replaced'"}),
                         dir.path());
    auto report = read_report(dir);
    CHECK(report["audit"]["mode"] == "events");
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"] == w + "/replaced");
    CHECK(r.exit_code == 1);
}
