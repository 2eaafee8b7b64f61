// Names CI tracks test history by (JUnit test cases): the same leak in two runs, with
// other pids, ports and mktemp suffixes, has the same id and the same name; two leaks
// have different ones. The ids are checked through the functions that make them.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/checkpoint_findings.hpp"
#include "core/finding_group.hpp"
#include "core/finding_id.hpp"
#include "core/finding_name.hpp"
#include "core/node_kit_findings.hpp"
#include "core/process_findings.hpp"
#include "core/report.hpp"
#include "core/report_annotations.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

// One run's Node kit report: a Node process `pid` (its cwd a mktemp folder) whose plugin
// left a server on `port`, a child `child_pid` and a process listener.
std::vector<Finding> kit_run(int pid, int port, int child_pid, const std::string& tmp_suffix) {
    std::string cwd = "/tmp/harness-" + tmp_suffix;
    auto site = [&](int line) {
        SourceSite s;
        s.site = "node_modules/ws/lib/websocket-server.js:115 ← plugins/leak.mjs:" + std::to_string(line);
        s.stack = {StackFrame{cwd + "/node_modules/ws/lib/websocket-server.js", 115, 3, "", "ws"},
                   StackFrame{cwd + "/plugins/leak.mjs", line, 9, "onStart", ""}};
        s.user_file = "plugins/leak.mjs";
        s.user_line = line;
        return s;
    };
    KitProcess p;
    p.hello.pid = pid;
    p.hello.cwd = cwd;
    p.hello.argv = {"node", cwd + "/test/leak.test.mjs"};
    p.report.pid = pid;
    p.report.reason = KitReason::exit;
    p.report.handles = {
        Handle{"TCPServerWrap", "server listening on 127.0.0.1:" + std::to_string(port), true, 1, site(5)},
        Handle{"ProcessWrap", "child pid " + std::to_string(child_pid) + ": sleep 300", false, 1, site(7)},
        Handle{"Timeout", "setInterval 1000ms", true, 1, SourceSite{}},
    };
    p.report.listeners = {Listener{"process", "SIGTERM", 1, site(9)}};
    return kit_findings({p});
}

Finding process_leak(int pid, const std::string& tmp_suffix) {
    RunRoots roots{{100, 10}, ProcessId{200, 20}, "cookie"};
    Snapshot after = snapshot({proc(100, 10, 1, {"leakaudit"}),
                               proc(pid, 30, 100, {"chromium", "--user-data-dir=/tmp/profile-" + tmp_suffix}, 200)});
    auto run = attribute_processes(Snapshot{}, after, roots);
    return process_findings(run, after, roots, AuditPoint::after_exit).at(0);
}

Finding tmp_leak(const std::string& path) {
    Finding f = finding(Kind::tmp, Severity::error, make_finding_id(Kind::tmp, {stable_path_key(path), "dir"}),
                        "temp folder " + path + " left behind (1 entry, 2 B)");
    f.tmp = tmp_entry(path, EntryType::dir, 42);
    return f;
}

}  // namespace

TEST_CASE("ids of the same leaks are the same in two runs with other pids, ports and suffixes", "[ids][names]") {
    std::vector<Finding> one = kit_run(6142, 33191, 6160, "scHcCx");
    std::vector<Finding> two = kit_run(9001, 41234, 9017, "Ab12Yz");
    REQUIRE(one.size() == two.size());
    REQUIRE(one.size() == 4);
    for (std::size_t i = 0; i < one.size(); ++i) {
        INFO(one[i].message << " / " << two[i].message);
        CHECK(one[i].message != two[i].message);  // the messages do carry the pids and ports
        CHECK(one[i].id == two[i].id);
    }
    CHECK(process_leak(6453, "scHcCx").id == process_leak(812, "Q2xT9z").id);
    CHECK(tmp_leak("/tmp/leak-tmp-plugin-8dWSyF").id == tmp_leak("/tmp/leak-tmp-plugin-dmH4kM").id);
}

// Regression: a handle the harness reports on the control channel hashed its detail as
// it was, port and all, so the same server had a new id every run.
TEST_CASE("a reported handle's id folds the port in its detail", "[ids][names]") {
    auto reported = [](const std::string& detail) {
        return handle_findings({Handle{"TCPServerWrap", detail, true, 1, SourceSite{}}}).at(0);
    };
    Finding a = reported("1 listening: 127.0.0.1:34307");
    Finding b = reported("1 listening: 127.0.0.1:41999");
    CHECK(a.id == b.id);
    CHECK(stable_name(a) == stable_name(b));
    CHECK(a.id != reported("1 listening: /run/plugin.sock").id);
}

