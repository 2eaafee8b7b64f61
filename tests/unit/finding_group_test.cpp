// One forgotten cleanup, one heading: findings whose creation stacks leave the user's
// code at the same line are grouped under it in the text report, carry it as `group` in
// JSON, and the summary says from how many sites they come; counts and the exit code
// are what they were.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/finding_group.hpp"
#include "core/report.hpp"
#include "core/report_json.hpp"
#include "core/report_text.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

const std::string k_call = "plugins/leak-browser.mjs:5";

SourceSite below_call(const std::string& library_frame) {
    SourceSite s;
    s.site = library_frame + " ← " + k_call + " ← host.mjs:7";
    s.user_file = "plugins/leak-browser.mjs";
    s.user_line = 5;
    return s;
}

Finding listener(const std::string& event, const std::string& id) {
    Finding f = finding(Kind::listener, Severity::error, id,
                        "process listener for '" + event + "' still attached when its process exited");
    f.attribution = Attribution::node_kit;
    f.hint = "remove the listener in onStop() (process.off('" + event + "', handler))";
    f.listener = Listener{"process", event, 1, below_call("node_modules/@puppeteer/browsers/lib/esm/launch.js:96")};
    return f;
}

// The puppeteer case, cut down: the browser process (its spawn recorded), its websocket,
// two process listeners from launch.js, the profile folder (no site), and an interval
// from another plugin.
Report browser_report() {
    Report r;
    r.harness.started = true;
    r.harness.exit_code = 0;
    r.harness.pid = 6026;
    r.command = {"node", "--test"};
    Finding p = finding(Kind::process, Severity::error, "process:7c8eafcf",
                        "process 6160 (chromium) is still running after the harness exited");
    p.attribution = Attribution::descendant;
    p.process = proc(6160, 30, 6142, {"chromium", "--headless"});
    p.parent_in_run = 6142;
    p.handle = Handle{"ProcessWrap", "child pid 6160: chromium --headless", true, 1,
                      below_call("node_modules/@puppeteer/browsers/lib/esm/launch.js:166")};
    p.hint = "kill the browser";
    Finding ws = finding(Kind::handle, Severity::error, "handle:60faa1c5",
                         "socket 127.0.0.1:38244 -> 127.0.0.1:44637 (TCPWRAP) still alive when its process exited");
    ws.attribution = Attribution::node_kit;
    ws.hint = "end or destroy the socket";
    ws.handle = Handle{"TCPWRAP", "socket 127.0.0.1:38244 -> 127.0.0.1:44637", true, 1,
                       below_call("node_modules/ws/lib/websocket.js:1105")};
    Finding t = finding(Kind::tmp, Severity::error, "tmp:442676eb",
                        "temp folder /tmp/puppeteer_dev_chrome_profile-scHcCx left behind (203 entries, 2.5 MiB)");
    t.attribution = Attribution::creator_pid;
    t.tmp = tmp_entry("/tmp/puppeteer_dev_chrome_profile-scHcCx", EntryType::dir, 7);
    Finding other = finding(Kind::handle, Severity::error, "handle:16a296fe",
                            "setInterval 1000ms (Timeout) still alive when its process exited");
    other.attribution = Attribution::node_kit;
    other.handle = Handle{"Timeout", "setInterval 1000ms", true, 1, SourceSite{}};
    other.handle->where.site = "plugins/leak-interval.mjs:4 ← host.mjs:7";
    r.findings = {p, ws, listener("exit", "listener:1713e2f4"), t, listener("SIGINT", "listener:12c44d23"), other};
    r.exit_code = decide_exit_code(r);
    return r;
}

std::vector<const Finding*> pointers(const Report& r) {
    std::vector<const Finding*> out;
    for (const Finding& f : r.findings)
        out.push_back(&f);
    return out;
}

std::string text_of(const Report& r) {
    std::ostringstream out;
    write_report_text(r, 0, Color::off, Verbosity::normal, out);
    return out.str();
}

}  // namespace

TEST_CASE("groups: findings below one call of the user's code are one group, in report order", "[groups]") {
    Report r = browser_report();
    std::vector<FindingGroup> groups = group_by_user_site(pointers(r));
    REQUIRE(groups.size() == 1);  // the interval's site is its own: a group of one is none
    CHECK(groups[0].site == k_call);
    CHECK(groups[0].members == std::vector<std::size_t>{0, 1, 2, 4});
    CHECK(user_site(r.findings[3]) == std::nullopt);  // the temp folder has no site
    CHECK(user_site(r.findings[5]) == "plugins/leak-interval.mjs:4");
    CHECK(site_count(pointers(r)) == 3);  // the call, the folder, the interval
}

