// The fork tracker against real forks: short-lived grandchildren of this test process
// are recognised as descendants; a process forked by someone else is not.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "os/fork_tracker.hpp"
#include "support/skip.hpp"

using leakaudit::ForkHistory;
using leakaudit::Result;
using leakaudit::os::ForkTracker;

namespace {

// Forks a child that forks a grandchild; both exit at once. Returns {child, grandchild}.
std::pair<int, int> fork_two_generations() {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) _exit(0);
        if (write(fds[1], &grandchild, sizeof grandchild) != sizeof grandchild) _exit(1);
        waitpid(grandchild, nullptr, 0);
        _exit(0);
    }
    close(fds[1]);
    pid_t grandchild = 0;
    REQUIRE(read(fds[0], &grandchild, sizeof grandchild) == sizeof grandchild);
    close(fds[0]);
    waitpid(child, nullptr, 0);
    return {child, grandchild};
}

}  // namespace

TEST_CASE("forks below the root are the run's even after they exited", "[os][fork_tracker]") {
    ForkTracker tracker;
    Result<void> started = tracker.start(getpid());
    if (!started) {
        LEAKAUDIT_SKIP("process-events connector unavailable here: " << started.error().message);
    }
    auto [child, grandchild] = fork_two_generations();
    ForkHistory history = tracker.stop();
    REQUIRE(history.available);
    CHECK_FALSE(history.lost_events);
    CHECK(history.is_run_pid(child));
    CHECK(history.is_run_pid(grandchild));
    CHECK(history.forked_by.at(child) == getpid());
    CHECK(history.forked_by.at(grandchild) == child);
    CHECK_FALSE(history.is_run_pid(getppid()));
}

TEST_CASE("forks outside the root are not the run's", "[os][fork_tracker]") {
    ForkTracker tracker;
    // Root: a child that does nothing; our own forks are then outside the run.
    pid_t idle = fork();
    if (idle == 0) {
        pause();
        _exit(0);
    }
    Result<void> started = tracker.start(idle);
    if (!started) {
        kill(idle, SIGKILL);
        waitpid(idle, nullptr, 0);
        LEAKAUDIT_SKIP("process-events connector unavailable here: " << started.error().message);
    }
    auto [child, grandchild] = fork_two_generations();
    ForkHistory history = tracker.stop();
    kill(idle, SIGKILL);
    waitpid(idle, nullptr, 0);
    CHECK_FALSE(history.is_run_pid(child));
    CHECK_FALSE(history.is_run_pid(grandchild));
}

TEST_CASE("born_alive lists the processes forked since start that are still alive, any parent", "[os][fork_tracker]") {
    ForkTracker tracker;
    Result<void> started = tracker.start(getpid());
    if (!started) {
        LEAKAUDIT_SKIP("process-events connector unavailable here: " << started.error().message);
    }
    pid_t alive = fork();
    if (alive == 0) {
        pause();
        _exit(0);
    }
    auto [child, grandchild] = fork_two_generations();  // both gone already
    std::optional<std::vector<int>> born = tracker.born_alive();
    kill(alive, SIGKILL);
    waitpid(alive, nullptr, 0);
    tracker.stop();
    REQUIRE(born);
    auto has = [&](int pid) { return std::find(born->begin(), born->end(), pid) != born->end(); };
    CHECK(has(alive));  // read at once: born_alive drains what is queued first
    CHECK_FALSE(has(child));
    CHECK_FALSE(has(grandchild));
    CHECK_FALSE(has(getpid()));  // older than the watch
}
