// The Node kit for real: `leakaudit run -- node …` on the example plugins, with a plain
// harness that knows nothing of leakaudit (judged at the hang or at exit) and with the
// kit's API (judged at `stopped`). Each leak is named with its site in the plugin's
// source. Tests that need a package that cannot be installed end with LEAKAUDIT_SKIP
// (tests/support/skip.hpp) and CTest reports them as skipped.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "e2e.hpp"
#include "support/skip.hpp"

using namespace leakaudit::test;

namespace {

enum class Mode { plain, kit };

Audit audit(const TempDir& dir, Mode mode, const std::string& plugin, std::vector<std::string> options = {},
            const std::vector<std::string>& env = {}) {
    std::string harness = k_examples + (mode == Mode::plain ? "/harness-plain.mjs" : "/harness-kit.mjs");
    options.insert(options.end(), {"--grace", "300ms", "--exit-timeout", "1s"});
    if (mode == Mode::plain && std::find(options.begin(), options.end(), "--timeout") == options.end())
        options.insert(options.end(), {"--timeout", "4s"});
    auto r = run_process(run_args(dir, options, {"node", harness, k_examples + "/plugins/" + plugin + ".mjs"}),
                         dir.path(), std::chrono::seconds(90), env);
    return {r, read_report(dir)};
}

// The finding of `kind` whose site mentions `where` (a file:line of the plugin), or null.
const nlohmann::json* with_site(const nlohmann::json& report, const std::string& kind, const std::string& where) {
    for (const auto& f : report["findings"]) {
        if (f["kind"] == kind && f.value("site", "").find(where) != std::string::npos) return &f;
    }
    return nullptr;
}

std::string harness_message(const nlohmann::json& report) {
    for (const auto& f : report["findings"]) {
        if (f["kind"] == "harness" && f["attribution"] == "harness") return f["message"];
    }
    return "";
}

void check_kit_active(const nlohmann::json& report) {
    REQUIRE(report.contains("node_kit"));
    CHECK(report["node_kit"]["active"] == true);
}

}  // namespace

TEST_CASE("node kit: a forgotten setInterval is named with its site, plain and with the API", "[e2e][node-kit]") {
    for (Mode mode : {Mode::plain, Mode::kit}) {
        TempDir dir("nk-interval");
        Audit a = audit(dir, mode, "leak-interval");
        INFO(a.result.out << a.result.err);
        check_kit_active(a.report);
        CHECK(a.result.exit_code == 3);
        const nlohmann::json* h = with_site(a.report, "handle", "leak-interval.mjs:12");
        REQUIRE(h != nullptr);
        CHECK((*h)["type"] == "Timeout");
        CHECK((*h)["severity"] == "error");
        // One leak, one finding: the hang is the timer's, said in its finding.
        CHECK(harness_message(a.report).empty());
        CHECK((*h)["message"].get<std::string>().find("it kept the harness ") != std::string::npos);
        // The text report shows the site under the finding.
        CHECK((a.result.out + a.result.err).find("   at ") != std::string::npos);
        CHECK((a.result.out + a.result.err).find("leak-interval.mjs:12") != std::string::npos);
    }
}

TEST_CASE("node kit: a server left listening is named with its site", "[e2e][node-kit]") {
    for (Mode mode : {Mode::plain, Mode::kit}) {
        TempDir dir("nk-server");
        Audit a = audit(dir, mode, "leak-server");
        INFO(a.result.out << a.result.err);
        CHECK(a.result.exit_code == 3);
        const nlohmann::json* h = with_site(a.report, "handle", "leak-server.mjs:");
        REQUIRE(h != nullptr);
        CHECK((*h)["type"] == "TCPServerWrap");
        CHECK(harness_message(a.report).empty());
        CHECK((*h)["message"].get<std::string>().find("it kept the harness ") != std::string::npos);
    }
}

