// The Node kit's records on plain JSON lines (kits/node/PROTOCOL.md): what counts, what
// the findings say, their severities and ids, and the hang's "kept alive by" line.
#include <catch2/catch.hpp>

#include "core/node_kit.hpp"
#include "core/node_kit_findings.hpp"

using namespace leakaudit;

namespace {

const std::string k_token = "0123456789abcdef";

std::string hello(int pid = 4242) {
    return R"({"type":"hello","token":")" + k_token + R"(","pid":)" + std::to_string(pid) +
           R"(,"ppid":1,"argv":["node","harness.mjs"],"node":"v20.20.2","cwd":"/home/u/plugin","loaded_at_ms":1764450000000})"
           "\n";
}

std::string interval_report(const std::string& reason = "stopped", int port = 34445, bool ref = true) {
    return R"({"type":"report","pid":4242,"reason":")" + reason +
           R"(","window":"started","at_ms":1764450001234,"handles":[)"
           R"({"type":"Timeout","ref":)" +
           std::string(ref ? "true" : "false") +
           R"(,"count":1,"detail":"setInterval 60000ms","site":"src/plugin.mjs:41","package":null,)"
           R"("stack":[{"file":"/home/u/plugin/src/plugin.mjs","line":41,"column":17,"function":"onStart","package":null}]},)"
           R"({"type":"TCPServerWrap","ref":true,"count":1,"detail":"127.0.0.1:)" +
           std::to_string(port) +
           R"(","site":"node_modules/fastify/lib/server.js:30 ← src/plugin.mjs:30","package":"fastify",)"
           R"("stack":[{"file":"/home/u/plugin/node_modules/fastify/lib/server.js","line":30,"column":5,"function":"listen","package":"fastify"},)"
           R"({"file":"/home/u/plugin/src/plugin.mjs","line":30,"column":9,"function":"onStart","package":null}]}],)"
           R"("listeners":[{"emitter":"process","event":"SIGTERM","count":1,"site":"src/plugin.mjs:52","package":null,)"
           R"("stack":[{"file":"/home/u/plugin/src/plugin.mjs","line":52,"column":11,"function":"onStart","package":null}]},)"
           R"({"emitter":"Host","event":"request","count":2,"site":"src/plugin.mjs:60","package":null,"stack":[]}]})"
           "\n";
}

KitProcess process_of(const std::string& text) {
    KitFile file = parse_kit_file(text, k_token);
    REQUIRE(file.hello);
    REQUIRE(file.last_report);
    return {*file.hello, *file.last_report, true};
}

const Finding& find(const std::vector<Finding>& findings, const std::string& needle) {
    for (const Finding& f : findings) {
        if (f.message.find(needle) != std::string::npos) return f;
    }
    FAIL("no finding mentions " << needle);
    return findings.front();
}

}  // namespace

TEST_CASE("node kit: a file is read only when its first line is a hello with the run's token", "[node-kit]") {
    CHECK(parse_kit_file(hello() + interval_report(), k_token).last_report);
    KitFile stray = parse_kit_file(hello() + interval_report(), "ffffffffffffffff");
    CHECK_FALSE(stray.hello);
    CHECK_FALSE(stray.last_report);
    CHECK_FALSE(parse_kit_file(interval_report() + hello(), k_token).hello);
    CHECK_FALSE(parse_kit_file(hello(), "").hello);  // no token, nothing is ours
}

TEST_CASE("node kit: the last complete report counts, a half-written line and junk do not", "[node-kit]") {
    std::string text = hello() + interval_report("stopped") + "not json\n" + interval_report("dump", 40000) +
                       R"({"type":"report","reason":"exit","handles":[)";  // died mid-write
    KitFile file = parse_kit_file(text, k_token);
    REQUIRE(file.last_report);
    CHECK(file.reports == 2);
    CHECK(file.last_report->reason == KitReason::dump);
    CHECK(file.last_report->handles[1].detail == "127.0.0.1:40000");
    REQUIRE(file.problems.size() == 1);
    CHECK(file.problems[0] == "line 3: not a JSON object");
}