TEST_CASE("groups: no site, no group: a process nothing recorded is ungrouped", "[groups]") {
    Finding a = finding(Kind::process, Severity::error);
    a.process = proc(300, 30, 100, {"sleep", "300"});
    Finding b = a;
    std::vector<const Finding*> both{&a, &b};
    CHECK(group_by_user_site(both).empty());
    CHECK(site_count(both) == 2);
}

TEST_CASE("text report: one heading for one call, the summary says from how many sites", "[groups][text]") {
    Report r = browser_report();
    std::string text = text_of(r);
    INFO(text);
    CHECK(text.find(k_call + " — 4 leaks from one call\n") != std::string::npos);
    CHECK(text.find("  [error] process  6160 chromium, in the leaked processes above  process:7c8eafcf\n") !=
          std::string::npos);
    CHECK(text.find("  [error] listener  process listener for 'exit' still attached when its process exited  "
                    "listener:1713e2f4\n     via node_modules/@puppeteer/browsers/lib/esm/launch.js:96\n") !=
          std::string::npos);
    CHECK(text.find("     via node_modules/ws/lib/websocket.js:1105\n") != std::string::npos);
    // The group comes where its first flat member was; the folder and the interval print as before.
    std::size_t heading = text.find(k_call + " — ");
    CHECK(heading < text.find("[error] tmp  temp folder"));
    CHECK(text.find("[error] handle  setInterval 1000ms") != std::string::npos);
    CHECK(text.find("   at plugins/leak-interval.mjs:4") != std::string::npos);
    // The tree still has the process.
    CHECK(text.find("└─ 6160 chromium") != std::string::npos);
    // Counts and exit code are unchanged; the summary adds the sites.
    CHECK(text.find("leakaudit: 6 errors, 0 warnings, 0 info, 0 ignored · from 3 sites · harness exited 0") !=
          std::string::npos);
    CHECK(r.exit_code == ExitCode::leaks);
}

TEST_CASE("text report: without shared sites, nothing changes", "[groups][text]") {
    Report r = browser_report();
    r.findings.erase(r.findings.begin(), r.findings.begin() + 3);  // one listener left below the call
    std::string text = text_of(r);
    INFO(text);
    CHECK(text.find("leaks from one call") == std::string::npos);
    CHECK(text.find("from 3 sites") == std::string::npos);
    CHECK(text.find(" sites ·") == std::string::npos);
    CHECK(text.find("[error] listener  process listener for 'SIGINT'") != std::string::npos);
}

TEST_CASE("JSON: each finding with a user site carries it as its group", "[groups][json]") {
    Report r = browser_report();
    auto j = report_to_json(r);
    const auto& f = j["findings"];
    CHECK(f[0]["group"] == k_call);  // the process, by its recorded spawn
    CHECK(f[1]["group"] == k_call);
    CHECK(f[2]["group"] == k_call);
    CHECK_FALSE(f[3].contains("group"));                    // the temp folder
    CHECK(f[5]["group"] == "plugins/leak-interval.mjs:4");  // a group of one still says its site
    CHECK(j["summary"]["error"] == 6);
}

TEST_CASE("groups: a temp folder made below the same call joins its group, saying which child made it",
          "[groups][tmp-sites]") {
    Report r = browser_report();
    Finding& folder = r.findings[3];
    folder.made_at = TmpSite{below_call("node_modules/@puppeteer/browsers/lib/esm/launch.js:166"), 6160, "chromium",
                             std::nullopt, ""};
    std::vector<FindingGroup> groups = group_by_user_site(pointers(r));
    REQUIRE(groups.size() == 1);
    CHECK(groups[0].members == std::vector<std::size_t>{0, 1, 2, 3, 4});
    CHECK(site_count(pointers(r)) == 2);  // the call and the interval
    std::string text = text_of(r);
    INFO(text);
    CHECK(text.find(k_call + " — 5 leaks from one call\n") != std::string::npos);
    CHECK(text.find("  [error] tmp  temp folder /tmp/puppeteer_dev_chrome_profile-scHcCx left behind (203 entries, "
                    "2.5 MiB)  tmp:442676eb\n     via node_modules/@puppeteer/browsers/lib/esm/launch.js:166\n     "
                    "created by child 6160 (chromium)") != std::string::npos);
    CHECK(report_to_json(r)["findings"][3]["group"] == k_call);
}