TEST_CASE("node kit: listeners on process and on the host are listener findings", "[e2e][node-kit]") {
    struct Case {
        const char* plugin;
        const char* emitter;
        const char* event;
        const char* site;
        const char* severity;
    };
    for (Case c : {Case{"leak-sigterm", "process", "SIGTERM", "leak-sigterm.mjs:7", "error"},
                   Case{"leak-host-listener", "Host", "config", "leak-host-listener.mjs:5", "warning"}}) {
        for (Mode mode : {Mode::plain, Mode::kit}) {
            TempDir dir("nk-listener");
            Audit a = audit(dir, mode, c.plugin);
            INFO(c.plugin << (mode == Mode::plain ? " plain\n" : " kit\n") << a.result.out << a.result.err);
            const nlohmann::json* l = with_site(a.report, "listener", c.site);
            REQUIRE(l != nullptr);
            CHECK((*l)["emitter"] == c.emitter);
            CHECK((*l)["event"] == c.event);
            CHECK((*l)["severity"] == c.severity);
            CHECK(a.result.exit_code == (std::string(c.severity) == "error" ? 1 : 0));
        }
    }
}

TEST_CASE("node kit: a beforeExit handler that keeps spawning children", "[e2e][node-kit]") {
    TempDir dir("nk-beforeexit");
    Audit a = audit(dir, Mode::plain, "leak-beforeexit", {"--timeout", "3s"});
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 3);
    const nlohmann::json* l = with_site(a.report, "listener", "leak-beforeexit.mjs:7");
    REQUIRE(l != nullptr);
    CHECK((*l)["event"] == "beforeExit");
    CHECK((*l)["severity"] == "error");
}

// One leak, one finding: the kit's handle of the child is folded into the process finding,
// which takes its site (core/peer_findings.hpp).
TEST_CASE("node kit: a child process is one process finding with the handle's site", "[e2e][node-kit]") {
    TempDir dir("nk-child");
    Audit a = audit(dir, Mode::plain, "leak-child");
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 1);
    CHECK(findings_of(a.report, "process").size() == 1);
    CHECK(with_site(a.report, "process", "leak-child.mjs:14") != nullptr);
    CHECK(with_site(a.report, "handle", "leak-child.mjs:14") == nullptr);
}

// The hint follows how the child got out of the harness's process group: the kit saw
// `spawn(…, {detached: true})` of the very process left over, so it is not a daemon that
// double-forked (leak-daemon: the kit saw only the launcher shell, which exited).
TEST_CASE("node kit: a detached, unref'd child gets the detached hint, a double-forked daemon the daemon's",
          "[e2e][node-kit][hints]") {
    TempDir dir("nk-detached");
    std::string plugin = dir / "leak-detached.mjs";
    std::ofstream(plugin) << R"(import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
export const name = 'leak-detached';
export async function onStart() {
  const child = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
  child.unref();
  writeFileSync(process.env.PIDFILE, `${child.pid}\n`);
}
export async function onStop() { /* forgot process.kill(-child.pid) */ }
)";
    auto r = run_process(run_args(dir, {"--grace", "300ms", "--timeout", "20s"},
                                  {"node", k_examples + "/harness-plain.mjs", plugin}),
                         dir.path(), std::chrono::seconds(60), {"PIDFILE=" + (dir / "child.pid")});
    nlohmann::json report = read_report(dir);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    auto processes = findings_of(report, "process");
    REQUIRE(processes.size() == 1);
    CHECK(processes[0]["hint"] ==
          "a child spawned with detached: true and unref() outlives the plugin: keep the ChildProcess and kill it "
          "(process.kill(-child.pid) for its group) in onStop()");
    kill_pids(read_pids(dir / "child.pid"));

    TempDir daemon_dir("nk-daemon");
    Audit a = audit(daemon_dir, Mode::plain, "leak-daemon");
    INFO(a.result.out << a.result.err);
    auto daemons = findings_of(a.report, "process");
    REQUIRE(daemons.size() == 1);
    CHECK(daemons[0]["hint"].get<std::string>().starts_with("a daemon escaped with setsid/double-fork"));
}

