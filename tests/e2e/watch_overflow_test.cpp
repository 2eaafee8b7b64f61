// End-to-end: a real fanotify queue overflow (README, "Performance: what a run costs").
// LEAKAUDIT_STALL_WATCH=1, a test knob, makes the creation watch use the kernel's bounded
// queue and read nothing until the run ends; a neighbour then creates more entries than
// the queue holds, and the run must fall back to one full read after the events
// (`walk-after-events`) and still report exactly the harness's own leaked entry.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "e2e.hpp"
#include "support/skip.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

// /proc/sys/fs/fanotify/max_queued_events: the bounded queue's size (16384 by default).
long queue_limit() {
    long limit = 0;
    std::ifstream("/proc/sys/fs/fanotify/max_queued_events") >> limit;
    return limit;
}

// Once `go` exists, creates `files` files and 1,000 folders in `watch`, then `done`.
std::vector<std::string> neighbour_command(const std::string& watch, const std::string& go, const std::string& done,
                                           long files) {
    std::string script = "i=0; while [ ! -e '" + go + "' ] && [ $i -lt 3000 ]; do i=$((i+1)); sleep 0.01; done; " +
                         "cd '" + watch + "' || exit 1; i=0; while [ $i -lt " + std::to_string(files) +
                         " ]; do i=$((i+1)); : > n-$i; done; " + "seq -f 'nd-%g' 1 1000 | xargs mkdir; touch '" + done +
                         "'";
    return {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/bin/sh", "-c", script};
}

}  // namespace

TEST_CASE("a real fanotify overflow: walk-after-events, and only the run's entry is reported",
          "[e2e][tmp][audit][overflow]") {
    if (geteuid() != 0) LEAKAUDIT_SKIP("the creation watch needs root (fanotify): no overflow to force");
    if (access("/usr/bin/setpriv", X_OK) != 0) LEAKAUDIT_SKIP("needs setpriv to run the neighbour as another user");
    long limit = queue_limit();
    if (limit <= 0 || limit > 200000) LEAKAUDIT_SKIP("fanotify's queue limit is unreadable or too large to overflow");
    TempDir dir("watch-overflow");
    std::string w = watch_dir(dir);
    ::chmod(dir.path().c_str(), 0755);
    ::chmod(w.c_str(), 01777);
    TempDir signals("watch-overflow-signals");
    ::chmod(signals.path().c_str(), 0777);
    std::string go = signals / "go";
    std::string done = signals / "done";
    long files = limit + 4000;  // with the 1,000 folders, well past the queue's size
    int neighbour = spawn_process(neighbour_command(w, go, done, files), signals.path());
    // The harness lets the neighbour go, waits (bounded) until it is done, then leaves one entry.
    std::string harness = "touch '" + go + "'; i=0; while [ ! -e '" + done + "' ] && [ $i -lt 6000 ]; do " +
                          "i=$((i+1)); sleep 0.01; done; touch '" + w + "/mine'";
    auto r = run_process(run_args(dir, {"--timeout", "90s"}, {"/bin/sh", "-c", harness}), dir.path(), 120s,
                         {"LEAKAUDIT_STALL_WATCH=1"});
    kill(neighbour, SIGKILL);
    wait_process(neighbour, signals.path(), 5s);
    INFO(r.out << r.err);
    REQUIRE(std::ifstream(done).good());  // the neighbour did create them, during the run
    nlohmann::json report = read_report(dir);
    REQUIRE(report.is_object());
    CHECK(report["audit"]["mode"] == "walk-after-events");
    CHECK(report["audit"]["reason"].get<std::string>().find("overflow") != std::string::npos);
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);  // none of the neighbour's 21,000-odd entries
    CHECK(tmp[0]["path"] == w + "/mine");
    // Its creation event was lost with the overflow: it is the run's by birth time and user.
    CHECK(tmp[0]["attribution"] == "time-window");
}
