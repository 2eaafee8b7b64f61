// The shipped packs judge typical findings the way their reasons say: caches ignored,
// crashpad a warning, a leaked browser still an error.
#include <catch2/catch.hpp>

#include "rules/rule_loader.hpp"
#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;

namespace {

// Built-ins, the default pack and `pack`, as `run --rules PACK` loads them.
Severity with_pack(const std::string& pack, Finding finding) {
    RuleLoadRequest request;
    request.pack_dirs = {RULES_PACK_DIR};
    request.project_file.reset();
    request.extra = {pack};
    Result<RuleSet, Diagnostics> loaded = load_rules(request);
    REQUIRE(loaded.has_value());
    std::vector<Finding> findings{std::move(finding)};
    loaded->apply(findings);
    return findings[0].severity;
}

}  // namespace

TEST_CASE("default pack: kernel threads ignored, ordinary leaks untouched", "[rules][packs]") {
    CHECK(with_pack("default", process_finding("kworker/0:1-events", {}, "", "root")) == Severity::ignore);
    // Not root, executable unreadable (PR_SET_DUMPABLE 0), named like a kernel thread: a leak.
    CHECK(with_pack("default", process_finding("kworker/0:1", {}, "", "alice")) == Severity::error);
    CHECK(with_pack("default", process_finding("kworker/0:1", {}, "/usr/bin/kworker")) == Severity::error);
    CHECK(with_pack("default", process_finding("sleep", {"sleep", "300"}, "/usr/bin/sleep")) == Severity::error);
    CHECK(with_pack("default", process_finding("gpg-agent", {"gpg-agent", "--daemon"}, "/usr/bin/gpg-agent")) ==
          Severity::info);
    CHECK(with_pack("default", tmp_finding("/tmp/.X11-unix", EntryType::dir)) == Severity::ignore);
    CHECK(with_pack("default", tmp_finding("/tmp/plugin-123", EntryType::dir)) == Severity::error);
}

TEST_CASE("node pack: inspector port and compile caches", "[rules][packs]") {
    CHECK(with_pack("node", socket_finding("tcp", "listen", 9229)) == Severity::info);
    CHECK(with_pack("node", socket_finding("tcp", "listen", 8080)) == Severity::error);
    CHECK(with_pack("node", tmp_finding("/tmp/node-compile-cache", EntryType::dir)) == Severity::ignore);
    CHECK(with_pack("node", tmp_finding("/tmp/v8-compile-cache-1000", EntryType::dir)) == Severity::ignore);
    CHECK(with_pack("node", tmp_finding("/tmp/jest_rs", EntryType::dir)) == Severity::info);
    CHECK(with_pack("node", tmp_finding("/tmp/plugin-x", EntryType::dir)) == Severity::error);
}

TEST_CASE("chromium pack: crashpad warns, the browser tree stays an error", "[rules][packs]") {
    CHECK(with_pack("chromium", process_finding("chrome_crashpad", {"/opt/chrome/chrome_crashpad_handler"},
                                                "/opt/chrome/chrome_crashpad_handler")) == Severity::warning);
    CHECK(with_pack("chromium", process_finding("chrome", {"/opt/chrome/chrome", "--type=renderer"},
                                                "/opt/chrome/chrome")) == Severity::error);
    CHECK(with_pack("chromium", process_finding("chromium", {"/usr/lib/chromium/chromium"},
                                                "/usr/lib/chromium/chromium")) == Severity::error);
    CHECK(with_pack("chromium", tmp_finding("/tmp/.org.chromium.Chromium.aB3xYz", EntryType::dir)) ==
          Severity::warning);
    CHECK(with_pack("chromium", tmp_finding("/dev/shm/.org.chromium.Chromium.Xy12")) == Severity::warning);
    CHECK(with_pack("chromium", tmp_finding("/tmp/.org.chromium.Chromium")) == Severity::error);
}

TEST_CASE("python pack: multiprocessing dirs, bytecode, pytest basetemp", "[rules][packs]") {
    CHECK(with_pack("python", tmp_finding("/tmp/pymp-k2j3h4g5", EntryType::dir)) == Severity::info);
    CHECK(with_pack("python", tmp_finding("/tmp/work/__pycache__", EntryType::dir)) == Severity::ignore);
    CHECK(with_pack("python", tmp_finding("/tmp/work/__pycache__/m.cpython-311.pyc")) == Severity::ignore);
    CHECK(with_pack("python", tmp_finding("/tmp/pytest-of-ci", EntryType::dir)) == Severity::info);
    CHECK(with_pack("python", tmp_finding("/tmp/tmpabc123", EntryType::dir)) == Severity::error);
}

TEST_CASE("jvm pack: hsperfdata, attach socket, gradle daemon", "[rules][packs]") {
    CHECK(with_pack("jvm", tmp_finding("/tmp/hsperfdata_ci", EntryType::dir)) == Severity::ignore);
    CHECK(with_pack("jvm", tmp_finding("/tmp/hsperfdata_ci/4242")) == Severity::info);
    CHECK(with_pack("jvm", tmp_finding("/tmp/.java_pid4242", EntryType::socket)) == Severity::info);
    CHECK(with_pack("jvm", socket_finding("unix", "listen", 0, "", "/tmp/.java_pid4242")) == Severity::info);
    CHECK(with_pack("jvm", process_finding(
                               "java", {"java", "-cp", "x", "org.gradle.launcher.daemon.bootstrap.GradleDaemon", "8.5"},
                               "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")) == Severity::warning);
    CHECK(with_pack("jvm", process_finding("java", {"java", "-jar", "server.jar"})) == Severity::error);
}

// Issue 8 item 7: a leaked process can name itself anything (prctl(PR_SET_NAME)), so no
// shipped rule softens a finding by the name; they match the executable.
TEST_CASE("shipped packs judge a process by its executable, not by the name it gives itself", "[rules][packs]") {
    for (const char* name : {"gpg-agent", "leakaudit", "dirmngr", "dbus-daemon", "at-spi-bus-laun"}) {
        CAPTURE(name);
        CHECK(with_pack("default", process_finding(name, {"sleep", "300", "--session"}, "/usr/bin/sleep")) ==
              Severity::error);
    }
    CHECK(with_pack("default", process_finding("leakaudit", {"leakaudit", "run"}, "/usr/bin/leakaudit")) ==
          Severity::info);
    CHECK(with_pack("default", process_finding("dbus-daemon", {"dbus-daemon", "--session"}, "/usr/bin/dbus-daemon")) ==
          Severity::warning);
    CHECK(with_pack("chromium", process_finding("chrome_crashpad", {"sleep"}, "/usr/bin/sleep")) == Severity::error);
    CHECK(with_pack("jvm", process_finding("java", {"java", "KotlinCompileDaemon"}, "/usr/bin/sleep")) ==
          Severity::error);
}

}  // namespace leakaudit