TEST_CASE("stable names: the same leak, the same name, with no pid, port or suffix in it", "[names]") {
    std::vector<Finding> one = kit_run(6142, 33191, 6160, "scHcCx");
    std::vector<Finding> two = kit_run(9001, 41234, 9017, "Ab12Yz");
    for (std::size_t i = 0; i < one.size(); ++i) {
        std::string name = stable_name(one[i]);
        INFO(name);
        CHECK(name == stable_name(two[i]));
        CHECK(name.starts_with(one[i].id + " "));
        for (const char* run_specific : {"6142", "33191", "6160", "scHcCx"})
            CHECK(name.find(run_specific) == std::string::npos);
    }
    CHECK(stable_name(one[0]) == one[0].id + " TCPServerWrap at plugins/leak.mjs:5");
    CHECK(stable_name(one[3]) == one[3].id + " process 'SIGTERM' at plugins/leak.mjs:9");
    CHECK(stable_name(one[2]) == one[2].id + " Timeout setInterval *");  // no site: the detail, numbers folded

    Finding p1 = process_leak(6453, "scHcCx");
    Finding p2 = process_leak(812, "Q2xT9z");
    CHECK(stable_name(p1) == stable_name(p2));
    CHECK(stable_name(p1) == p1.id + " chromium");
    // The Node kit recorded its spawn: the site comes along.
    p1.handle = one[1].handle;
    CHECK(stable_name(p1) == p1.id + " chromium at plugins/leak.mjs:7");

    Finding t1 = tmp_leak("/tmp/leak-tmp-plugin-8dWSyF");
    CHECK(stable_name(t1) == stable_name(tmp_leak("/tmp/leak-tmp-plugin-dmH4kM")));
    CHECK(stable_name(t1) == t1.id + " folder /tmp/leak-tmp-plugin-*");
}

TEST_CASE("stable names: different leaks get different names", "[names]") {
    std::vector<Finding> f = kit_run(6142, 33191, 6160, "scHcCx");
    for (std::size_t i = 0; i < f.size(); ++i) {
        for (std::size_t j = i + 1; j < f.size(); ++j)
            CHECK(stable_name(f[i]) != stable_name(f[j]));
    }
    CHECK(stable_name(tmp_leak("/tmp/leak-tmp-plugin-8dWSyF")) != stable_name(tmp_leak("/tmp/other-plugin-8dWSyF")));
    // Same label, other leak: the id tells them apart.
    Finding p = process_leak(6453, "x");
    Finding q = p;
    q.id = p.id + "#2";
    CHECK(stable_name(p) != stable_name(q));
}

TEST_CASE("the user site is the first frame outside node_modules and node's internals", "[names][groups]") {
    SourceSite s;
    s.site =
        "node_modules/@puppeteer/browsers/lib/esm/launch.js:96 ← "
        "node_modules/puppeteer-core/lib/esm/puppeteer/node/BrowserLauncher.js:73 ← plugins/leak-browser.mjs:5 ← "
        "host.mjs:7";
    CHECK(user_site(s) == "plugins/leak-browser.mjs:5");
    s.user_file = "plugins/leak-browser.mjs";
    s.user_line = 5;
    CHECK(user_site(s) == "plugins/leak-browser.mjs:5");
    // The kit's user frame is only taken when it is one (an old kit picked a wasm frame).
    SourceSite wasm;
    wasm.site = "wasm:/wasm/0002f80e:1";
    wasm.user_file = "wasm:/wasm/0002f80e";
    wasm.user_line = 1;
    CHECK(user_site(wasm) == std::nullopt);
    CHECK(user_site(SourceSite{"node:internal/timers:120 ← node_modules/x/index.js:3", "", {}, "", 0}) == std::nullopt);
    CHECK(user_site(SourceSite{"/srv/app/node_modules/x/i.js:3 ← /srv/app/main.js:12", "", {}, "", 0}) ==
          "/srv/app/main.js:12");
    CHECK(user_site(SourceSite{}) == std::nullopt);
    CHECK(is_user_location("plugins/a.mjs:4"));
    CHECK_FALSE(is_user_location("internal/process/task_queues:95"));
    CHECK_FALSE(is_user_location("/srv/app/node_modules/ws/lib/websocket.js:1105"));
}

// GitHub annotation titles name the kind and the id only: the same in two runs.
TEST_CASE("annotation titles of the same leaks are the same in two runs", "[names][annotations]") {
    auto titles = [](std::vector<Finding> findings) {
        Report r;
        r.findings = std::move(findings);
        std::ostringstream out;
        write_github_annotations(r, out);
        std::string text = out.str(), all;
        for (std::size_t at = text.find("title="); at != std::string::npos; at = text.find("title=", at + 1))
            all += text.substr(at, text.find("::", at) - at) + "\n";
        return all;
    };
    std::string one = titles(kit_run(6142, 33191, 6160, "scHcCx"));
    INFO(one);
    CHECK(one == titles(kit_run(9001, 41234, 9017, "Ab12Yz")));
    CHECK(one.find("6142") == std::string::npos);
    CHECK(one.find("33191") == std::string::npos);
}
