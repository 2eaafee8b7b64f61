// `leakaudit attach PID` on running hosts: a Node host that loads and unloads a leaky
// plugin while a neighbour writes into the same watched folder every 50 ms; Enter,
// SIGINT and --until-exit end the watch; --reap ends only what was created below PID;
// a missing PID is exit 2; without root the fallback is said in the report.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "attach_support.hpp"
#include "e2e.hpp"
#include "support/skip.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

const std::string k_fixtures = std::string(LEAKAUDIT_SOURCE_DIR) + "/tests/fixtures/attach";

// A process that is not below the host, writing a file into `folder` every 50 ms (for at
// most a minute, whatever happens to the test).
std::vector<std::string> neighbour(const std::string& folder) {
    return {"/usr/bin/timeout", "60", "/bin/sh", "-c",
            "i=0; while :; do i=$((i+1)); echo x > '" + folder + "'/neighbour-$i; sleep 0.05; done"};
}

std::vector<std::string> attach_args(const TempDir& dir, const std::string& watch, int pid,
                                     const std::vector<std::string>& options = {}) {
    std::vector<std::string> args{k_leakaudit, "attach", "--no-color", "--watch", watch, "--json", dir / "report.json"};
    args = cat(args, options);
    args.push_back(std::to_string(pid));
    return args;
}

// The attach process says it is watching once its before snapshot is taken.
bool watching(const Piped& attach) {
    return eventually([&] { return attach.err().find("watching") != std::string::npos; }, 20s);
}

std::string sub(const TempDir& dir, const std::string& name) {
    std::string path = dir / name;
    ::mkdir(path.c_str(), 0755);
    return path;
}

int count_files(const std::string& folder, const std::string& prefix) {
    int n = 0;
    for (int i = 1; i < 100000; ++i) {
        if (!std::ifstream(folder + "/" + prefix + std::to_string(i)).good()) break;
        ++n;
    }
    return n;
}