// Regression (issue 12): a child spawned with stdio pipes was five errors (the process,
// the harness's three socket pairs to it, and the handle); now it is one.
TEST_CASE("node kit: a forgotten child spawned with stdio pipes is exactly one error finding",
          "[e2e][node-kit][peer]") {
    TempDir dir("nk-piped-child");
    std::string harness = dir / "harness.mjs";
    std::ofstream(harness) << R"(import { spawn } from 'node:child_process';
import { writeSync, readSync, writeFileSync } from 'node:fs';
const control = Number(process.env.LEAKAUDIT_CONTROL_FD), ack = Number(process.env.LEAKAUDIT_ACK_FD);
function say(event) {
  writeSync(control, JSON.stringify({ event }) + '\n');
  const b = Buffer.alloc(1);
  while (readSync(ack, b, 0, 1, null) === 1 && b[0] !== 10) {}
}
say('started');
const child = spawn('sleep', ['300'], { stdio: 'pipe' }); // forgotten
writeFileSync(process.argv[2], `${child.pid}\n`);
say('stopped');
process.exit(0);
)";
    auto r = run_process(run_args(dir, {"--grace", "300ms", "--timeout", "20s"}, {"node", harness, dir / "child"}),
                         dir.path(), std::chrono::seconds(60));
    auto report = read_report(dir);
    INFO(r.out << r.err << report.dump(2));
    CHECK(r.exit_code == 1);
    CHECK(errors_of(report).size() == 1);
    auto processes = findings_of(report, "process");
    REQUIRE(processes.size() == 1);
    CHECK(processes[0]["severity"] == "error");
    CHECK(findings_of(report, "socket").empty());
    CHECK(r.out.find("connected to the harness by unix socket pair ×3") != std::string::npos);
    kill_pids(read_pids(dir / "child"));
}

// One forgotten cleanup, one heading (core/finding_group.hpp): a library in node_modules
// starts a detached child and adds two process listeners, all below line 7 of the
// plugin; the text report puts the three under that line, JSON gives each its `group`.
TEST_CASE("node kit: leaks made below one call of the plugin are one group", "[e2e][node-kit][groups]") {
    TempDir dir("nk-group");
    std::filesystem::create_directories(dir / "node_modules/fake-launcher");
    std::filesystem::create_directories(dir / "plugins");
    std::ofstream(dir / "node_modules/fake-launcher/package.json")
        << R"({"name": "fake-launcher", "version": "1.0.0", "type": "module", "main": "index.js"})";
    std::ofstream(dir / "node_modules/fake-launcher/index.js") << R"(import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
export function launch(pidfile) {
  const child = spawn('sleep', ['300'], { stdio: 'ignore', detached: true });
  child.unref();
  writeFileSync(pidfile, `${child.pid}\n`);
  process.on('exit', () => {});
  process.on('SIGTERM', () => {});
  return child;
}
)";
    std::ofstream(dir / "plugins/leak-launch.mjs") << R"(import { launch } from 'fake-launcher';
export const name = 'leak-launch';
let browser;
export async function onStart() {
  // one call, three leaks: the child and two process listeners
  const pidfile = process.env.PIDFILE;
  browser = launch(pidfile);
}
export async function onStop() { /* forgot browser.kill() */ }
)";
    // Run from the folder, so sites are relative to it as in a project.
    std::string script = "cd '" + dir.path() + "' && exec node '" + k_examples + "/harness-plain.mjs' plugins/leak-launch.mjs";
    auto r = run_process(run_args(dir, {"--node", "--grace", "300ms", "--timeout", "20s"}, {"sh", "-c", script}),
                         dir.path(), std::chrono::seconds(60), {"PIDFILE=" + (dir / "child.pid")});
    nlohmann::json report = read_report(dir);
    INFO(r.out << r.err << report.dump(2));
    CHECK(r.exit_code == 1);
    int grouped = 0;
    for (const auto& f : report["findings"])
        grouped += f.contains("group") && f["group"] == "plugins/leak-launch.mjs:7";
    CHECK(grouped == 3);
    CHECK(r.out.find("plugins/leak-launch.mjs:7 — 3 leaks from one call\n") != std::string::npos);
    CHECK(r.out.find("     via node_modules/fake-launcher/index.js:7\n") != std::string::npos);
    CHECK(r.out.find(" · from 1 site · ") != std::string::npos);
    CHECK(report["summary"]["error"] == 3);  // counted as before: one per finding
    kill_pids(read_pids(dir / "child.pid"));
}

