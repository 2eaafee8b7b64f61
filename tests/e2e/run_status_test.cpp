// No silent hang and one leak, one finding, end to end (issue 12): the status line of a
// long run, the CI default timeout, what an interrupted run says the harness held, and a
// child spawned with pipes reported once.
#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

int count_lines_with(const std::string& text, const std::string& needle) {
    int n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("a long run prints a status line naming the harness, what it listens on, and the timeout", "[e2e][status]") {
    TempDir dir("status-line");
    auto r = run_process(run_args(dir, {"--timeout", "3s"}, {k_leaky, "--listen", dir / "port", "--hang"}), dir.path(),
                         30s, {"LEAKAUDIT_STATUS_INTERVAL_MS=200", "CI="});
    INFO(r.err);
    CHECK(r.exit_code == 3);
    std::string port = read_file(dir / "port");
    while (!port.empty() && port.back() == '\n')
        port.pop_back();
    CHECK(count_lines_with(r.err, "leakaudit: still running after ") >= 2);
    CHECK(r.err.find("(pid ") != std::string::npos);
    CHECK(r.err.find("listening on 127.0.0.1:" + port) != std::string::npos);
    CHECK(r.err.find("killed at the timeout in ") != std::string::npos);
    CHECK(r.err.find('\r') == std::string::npos);  // not a terminal: one line each time
}

TEST_CASE("a run shorter than the interval prints no status line", "[e2e][status]") {
    TempDir dir("status-quiet");
    auto r = run_process(run_args(dir, {}, {"/bin/sh", "-c", "exit 0"}), dir.path(), 30s,
                         {"LEAKAUDIT_STATUS_INTERVAL_MS=5000"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("still running") == std::string::npos);
}

// The default path, without the test knob: the first line comes after 30 s, not before.
TEST_CASE("without the knob the status line comes after 30 s", "[e2e][status][slow]") {
    TempDir dir("status-default");
    auto r = run_process(run_args(dir, {}, {"/bin/sh", "-c", "sleep 31"}), dir.path(), 90s,
                         {"LEAKAUDIT_STATUS_INTERVAL_MS=", "CI="});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(count_lines_with(r.err, "leakaudit: still running after ") == 1);
    // 30 s after the start, give or take the time it takes to read the run's state.
    bool at_30s = r.err.find("still running after 30s: sh -c sleep 31") != std::string::npos ||
                  r.err.find("still running after 31s: sh -c sleep 31") != std::string::npos;
    CHECK(at_30s);
    CHECK(r.err.find("no --timeout") != std::string::npos);
}

TEST_CASE("under CI=true with no timeout the CI default applies and the report says so", "[e2e][status][ci]") {
    TempDir dir("ci-default");
    auto r = run_process(run_args(dir, {"--no-color"}, {"/bin/sh", "-c", "exit 0"}), dir.path(), 30s, {"CI=true"});
    CHECK(r.exit_code == 0);
    auto report = read_report(dir);
    CHECK(report["harness"]["timeout_ms"] == 600'000);
    CHECK(report["harness"]["timeout_source"] == "ci-default");
    CHECK(r.out.find("(CI default timeout 10m)") != std::string::npos);
    auto set =
        run_process(run_args(dir, {"--timeout", "5s"}, {"/bin/sh", "-c", "exit 0"}), dir.path(), 30s, {"CI=true"});
    auto explicit_report = read_report(dir);
    CHECK(explicit_report["harness"]["timeout_ms"] == 5000);
    CHECK(explicit_report["harness"]["timeout_source"] == "option");
    auto local = run_process(run_args(dir, {}, {"/bin/sh", "-c", "exit 0"}), dir.path(), 30s, {"CI="});
    CHECK(read_report(dir)["harness"]["timeout_source"] == "none");
    CHECK(read_report(dir)["harness"]["timeout_ms"].is_null());
}

// Regression (issue 12): Ctrl-C printed "its leftovers are reported below" and then
// nothing; what the harness held when interrupted was never read.
TEST_CASE("an interrupt reports what the harness held at that moment", "[e2e][signal][status]") {
    TempDir dir("interrupt-held");
    int audit =
        spawn_process(run_args(dir, {"--grace", "200ms"}, {k_leaky, "--listen", dir / "port", "--hang"}), dir.path());
    REQUIRE(eventually([&] { return !read_file(dir / "port").empty(); }));
    std::string port = read_file(dir / "port");
    while (!port.empty() && port.back() == '\n')
        port.pop_back();
    kill(audit, SIGINT);
    auto r = wait_process(audit, dir.path(), 30s);
    REQUIRE(r);
    INFO(r->out << r->err);
    CHECK(r->exit_code == 3);
    auto harness = findings_of(read_report(dir), "harness");
    REQUIRE(harness.size() == 1);
    std::string message = harness[0]["message"];
    CHECK(message.find("interrupted") != std::string::npos);
    CHECK(message.find("at that moment it held ") != std::string::npos);
    CHECK(message.find("tcp 127.0.0.1:" + port + " listen") != std::string::npos);
    CHECK(message.find("/stdout") == std::string::npos);  // what it inherited from leakaudit is not its own
    CHECK(harness[0]["resources"].size() >= 1);
    CHECK(r->out.find("reported below") == std::string::npos);
}

// Regression (issue 12): a child spawned with pipes was four errors: the process and the
// harness's three ends of its stdio.
TEST_CASE("a forgotten child spawned with socket pairs and a pipe is exactly one error finding", "[e2e][peer]") {
    TempDir dir("piped-child");
    auto r = run_process(
        run_args(dir, {"--grace", "100ms"}, {k_leaky, "--started", "--piped-child", dir / "child", "--stopped"}),
        dir.path());
    auto report = read_report(dir);
    INFO(r.out << r.err << report.dump(2));
    CHECK(r.exit_code == 1);
    auto errors = errors_of(report);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]["kind"] == "process");
    CHECK(report["findings"].size() == 1);  // no socket or fd warning either
    int links = 0;
    for (const auto& res : errors[0]["resources"])
        links += res["text"].get<std::string>().starts_with("connected to the harness by ") ? 1 : 0;
    CHECK(links == 3);  // two unix socket pairs and a pipe
    CHECK(r.out.find("connected to the harness by unix socket pair ×2") != std::string::npos);
    kill_pids(read_pids(dir / "child"));
}

// The same child from a shell: `exec 5> >(sleep 300)` keeps a pipe to it.
TEST_CASE("a pipe a bash harness keeps to a forgotten child is part of the child's finding", "[e2e][peer]") {
    TempDir dir("bash-pipe-child");
    std::string script =
        "echo '{\"event\":\"started\"}' >&$LEAKAUDIT_CONTROL_FD; read -r _ <&$LEAKAUDIT_ACK_FD; "
        "exec 5> >(exec sleep 300); echo $! > \"$0\"; "
        "echo '{\"event\":\"stopped\"}' >&$LEAKAUDIT_CONTROL_FD; read -r _ <&$LEAKAUDIT_ACK_FD; exit 0";
    auto r = run_process(run_args(dir, {"--grace", "100ms"}, {"/bin/bash", "-c", script, dir / "child"}), dir.path());
    auto report = read_report(dir);
    INFO(r.out << r.err << report.dump(2));
    CHECK(r.exit_code == 1);
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["kind"] == "process");
    kill_pids(read_pids(dir / "child"));
}

