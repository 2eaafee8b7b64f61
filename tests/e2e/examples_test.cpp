// The example Node.js plugins under examples/node, audited for real: each leak kind
// gives its finding and exit code, the clean plugin exits 0.
#include <catch2/catch.hpp>

#include <filesystem>

#include "e2e.hpp"

using namespace leakaudit::test;

namespace {

Audit audit_plugin(const std::string& plugin, const TempDir& dir) {
    std::vector<std::string> options{"--grace", "300ms", "--exit-timeout", "1s",
                                     "--watch", "/tmp",  "--watch",        "/dev/shm"};
    auto r = run_process(
        run_args(dir, options,
                 {"/usr/bin/env", "node", k_examples + "/harness.mjs", k_examples + "/plugins/" + plugin + ".mjs"}),
        dir.path(), std::chrono::seconds(60));
    return {r, read_report(dir)};
}

int count(const nlohmann::json& report, const std::string& kind, const std::string& severity = "error") {
    int n = 0;
    for (const auto& f : report["findings"])
        n += f["kind"] == kind && f["severity"] == severity;
    return n;
}

}  // namespace

TEST_CASE("example: the clean plugin exits 0 with nothing reported", "[e2e][examples]") {
    TempDir dir("ex-clean");
    Audit a = audit_plugin("clean", dir);
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 0);
    CHECK(a.report["summary"]["error"] == 0);
    CHECK(a.report["summary"]["warning"] == 0);
}

TEST_CASE("example: a forgotten child process and a forgotten daemon are process leaks", "[e2e][examples]") {
    for (const char* plugin : {"leak-child", "leak-daemon"}) {
        TempDir dir(std::string("ex-") + plugin);
        Audit a = audit_plugin(plugin, dir);
        INFO(plugin << "\n" << a.result.out << a.result.err);
        CHECK(a.result.exit_code == 1);
        CHECK(count(a.report, "process") == 1);
        CHECK(a.report["reaped"].size() == 1);
    }
}

TEST_CASE("example: a server left listening keeps the harness alive: exit 3 with the socket", "[e2e][examples]") {
    TempDir dir("ex-server");
    Audit a = audit_plugin("leak-server", dir);
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 3);
    CHECK(a.report["harness"]["exit_timed_out"] == true);
    CHECK(count(a.report, "socket") == 1);
    CHECK(count(a.report, "harness") == 1);
}

TEST_CASE("example: an interval never cleared keeps the harness alive and is a handle", "[e2e][examples]") {
    TempDir dir("ex-interval");
    Audit a = audit_plugin("leak-interval", dir);
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 3);
    CHECK(count(a.report, "handle", "warning") == 1);
    CHECK(count(a.report, "harness") == 1);
}

TEST_CASE("example: a temp folder and a /dev/shm file left behind are tmp leaks", "[e2e][examples]") {
    for (const char* plugin : {"leak-tmpdir", "leak-shm"}) {
        TempDir dir(std::string("ex-") + plugin);
        Audit a = audit_plugin(plugin, dir);
        INFO(plugin << "\n" << a.result.out << a.result.err);
        CHECK(a.result.exit_code == 1);
        REQUIRE(count(a.report, "tmp") == 1);
        for (const auto& f : a.report["findings"]) {
            if (f["kind"] != "tmp") continue;
            CHECK(f["attribution"] == "creator-pid");
            std::error_code ec;
            std::filesystem::remove_all(f["path"].get<std::string>(), ec);  // created by this test's run
        }
    }
}