TEST_CASE("node kit: the clean plugin exits 0 in both modes, stderr piped or to a file", "[e2e][node-kit]") {
    for (Mode mode : {Mode::plain, Mode::kit}) {
        TempDir dir("nk-clean");
        Audit a = audit(dir, mode, "clean");
        INFO(a.result.out << a.result.err);
        CHECK(a.result.exit_code == 0);
        check_kit_active(a.report);
        CHECK(a.report["summary"]["error"] == 0);
        CHECK(a.report["summary"]["warning"] == 0);

        TempDir file_dir("nk-clean-file");
        std::string harness = k_examples + (mode == Mode::plain ? "/harness-plain.mjs" : "/harness-kit.mjs");
        std::string script =
            "exec node '" + harness + "' '" + k_examples + "/plugins/clean.mjs' 2>'" + (file_dir / "stderr.txt") + "'";
        auto r = run_process(run_args(file_dir, {"--node", "--timeout", "20s"}, {"sh", "-c", script}), file_dir.path(),
                             std::chrono::seconds(60));
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK(read_report(file_dir)["node_kit"]["active"] == true);
    }
}

TEST_CASE("node kit: a node-cron job is named with the plugin's line", "[e2e][node-kit]") {
    TempDir dir("nk-cron");
    std::string prefix = dir / "npm";
    auto npm =
        run_process({"/usr/bin/env", "npm", "install", "--prefix", prefix, "--no-audit", "--no-fund", "node-cron@3"},
                    dir.path(), std::chrono::seconds(120));
    std::string module = prefix + "/node_modules/node-cron";
    if (npm.exit_code != 0) {
        LEAKAUDIT_SKIP("node-cron could not be installed (exit " << npm.exit_code << "): " << npm.err);
    }
    for (Mode mode : {Mode::plain, Mode::kit}) {
        Audit a = audit(dir, mode, "leak-cron", {}, {"NODE_CRON_PATH=" + module});
        INFO(a.result.out << a.result.err);
        CHECK(a.result.exit_code == 3);
        const nlohmann::json* h = with_site(a.report, "handle", "leak-cron.mjs:9");
        REQUIRE(h != nullptr);
        CHECK((*h)["type"] == "Timeout");
    }
}

TEST_CASE("node kit: node --test with a leaked server fails and names it, also with --test-force-exit",
          "[e2e][node-kit]") {
    for (bool force : {false, true}) {
        TempDir dir("nk-node-test");
        std::vector<std::string> command{"node", "--test"};
        if (force) command.push_back("--test-force-exit");
        command.push_back(k_examples + "/node-test/test/");
        auto r = run_process(run_args(dir, {"--timeout", "8s", "--grace", "300ms"}, command), dir.path(),
                             std::chrono::seconds(90));
        nlohmann::json report = read_report(dir);
        INFO((force ? "--test-force-exit\n" : "") << r.out << r.err);
        CHECK(r.exit_code != 0);
        const nlohmann::json* h = with_site(report, "handle", "plugin.test.mjs:");
        REQUIRE(h != nullptr);
        CHECK((*h)["type"] == "TCPServerWrap");
    }
}