// One leak, one finding for a hang (issue 12): a shell harness that waits on a forgotten
// child's pipe (it reads until the child ends, which it never does) is killed at
// --timeout; the child's finding says it kept the harness alive, and the hang is no
// second error. The exit code still says the harness timed out.
TEST_CASE("a bash harness hung on a forgotten child's pipe is exactly one error finding", "[e2e][peer][hang]") {
    TempDir dir("bash-piped-hang");
    std::string script = "exec 5< <(exec sleep 300); echo $! > \"$0\"; read -r _ <&5";
    auto r =
        run_process(run_args(dir, {"--grace", "100ms", "--timeout", "2s"}, {"/bin/bash", "-c", script, dir / "child"}),
                    dir.path(), 30s, {"CI="});
    auto report = read_report(dir);
    INFO(r.out << r.err << report.dump(2));
    CHECK(r.exit_code == 3);
    CHECK(report["harness"]["timed_out"] == true);
    auto errors = errors_of(report);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]["kind"] == "process");
    std::string message = errors[0]["message"];
    CHECK(message.find("it kept the harness alive until --timeout, when the harness was killed") != std::string::npos);
    CHECK(r.out.find("connected to the harness by pipe") != std::string::npos);
    kill_pids(read_pids(dir / "child"));
}

// The fold is only for a hang its leaked children explain: a harness that also listens
// keeps its own hang finding.
TEST_CASE("a harness hung with a server of its own besides a piped child keeps its hang finding", "[e2e][peer][hang]") {
    TempDir dir("piped-hang-listener");
    auto r = run_process(run_args(dir, {"--grace", "100ms", "--timeout", "2s"},
                                  {k_leaky, "--listen", dir / "port", "--piped-child", dir / "child", "--hang"}),
                         dir.path(), 30s, {"CI="});
    auto report = read_report(dir);
    INFO(r.out << r.err << report.dump(2));
    CHECK(r.exit_code == 3);
    CHECK(findings_of(report, "harness").size() == 1);
    CHECK(findings_of(report, "process").size() == 1);
    kill_pids(read_pids(dir / "child"));
}
