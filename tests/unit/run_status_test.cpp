// No silent hang, on plain data: which timeout applies (and the CI default), the status
// line a long run prints, and what the report says at a timeout or an interrupt.
#include <catch2/catch.hpp>

#include "core/harness_findings.hpp"
#include "core/report_json.hpp"
#include "core/report_text.hpp"
#include "core/run_limits.hpp"
#include "core/status_line.hpp"

using namespace leakaudit;
using namespace std::chrono_literals;

TEST_CASE("which timeout: --timeout wins, then the settings table, then the CI default under CI=true", "[run-limits]") {
    CHECK(choose_timeout(5s, 7s, "true").value == 5s);
    CHECK(choose_timeout(5s, 7s, "true").source == TimeoutSource::option);
    CHECK(choose_timeout(std::nullopt, 7s, "true").source == TimeoutSource::settings);
    TimeoutChoice ci = choose_timeout(std::nullopt, std::nullopt, "true");
    CHECK(ci.value == 10min);
    CHECK(ci.source == TimeoutSource::ci_default);
    for (const char* yes : {"true", "TRUE", "1", "yes"})
        CHECK(choose_timeout(std::nullopt, std::nullopt, yes).source == TimeoutSource::ci_default);
    for (std::optional<std::string_view> no : {std::optional<std::string_view>{}, std::optional<std::string_view>{""},
                                               std::optional<std::string_view>{"false"}}) {
        TimeoutChoice none = choose_timeout(std::nullopt, std::nullopt, no);
        CHECK_FALSE(none.value);
        CHECK(none.source == TimeoutSource::none);
    }
    CHECK(describe_timeout(ci) == "the CI default timeout (10m, CI=true and no --timeout or [settings] timeout)");
    CHECK(duration_text(90s) == "1m30s");
    CHECK(duration_text(500ms) == "500ms");
    CHECK(duration_text(2h) == "2h");
}

TEST_CASE("the status interval is 30 s unless the test knob says otherwise", "[run-limits]") {
    // The default path: nothing set is 30 s (README "Limits").
    CHECK(status_interval(std::nullopt) == 30s);
    CHECK(status_interval("250") == 250ms);
    for (const char* bad : {"", "0", "-5", "1s", "abc", "99999999999999999999999"})
        CHECK(status_interval(bad) == 30s);
}

TEST_CASE("the status line names the harness, its age, what it listens on and its children", "[status-line]") {
    RunNow now;
    now.command = {"node", "/srv/plugin/harness.mjs", "--token=hunter2hunter2"};
    now.harness_pid = 4242;
    now.age_ms = 90'500;
    Process harness;
    harness.id.pid = 4242;
    harness.name = "node";
    harness.fds = {Descriptor{21, FdType::socket, "socket:[77]", 77, "", 0}};
    Process child;
    child.id.pid = 4250;
    child.name = "sleep";
    now.processes = {harness, child};
    Socket s;
    s.inode = 77;
    s.proto = "tcp";
    s.state = "listen";
    s.local = "127.0.0.1:34307";
    now.sockets = {s};
    std::string line = status_line(now);
    CHECK(line ==
          "leakaudit: still running after 1m30s: node harness.mjs --token=*** (pid 4242) · listening on "
          "127.0.0.1:34307 · 1 live process: 4250 sleep · no --timeout");
    now.timeout_left_ms = 510'000;
    now.processes.push_back(child);
    now.reported_handles = 2;
    line = status_line(now);
    CHECK_THAT(line, Catch::Contains("2 live processes: 4250 sleep, 4250 sleep"));
    CHECK_THAT(line, Catch::Contains("2 handles reported"));
    CHECK_THAT(line, Catch::EndsWith("killed at the timeout in 8m30s"));
    CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("a status line never carries terminal escapes from a command line", "[status-line]") {
    RunNow now;
    now.command = {"sh", "-c", "printf '\x1b]0;owned\x07'"};
    CHECK(status_line(now).find('\x1b') == std::string::npos);
}

TEST_CASE("a CI default timeout is stated in the timeout finding, the summary line and the JSON", "[run-limits]") {
    Report r;
    r.harness.started = true;
    r.harness.timed_out = true;
    r.harness.duration_ms = 600'010;
    r.harness.timeout = choose_timeout(std::nullopt, std::nullopt, "true");
    std::vector<Finding> f = harness_findings(r.harness, {"node", "h.mjs"});
    REQUIRE(f.size() == 1);
    CHECK_THAT(f[0].message, Catch::Contains("before the CI default timeout (10m, CI=true"));
    CHECK_THAT(summary_line(r), Catch::Contains("harness timed out at the CI default timeout (10m)"));
    auto j = report_to_json(r);
    CHECK(j["harness"]["timeout_ms"] == 600'000);
    CHECK(j["harness"]["timeout_source"] == "ci-default");
    r.harness.timed_out = false;
    r.harness.exit_code = 0;
    CHECK_THAT(summary_line(r), Catch::Contains("(CI default timeout 10m)"));
    r.harness.timeout = choose_timeout(5s, std::nullopt, "true");
    CHECK(summary_line(r).find("CI default") == std::string::npos);
    CHECK(report_to_json(r)["harness"]["timeout_source"] == "option");
}

// Regression (issue 12): Ctrl-C said "its leftovers are reported below" and then nothing.
TEST_CASE("an interrupted run says what the harness held when the signal came", "[harness][interrupt]") {
    HarnessOutcome o;
    o.started = true;
    o.interrupted = true;
    o.signal = 2;
    Socket s;
    s.proto = "tcp";
    s.state = "listen";
    s.local = "127.0.0.1:8080";
    std::vector<HeldResource> held{{s, std::nullopt, "holds tcp 127.0.0.1:8080 listen", std::nullopt},
                                   {std::nullopt, std::nullopt, "holds child 4250 sleep 300", std::nullopt}};
    std::vector<Finding> f = harness_findings(o, {"node", "h.mjs"}, held, {"setInterval 60000ms at p.mjs:3"});
    REQUIRE(f.size() == 1);
    CHECK(f[0].message ==
          "the run was interrupted and the harness died of SIGINT; kept alive by: setInterval 60000ms at p.mjs:3; at "
          "that moment it held tcp 127.0.0.1:8080 listen, child 4250 sleep 300");
    CHECK(f[0].resources.size() == 2);
    CHECK(f[0].hint.find("below") == std::string::npos);
    // Nothing held: said so, rather than pointing at findings that are not there.
    std::vector<Finding> bare = harness_findings(o, {"node", "h.mjs"});
    CHECK_THAT(bare[0].message, Catch::Contains("it held no sockets, files or children then"));
    // Not interrupted: a crash is not described as an interrupt, and points at no report section.
    o.interrupted = false;
    std::vector<Finding> crash = harness_findings(o, {"node", "h.mjs"});
    CHECK(crash[0].message == "the harness died of SIGINT");
    CHECK(crash[0].hint.find("below") == std::string::npos);
}