// Regression: the watchers' warnings replaced the report's warnings at the end of the run,
// so what the kit said about its files (and --node and the freeze) was lost.
TEST_CASE("node kit: a malformed kit record is a warning in the report", "[e2e][node-kit]") {
    TempDir dir;
    const std::string script =
        "require('fs').appendFileSync(process.env.LEAKAUDIT_KIT_DIR + '/' + process.pid + '.jsonl',"
        " JSON.stringify({type: 'report', pid: process.pid, reason: 'bogus'}) + '\\n')";
    auto r = run_process(run_args(dir, {"--node"}, {"node", "-e", script}), dir.path(), std::chrono::seconds(60));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    nlohmann::json report = read_report(dir);
    bool said = false;
    for (const auto& w : report["warnings"])
        said = said || w.get<std::string>().find("a report without a known reason") != std::string::npos;
    CHECK(said);
}

// Issue 12: the status line of a long run names what the Node kit says the harness holds
// now, with the plugin's file and line, from the kit's live summary (no 2 s dump).
TEST_CASE("node kit: the status line names the leaked interval and its plugin line", "[e2e][node-kit][status]") {
    TempDir dir("nk-status");
    Audit a =
        audit(dir, Mode::plain, "leak-interval", {"--timeout", "5s"}, {"LEAKAUDIT_STATUS_INTERVAL_MS=1000", "CI="});
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 3);
    std::size_t at = a.result.err.find("leakaudit: still running after ");
    REQUIRE(at != std::string::npos);
    CHECK(a.result.err.find("holds 1 setInterval 60000ms (") != std::string::npos);
    CHECK(a.result.err.find("plugins/leak-interval.mjs:12)") != std::string::npos);
    CHECK(a.result.err.find("refreshing cache") == std::string::npos);  // no value from the plugin
    // The kit's folder is gone at the end, its summary files with it.
    CHECK(a.report["node_kit"]["active"] == true);
}

// Issue 12, one leak, one finding: a plain harness whose plugin forgets a child spawned
// with stdio pipes never exits (the pipes keep its event loop alive). The child's finding
// says it kept the harness alive; no second error for the hang.
TEST_CASE("node kit: a harness hung by a forgotten piped child is exactly one error finding",
          "[e2e][node-kit][peer][hang]") {
    TempDir dir("nk-piped-hang");
    std::string plugin = dir / "leak-piped-child.mjs";
    std::ofstream(plugin) << R"(import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
export const name = 'leak-piped-child';
export async function onStart(ctx) {
  const child = spawn('sleep', ['300'], { stdio: 'pipe' }); // forgotten
  writeFileSync(process.env.PIDS_FILE, `${child.pid}\n`);
}
export async function onStop(ctx) {}
)";
    std::string harness = k_examples + "/harness-plain.mjs";
    auto r = run_process(run_args(dir, {"--grace", "300ms", "--timeout", "4s"}, {"node", harness, plugin}), dir.path(),
                         std::chrono::seconds(90), {"PIDS_FILE=" + (dir / "child"), "CI="});
    auto report = read_report(dir);
    INFO(r.out << r.err << report.dump(2));
    CHECK(r.exit_code == 3);  // the harness still timed out (README "Exit codes")
    CHECK(report["harness"]["timed_out"] == true);
    CHECK(errors_of(report).size() == 1);
    auto processes = findings_of(report, "process");
    REQUIRE(processes.size() == 1);
    CHECK(findings_of(report, "harness").empty());
    std::string message = processes[0]["message"];
    CHECK(message.find("it kept the harness alive until --timeout, when the harness was killed") != std::string::npos);
    CHECK(processes[0].value("site", "").find("leak-piped-child.mjs:5") != std::string::npos);
    CHECK(r.out.find("connected to the harness by unix socket pair ×3") != std::string::npos);
    CHECK(r.out.find("1 error,") != std::string::npos);
    kill_pids(read_pids(dir / "child"));
}