TEST_CASE("node kit: frames, packages and the first user frame are read", "[node-kit]") {
    KitProcess p = process_of(hello() + interval_report());
    const Handle& server = p.report.handles[1];
    CHECK(server.type == "TCPServerWrap");
    CHECK(server.where.package == "fastify");
    REQUIRE(server.where.stack.size() == 2);
    CHECK(server.where.stack[0].package == "fastify");
    CHECK(server.where.stack[1].column == 9);
    CHECK(server.where.user_file == "src/plugin.mjs");  // relative to the process's cwd
    CHECK(server.where.user_line == 30);
    CHECK(p.report.listeners[1].count == 2);
}

TEST_CASE("node kit: ref'd handles are errors, unref'd ones warnings, listeners by emitter and event", "[node-kit]") {
    std::vector<Finding> f = kit_findings({process_of(hello() + interval_report())});
    REQUIRE(f.size() == 4);
    const Finding& timer = find(f, "setInterval 60000ms");
    CHECK(timer.kind == Kind::handle);
    CHECK(timer.natural_severity == Severity::error);
    CHECK(timer.message == "setInterval 60000ms (Timeout) still alive after the plugin stopped");
    CHECK(timer.hint.find("clearInterval") != std::string::npos);
    const Finding& sigterm = find(f, "'SIGTERM'");
    CHECK(sigterm.kind == Kind::listener);
    CHECK(sigterm.natural_severity == Severity::error);
    CHECK(sigterm.hint.find("process.off('SIGTERM'") != std::string::npos);
    CHECK(sigterm.hint.find("release this handle") == std::string::npos);
    const Finding& host = find(f, "Host listener");
    CHECK(host.natural_severity == Severity::warning);
    CHECK(host.message == "Host listener for 'request' ×2 still attached after the plugin stopped");

    std::vector<Finding> unref = kit_findings({process_of(hello() + interval_report("stopped", 1, false))});
    CHECK(find(unref, "setInterval").natural_severity == Severity::warning);
    CHECK(find(unref, "setInterval").message.find("unref'd") != std::string::npos);
}

TEST_CASE("node kit: process exit and signal events are the lifetime events", "[node-kit]") {
    for (const char* event : {"exit", "beforeExit", "SIGTERM", "SIGINT", "uncaughtException", "unhandledRejection"})
        CHECK(is_process_lifetime_event("process", event));
    CHECK_FALSE(is_process_lifetime_event("process", "warning"));
    CHECK_FALSE(is_process_lifetime_event("EventEmitter", "exit"));
}

TEST_CASE("node kit: ids hash type and site, not ports or pids, so reruns match", "[node-kit][ids]") {
    std::vector<Finding> a = kit_findings({process_of(hello(4242) + interval_report("stopped", 34445))});
    std::vector<Finding> b = kit_findings({process_of(hello(4242) + interval_report("dump", 41001))});
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i)
        CHECK(a[i].id == b[i].id);
    CHECK(a[0].id != a[1].id);
    CHECK(a[0].id.starts_with("handle:"));
    CHECK(a[2].id.starts_with("listener:"));
}

TEST_CASE("node kit: a hung harness is kept alive by its ref'd handles, with their sites", "[node-kit]") {
    std::vector<std::string> alive = kept_alive_by({process_of(hello() + interval_report("dump"))});
    REQUIRE(alive.size() == 2);
    CHECK(alive[0] == "setInterval 60000ms at src/plugin.mjs:41");
    CHECK(alive[1] == "server 127.0.0.1:34445 at src/plugin.mjs:30");
    CHECK(kept_alive_by({process_of(hello() + interval_report("dump", 1, false))}).size() == 1);
}

TEST_CASE("node kit: a test runner's worker is named in the message", "[node-kit]") {
    KitProcess p = process_of(hello() + interval_report("exit"));
    p.is_harness = false;
    p.hello.argv = {"node", "test/plugin.test.mjs"};
    std::vector<Finding> f = kit_findings({p});
    CHECK(f[0].message ==
          "setInterval 60000ms (Timeout) still alive when its process exited in Node process 4242 "
          "(test/plugin.test.mjs)");
}