bool has_warning(const nlohmann::json& report, const std::string& text) {
    for (const auto& w : report["warnings"]) {
        if (w.get<std::string>().find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("attach: a Node host loads and unloads a leaky plugin next to a busy neighbour, Enter reports exactly two",
          "[e2e][attach]") {
    std::string node = find_node();
    if (node.empty()) LEAKAUDIT_SKIP("node is not on PATH");
    if (geteuid() != 0) LEAKAUDIT_SKIP("needs root: fanotify and the fork history tell the neighbour apart");
    TempDir dir("attach-node");
    std::string w = watch_dir(dir);
    Piped writer(neighbour(w), sub(dir, "neighbour"));
    REQUIRE(eventually([&] { return count_files(w, "neighbour-") >= 2; }));
    Piped host({node, k_fixtures + "/host.mjs"}, sub(dir, "host"), {"PLUGIN_TMP=" + w});
    REQUIRE(host.await_line("ready"));
    Piped attach(attach_args(dir, w, host.pid(), {"--junit", dir / "junit.xml"}), sub(dir, "attach"));
    REQUIRE(watching(attach));

    REQUIRE(host.write_line("load " + k_fixtures + "/leaky-plugin.mjs"));
    std::optional<std::string> child = host.await_line("loaded");
    REQUIRE(child);
    REQUIRE(host.write_line("unload"));
    REQUIRE(host.await_line("unloaded"));
    int written_meanwhile = count_files(w, "neighbour-");
    REQUIRE(attach.write_line(""));  // Enter
    int code = attach.wait_exit(60s);
    INFO(attach.out() << attach.err());
    CHECK(code == 1);
    CHECK(written_meanwhile > 2);  // the neighbour was busy in the same folder

    auto report = read_report(dir);
    CHECK(report["mode"] == "attach");
    CHECK(report["attach"]["ended_by"] == "enter");
    CHECK(report["attach"]["host_pid"] == host.pid());
    REQUIRE(report["findings"].size() == 2);
    auto procs = findings_of(report, "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["pid"] == std::stoi(*child));
    CHECK(procs[0]["attribution"] == "descendant");
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"].get<std::string>().rfind(w + "/leaky-plugin-", 0) == 0);
    CHECK(tmp[0]["attribution"] == "creator-pid");
    CHECK(attach.out().find("ended by Enter") != std::string::npos);
    CHECK(pid_alive(std::stoi(*child)));  // attach reaps only with --reap
    kill(std::stoi(*child), SIGKILL);
}

TEST_CASE("attach: SIGINT reports what the host left, in every format", "[e2e][attach]") {
    TempDir dir("attach-sigint");
    std::string w = watch_dir(dir);
    Piped host({"/bin/sh", k_fixtures + "/host.sh"}, sub(dir, "host"), {"PLUGIN_TMP=" + w});
    REQUIRE(host.await_line("ready"));
    Piped attach(attach_args(dir, w, host.pid(), {"--junit", dir / "junit.xml"}), sub(dir, "attach"));
    REQUIRE(watching(attach));
    REQUIRE(host.write_line("load"));
    std::optional<std::string> child = host.await_line("loaded");
    REQUIRE(child);
    REQUIRE(kill(attach.pid(), SIGINT) == 0);
    int code = attach.wait_exit(60s);
    INFO(attach.out() << attach.err());
    CHECK(code == 1);
    auto report = read_report(dir);
    CHECK(report["attach"]["ended_by"] == "signal");
    auto procs = findings_of(report, "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["pid"] == std::stoi(*child));
    CHECK(findings_of(report, "tmp").size() == 1);
    CHECK(read_file(dir / "junit.xml").find("attached to " + std::to_string(host.pid())) != std::string::npos);
    auto valid = run_process({"/usr/bin/python3", std::string(LEAKAUDIT_SOURCE_DIR) + "/tests/tools/validate_json.py",
                              std::string(LEAKAUDIT_SOURCE_DIR) + "/schema/report.schema.json", dir / "report.json"},
                             dir.path());
    INFO(valid.out << valid.err);
    CHECK(valid.exit_code == 0);
    CHECK(pid_alive(host.pid()));  // the host is never signalled
}

TEST_CASE("attach --until-exit: the host's exit ends the watch and its orphan is still found", "[e2e][attach]") {
    if (geteuid() != 0) LEAKAUDIT_SKIP("needs root: an orphan re-parented away is found by the fork history");
    TempDir dir("attach-exit");
    std::string w = watch_dir(dir);
    Piped host({"/bin/sh", k_fixtures + "/host.sh"}, sub(dir, "host"), {"PLUGIN_TMP=" + w});
    REQUIRE(host.await_line("ready"));
    Piped attach(attach_args(dir, w, host.pid(), {"--until-exit", "--grace", "200ms", "--reap"}), sub(dir, "attach"));
    attach.close_stdin();  // as from a script: no Enter will come
    REQUIRE(watching(attach));
    REQUIRE(host.write_line("daemon"));
    std::optional<std::string> daemon = host.await_line("loaded");
    REQUIRE(daemon);
    host.close_stdin();  // the host exits; its setsid child is re-parented away
    int code = attach.wait_exit(60s);
    INFO(attach.out() << attach.err());
    CHECK(code == 1);
    auto report = read_report(dir);
    CHECK(report["attach"]["ended_by"] == "host-exited");
    CHECK(report["attach"]["host_exited"] == true);
    auto procs = findings_of(report, "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["pid"] == std::stoi(*daemon));
    REQUIRE(report["reaped"].size() == 1);
    CHECK(eventually([&] { return !pid_alive(std::stoi(*daemon)); }));
}

TEST_CASE("attach --reap ends only the child created below PID during the watch", "[e2e][attach]") {
    TempDir dir("attach-reap");
    std::string w = watch_dir(dir);
    Piped host({"/bin/sh", k_fixtures + "/host.sh"}, sub(dir, "host"), {"PLUGIN_TMP=" + w});
    REQUIRE(host.await_line("ready"));
    REQUIRE(host.write_line("load"));  // before the watch: the host's own, never reaped
    std::optional<std::string> before = host.await_line("loaded");
    REQUIRE(before);
    Piped attach(attach_args(dir, w, host.pid(), {"--reap"}), sub(dir, "attach"));
    REQUIRE(watching(attach));
    Piped other({"/bin/sleep", "300"}, sub(dir, "other"));  // a neighbour started meanwhile
    REQUIRE(host.write_line("load"));
    std::optional<std::string> during = host.await_line("loaded");
    REQUIRE(during);
    REQUIRE(attach.write_line(""));
    int code = attach.wait_exit(60s);
    INFO(attach.out() << attach.err());
    CHECK(code == 1);
    auto report = read_report(dir);
    REQUIRE(report["reaped"].size() == 1);
    CHECK(report["reaped"][0]["pid"] == std::stoi(*during));
    CHECK(eventually([&] { return !pid_alive(std::stoi(*during)); }));
    CHECK(pid_alive(std::stoi(*before)));
    CHECK(pid_alive(other.pid()));
    CHECK(pid_alive(host.pid()));
}

TEST_CASE("attach --control: the host says started and stopped, what came before started is not counted",
          "[e2e][attach]") {
    TempDir dir("attach-control");
    std::string w = watch_dir(dir);
    std::string fifo = dir / "control.fifo";
    Piped host({"/bin/sh", k_fixtures + "/host.sh"}, sub(dir, "host"), {"PLUGIN_TMP=" + w, "CONTROL=" + fifo});
    REQUIRE(host.await_line("ready"));
    Piped attach(attach_args(dir, w, host.pid(), {"--control", fifo}), sub(dir, "attach"));
    attach.close_stdin();
    REQUIRE(watching(attach));
    REQUIRE(host.write_line("load"));  // before `started`: the host's own business
    std::optional<std::string> early = host.await_line("loaded");
    REQUIRE(early);
    REQUIRE(host.write_line("say started"));
    REQUIRE(host.await_line("said"));
    REQUIRE(eventually([&] { return attach.err().find("window begins now") != std::string::npos; }));
    REQUIRE(host.write_line("load"));
    std::optional<std::string> plugin_child = host.await_line("loaded");
    REQUIRE(plugin_child);
    REQUIRE(host.write_line("open"));
    REQUIRE(host.await_line("opened"));
    REQUIRE(host.write_line("say stopped"));
    int code = attach.wait_exit(60s);  // no Enter, no signal: `stopped` ends the watch
    INFO(attach.out() << attach.err());
    CHECK(code == 1);
    auto report = read_report(dir);
    CHECK(report["attach"]["ended_by"] == "stopped");
    CHECK(report["attach"]["saw_started"] == true);
    auto procs = findings_of(report, "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["pid"] == std::stoi(*plugin_child));
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"] == w + "/shell-plugin-3");
    auto fds = findings_of(report, "fd");
    REQUIRE(fds.size() == 1);
    CHECK(fds[0]["message"].get<std::string>().rfind("the process " + std::to_string(host.pid()) + " (sh) still holds",
                                                     0) == 0);
    CHECK(access(fifo.c_str(), F_OK) != 0);  // removed at the end
}

TEST_CASE("attach to a pid that does not exist is a clear error, exit 2", "[e2e][attach]") {
    TempDir dir("attach-nopid");
    int pid_max = std::stoi(read_file("/proc/sys/kernel/pid_max"));  // pids stay below it
    auto r = run_process({k_leakaudit, "attach", std::to_string(pid_max)}, dir.path());
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no running process with pid " + std::to_string(pid_max)) != std::string::npos);
    auto bad = run_process({k_leakaudit, "attach", "12ab"}, dir.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("`12ab` is not a pid") != std::string::npos);
    auto self_control = run_process({k_leakaudit, "attach", "--control", dir.path(), "1"}, dir.path());
    CHECK(self_control.exit_code == 2);  // --control must name a new path
}

TEST_CASE("attach without root: process ancestry still works, temp entries become marked guesses, and it says so",
          "[e2e][attach]") {
    if (geteuid() != 0 || access("/usr/bin/setpriv", X_OK) != 0) LEAKAUDIT_SKIP("needs root and setpriv");
    TempDir dir("attach-nonroot");
    std::string w = watch_dir(dir);
    ::chmod(dir.path().c_str(), 0777);
    ::chmod(w.c_str(), 0777);
    std::vector<std::string> as_nobody{"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
    Piped writer(neighbour(w), sub(dir, "neighbour"));  // root's files: another user
    std::string host_dir = sub(dir, "host"), attach_dir = sub(dir, "attach");
    ::chmod(host_dir.c_str(), 0777);
    ::chmod(attach_dir.c_str(), 0777);
    Piped host(cat(as_nobody, {"/bin/sh", k_fixtures + "/host.sh"}), host_dir, {"PLUGIN_TMP=" + w});
    REQUIRE(host.await_line("ready"));
    Piped attach(cat(as_nobody, attach_args(dir, w, host.pid(), {})), attach_dir);
    REQUIRE(watching(attach));
    REQUIRE(host.write_line("load"));
    REQUIRE(host.await_line("loaded"));
    REQUIRE(attach.write_line(""));
    int code = attach.wait_exit(60s);
    INFO(attach.out() << attach.err());
    CHECK(code == 1);
    auto report = read_report(dir);
    CHECK(report["attach"]["creation_watch"] == false);  // fanotify's filesystem marks need root
    CHECK(findings_of(report, "process").size() == 1);
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);  // root's neighbour files are another user's
    CHECK(tmp[0]["attribution"] == "time-window");
    CHECK(attach.out().find("guess") != std::string::npos);
    // Recent kernels let any user follow forks; where this one does not, the report says so.
    if (report["attach"]["fork_history"] == false) CHECK(has_warning(report, "were not followed"));
    CHECK(has_warning(report, "creators were not seen (needs root)"));
}