TEST_CASE("node kit: a file counts only when its process is provably the run's", "[node-kit]") {
    KitHello h;
    h.pid = 77;
    h.loaded_at_ms = 10'000;
    std::int64_t run_start = 9'000;
    CHECK(kit_file_counts(h, KitOrigin{std::nullopt, true, false, false}, run_start));  // the harness
    CHECK(kit_file_counts(h, KitOrigin{9'500, false, false, false}, run_start));        // alive, started in the run
    CHECK_FALSE(kit_file_counts(h, KitOrigin{1'000, false, false, false}, run_start));  // a reused pid: older
    CHECK_FALSE(kit_file_counts(h, KitOrigin{std::nullopt, false, true, false}, run_start));
    CHECK(kit_file_counts(h, KitOrigin{std::nullopt, false, true, true}, run_start));
}

TEST_CASE("node kit: wanted for Node launchers by default, --node/--no-node win", "[node-kit]") {
    CHECK(node_kit_wanted({"node", "harness.mjs"}, std::nullopt));
    CHECK(node_kit_wanted({"/usr/bin/npx", "vitest"}, std::nullopt));
    for (const char* launcher : {"nodejs", "npm", "pnpm", "yarn"})
        CHECK(node_kit_wanted({launcher}, std::nullopt));
    CHECK_FALSE(node_kit_wanted({"sh", "-c", "node x"}, std::nullopt));
    CHECK(node_kit_wanted({"sh", "run.sh"}, true));
    CHECK_FALSE(node_kit_wanted({"node", "x.mjs"}, false));
    CHECK_FALSE(node_kit_wanted({"nodes"}, std::nullopt));
}

TEST_CASE("node kit: NODE_OPTIONS gains the preload first and keeps the user's", "[node-kit]") {
    CHECK(node_options_with_kit("", "/usr/share/leakaudit/node/preload.cjs") ==
          R"(--require "/usr/share/leakaudit/node/preload.cjs")");
    CHECK(node_options_with_kit("--max-old-space-size=512", "/k/preload.cjs") ==
          R"(--require "/k/preload.cjs" --max-old-space-size=512)");
    CHECK(node_options_with_kit(" ", R"(/a b/"q"/preload.cjs)") == R"(--require "/a b/\"q\"/preload.cjs")");
}

TEST_CASE("node kit: the run's watched folders reach the kit, ':'-separated", "[node-kit]") {
    CHECK(kit_temp_environment({"/tmp", "/dev/shm", "/work/scratch"}) ==
          "LEAKAUDIT_KIT_TEMP=/tmp:/dev/shm:/work/scratch");
    // A ':' cannot be spelled in the list: that folder is left out, the others stay.
    CHECK(kit_temp_environment({"/a:b", "/tmp", ""}) == "LEAKAUDIT_KIT_TEMP=/tmp");
    CHECK(kit_temp_environment({}) == "LEAKAUDIT_KIT_TEMP=");
}

// puppeteer's leaked Chromium: the kit's detail is the whole command line (~1,000
// characters); the messages show its start, the JSON keeps it whole.
TEST_CASE("node kit: a child's long command line is cut in messages, whole in the handle", "[node-kit]") {
    std::string args;
    for (int i = 0; i < 60; ++i)
        args += " --disable-feature-number-" + std::to_string(i);
    std::string detail = "child pid 6326: /usr/bin/chromium" + args;
    std::string text = hello() +
                       R"({"type":"report","pid":4242,"reason":"dump","window":"load","at_ms":1764450001234,)"
                       R"("handles":[{"type":"ProcessWrap","ref":true,"count":1,"detail":")" +
                       detail +
                       R"(","site":"plugins/leak-browser.mjs:5","package":null,"stack":[]}],"listeners":[]})"
                       "\n";
    KitProcess p = process_of(text);
    std::vector<std::string> alive = kept_alive_by({p});
    REQUIRE(alive.size() == 1);
    CHECK_THAT(alive[0], Catch::StartsWith("child pid 6326: /usr/bin/chromium --disable-feature-number-0"));
    CHECK_THAT(alive[0], Catch::EndsWith("… at plugins/leak-browser.mjs:5"));
    CHECK(alive[0].size() < 200);
    std::vector<Finding> findings = kit_findings({p});
    const Finding& f = find(findings, "child pid 6326");
    CHECK(f.message.size() < 250);
    CHECK_THAT(f.message, Catch::Contains("… (ProcessWrap) still alive"));
    REQUIRE(f.handle);
    CHECK(f.handle->detail == detail);
}
