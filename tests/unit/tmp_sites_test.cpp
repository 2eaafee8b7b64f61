// Where a leaked temp entry was made: the Node kit's creation records joined with the
// temp findings (core/tmp_sites.hpp), and the records parsed from a kit file.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/node_kit.hpp"
#include "core/report.hpp"
#include "core/report_annotations.hpp"
#include "core/report_html.hpp"
#include "core/report_json.hpp"
#include "core/report_junit.hpp"
#include "core/report_text.hpp"
#include "core/tmp_sites.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

constexpr std::int64_t k_boot_ms = 1'764'450'000'000;
// Start ticks (100 per second) of a process that started `ms` after boot.
constexpr std::uint64_t ticks_at(std::int64_t ms) {
    return static_cast<std::uint64_t>(ms / 10);
}

SourceSite site(const std::string& text) {
    std::string file = text.substr(0, text.find(':'));
    int line = std::stoi(text.substr(text.find(':') + 1));
    SourceSite s;
    s.site = text;
    s.stack = {{"/home/u/p/" + file, line, 3, "onStart", ""}};
    s.user_file = file;
    s.user_line = line;
    return s;
}

Finding tmp_finding(const std::string& path) {
    Finding f = finding(Kind::tmp, Severity::error);
    f.tmp = tmp_entry(path, EntryType::dir, 11);
    f.attribution = Attribution::creator_pid;
    return f;
}

KitTmpRecord made(const std::string& path, const std::string& where = "plugins/leak-tmp.mjs:7") {
    return {4242, path, "fs.promises.mkdtemp", k_boot_ms + 5'000, site(where)};
}

// A child the kit saw spawned `spawned_ms` after boot.
KitChildRecord child(int pid, const std::string& file, std::int64_t spawned_ms = 5'000,
                     const std::string& where = "plugins/leak-browser.mjs:5") {
    return {4242, pid, file, k_boot_ms + spawned_ms, site(where)};
}

TmpSiteInput input() {
    TmpSiteInput in;
    in.kit_pids = {4242};
    in.boot_ms = k_boot_ms;
    in.ticks_per_second = 100;
    return in;
}

std::vector<Finding> joined(const TmpSiteInput& in, const std::string& path) {
    std::vector<Finding> findings{tmp_finding(path)};
    add_tmp_sites(findings, in);
    return findings;
}

}  // namespace

TEST_CASE("tmp sites: the kit's record of the exact path gives the finding its site", "[tmp-sites]") {
    TmpSiteInput in = input();
    in.made = {made("/tmp/leak-tmp-plugin-WAt5aD")};
    std::vector<Finding> f = joined(in, "/tmp/leak-tmp-plugin-WAt5aD");
    REQUIRE(f[0].made_at);
    CHECK(f[0].made_at->where.site == "plugins/leak-tmp.mjs:7");
    CHECK(f[0].made_at->where.user_file == "plugins/leak-tmp.mjs");
    CHECK_FALSE(f[0].made_at->child_pid);
    CHECK(made_by_text(*f[0].made_at).empty());
}

TEST_CASE("tmp sites: an entry inside a recorded folder takes the folder's site", "[tmp-sites]") {
    TmpSiteInput in = input();
    in.made = {made("/tmp/outer", "plugins/a.mjs:3"), made("/tmp/outer/inner", "plugins/b.mjs:9")};
    CHECK(joined(in, "/tmp/outer/inner/cache.json")[0].made_at->where.site == "plugins/b.mjs:9");
    CHECK(joined(in, "/tmp/outer/other")[0].made_at->where.site == "plugins/a.mjs:3");
    // A folder whose name only starts with the recorded one's is not inside it.
    CHECK_FALSE(joined(in, "/tmp/outer-2")[0].made_at);
}

TEST_CASE("tmp sites: no record, or a record of another path, gives no site", "[tmp-sites]") {
    TmpSiteInput in = input();
    CHECK_FALSE(joined(in, "/tmp/leak-tmp-plugin-WAt5aD")[0].made_at);
    in.made = {made("/tmp/leak-tmp-plugin-other")};
    CHECK_FALSE(joined(in, "/tmp/leak-tmp-plugin-WAt5aD")[0].made_at);
    // A record of a folder inside the finding does not explain the finding.
    in.made = {made("/tmp/shared/mine")};
    CHECK_FALSE(joined(in, "/tmp/shared")[0].made_at);
}

TEST_CASE("tmp sites: records alone make no finding", "[tmp-sites]") {
    TmpSiteInput in = input();
    in.made = {made("/tmp/leak-tmp-plugin-WAt5aD")};
    in.children = {child(4300, "sh")};
    std::vector<Finding> findings;
    add_tmp_sites(findings, in);
    CHECK(findings.empty());
    // Only tmp findings take a site.
    findings.push_back(finding(Kind::process, Severity::error));
    add_tmp_sites(findings, in);
    CHECK_FALSE(findings[0].made_at);
}

TEST_CASE("tmp sites: a folder a recorded child created takes the child's spawn site", "[tmp-sites]") {
    TmpSiteInput in = input();
    in.children = {child(4300, "chromium")};
    in.creators["/tmp/org.chromium.Chromium.abc"] = {4300, ticks_at(4'990)};
    Snapshot after =
        snapshot({proc(4242, ticks_at(1'000), 1, {"node"}), proc(4300, ticks_at(4'990), 4242, {"chromium"})});
    in.after = &after;
    std::vector<Finding> f = joined(in, "/tmp/org.chromium.Chromium.abc");
    REQUIRE(f[0].made_at);
    CHECK(f[0].made_at->where.site == "plugins/leak-browser.mjs:5");
    CHECK(f[0].made_at->child_pid == 4300);
    CHECK_FALSE(f[0].made_at->creator_pid);
    CHECK(made_by_text(*f[0].made_at) == "created by child 4300 (chromium), spawned there");
    // An entry inside it whose own creation the watch also saw: the same.
    in.creators["/tmp/org.chromium.Chromium.abc/SingletonLock"] = {4300, ticks_at(4'990)};
    CHECK(joined(in, "/tmp/org.chromium.Chromium.abc/SingletonLock")[0].made_at->child_pid == 4300);
}

TEST_CASE("tmp sites: a grandchild of a recorded child, alive or gone, gives the child's site", "[tmp-sites]") {
    TmpSiteInput in = input();
    in.children = {child(4300, "sh")};
    Snapshot after = snapshot({proc(4242, ticks_at(1'000), 1, {"node"}), proc(4300, ticks_at(4'990), 4242, {"sh"}),
                               proc(4301, ticks_at(5'100), 4300, {"mktemp"})});
    in.after = &after;
    SECTION("alive: the process table's parent links") {
        in.creators["/tmp/tmp.X1"] = {4301, ticks_at(5'100)};
        std::vector<Finding> f = joined(in, "/tmp/tmp.X1");
        REQUIRE(f[0].made_at);
        CHECK(f[0].made_at->child_pid == 4300);
        CHECK(f[0].made_at->creator_pid == 4301);
        CHECK(made_by_text(*f[0].made_at) == "created by 4301 (mktemp), a descendant of child 4300 (sh) spawned there");
    }
    SECTION("gone: the fork history") {
        after.processes.pop_back();
        ForkHistory forks;
        forks.available = true;
        forks.forked_by = {{4300, 4242}, {4301, 4300}, {4302, 4301}};
        in.forks = &forks;
        in.creators["/tmp/tmp.X1"] = {4302, 0};
        std::vector<Finding> f = joined(in, "/tmp/tmp.X1");
        REQUIRE(f[0].made_at);
        CHECK(f[0].made_at->child_pid == 4300);
        CHECK(made_by_text(*f[0].made_at) == "created by pid 4302, a descendant of child 4300 (sh) spawned there");
        // A pid the run shared with another process is no link.
        forks.ambiguous = {4301};
        CHECK_FALSE(joined(in, "/tmp/tmp.X1")[0].made_at);
    }
}

TEST_CASE("tmp sites: the nearest recorded child wins", "[tmp-sites]") {
    TmpSiteInput in = input();
    in.children = {child(4300, "sh", 5'000, "plugins/outer.mjs:5"),
                   child(4310, "helper", 6'000, "plugins/inner.mjs:8")};
    in.kit_pids = {4242};
    Snapshot after =
        snapshot({proc(4242, ticks_at(1'000), 1, {"node"}), proc(4300, ticks_at(4'990), 4242, {"sh"}),
                  proc(4310, ticks_at(5'990), 4300, {"helper"}), proc(4311, ticks_at(6'100), 4310, {"mktemp"})});
    in.after = &after;
    in.creators["/tmp/t"] = {4311, ticks_at(6'100)};
    CHECK(joined(in, "/tmp/t")[0].made_at->where.site == "plugins/inner.mjs:8");
}

TEST_CASE("tmp sites: a reused pid is not the recorded child", "[tmp-sites]") {
    TmpSiteInput in = input();
    in.children = {child(4300, "sh", 60'000)};
    // pid 4300 now belongs to a process started a minute after the spawn.
    Snapshot after = snapshot({proc(4242, ticks_at(1'000), 1, {"node"}), proc(4300, ticks_at(120'000), 1, {"other"})});
    in.after = &after;
    in.creators["/tmp/t"] = {4300, ticks_at(120'000)};
    CHECK_FALSE(joined(in, "/tmp/t")[0].made_at);
    // ... nor one that started long before it.
    after.processes[1].id.start_ticks = ticks_at(100);
    in.creators["/tmp/t"] = {4300, ticks_at(100)};
    CHECK_FALSE(joined(in, "/tmp/t")[0].made_at);
    // The child itself started just before its spawn returned.
    after.processes[1].id.start_ticks = ticks_at(59'990);
    in.creators["/tmp/t"] = {4300, ticks_at(59'990)};
    CHECK(joined(in, "/tmp/t")[0].made_at);
}

TEST_CASE("tmp sites: a Node process with the kit explains its own creations, not its spawner", "[tmp-sites]") {
    TmpSiteInput in = input();
    // The test runner (4242) spawned a worker (4300) that has the kit itself.
    in.children = {child(4300, "node", 5'000, "node_modules/tinypool/dist/index.js:40")};
    in.kit_pids = {4242, 4300};
    Snapshot after = snapshot({proc(4242, ticks_at(1'000), 1, {"node"}), proc(4300, ticks_at(4'990), 4242, {"node"}),
                               proc(4301, ticks_at(5'100), 4300, {"mktemp"})});
    in.after = &after;
    in.creators["/tmp/by-worker"] = {4300, ticks_at(4'990)};
    CHECK_FALSE(joined(in, "/tmp/by-worker")[0].made_at);
    in.creators["/tmp/by-its-child"] = {4301, ticks_at(5'100)};
    CHECK_FALSE(joined(in, "/tmp/by-its-child")[0].made_at);
}

TEST_CASE("tmp sites: a child record without a site explains nothing", "[tmp-sites]") {
    TmpSiteInput in = input();
    KitChildRecord bare = child(4300, "node");
    bare.where = {};
    in.children = {bare};
    in.creators["/tmp/t"] = {4300, 0};
    CHECK_FALSE(joined(in, "/tmp/t")[0].made_at);
}

TEST_CASE("tmp sites: latest_creators keeps the latest creation of each path", "[tmp-sites]") {
    std::vector<CreatedEntry> created(2);
    created[0].path = "/tmp/a";
    created[0].pid = 10;
    created[1].path = "/tmp/a";
    created[1].pid = 20;
    created[1].start_ticks = 7;
    std::map<std::string, TmpCreator> latest = latest_creators(created);
    CHECK(latest.at("/tmp/a").pid == 20);
    CHECK(latest.at("/tmp/a").start_ticks == 7);
}

TEST_CASE("node kit: tmp and child records are read from a kit file, bounded", "[tmp-sites][node-kit]") {
    std::string text =
        R"({"type":"hello","token":"0123456789abcdef","pid":4242,"ppid":1,"argv":["node"],"node":"v20","cwd":"/home/u/p","loaded_at_ms":1})"
        "\n";
    text +=
        R"({"type":"tmp","pid":4242,"path":"/tmp/leak-1","call":"fs.mkdtempSync","at_ms":5,"site":"plugins/t.mjs:7",)"
        R"("package":null,"stack":[{"file":"/home/u/p/plugins/t.mjs","line":7,"column":3,"function":"f","package":null}]})"
        "\n";
    text += R"({"type":"tmp","pid":4242,"path":"relative/not-a-record","site":"x:1"})"
            "\n";
    text += R"({"type":"child","pid":4242,"child_pid":4300,"file":"sh","at_ms":6,"site":"plugins/c.mjs:5","stack":[]})"
            "\n";
    for (int i = 0; i < 1'100; ++i)
        text += R"({"type":"tmp","pid":4242,"path":"/tmp/many","site":"x:1"})"
                "\n";
    KitFile file = parse_kit_file(text, "0123456789abcdef");
    REQUIRE(file.tmp.size() == 1'000);
    CHECK(file.tmp[0].path == "/tmp/leak-1");
    CHECK(file.tmp[0].call == "fs.mkdtempSync");
    CHECK(file.tmp[0].where.site == "plugins/t.mjs:7");
    CHECK(file.tmp[0].where.user_file == "plugins/t.mjs");
    CHECK(file.tmp[0].where.user_line == 7);
    REQUIRE(file.children.size() == 1);
    CHECK(file.children[0].pid == 4300);
    CHECK(file.children[0].parent_pid == 4242);
    CHECK(file.children[0].file == "sh");
    CHECK(file.problems.empty());
    CHECK_FALSE(file.last_report);
}

TEST_CASE("tmp sites: every report format shows the site and who made the entry", "[tmp-sites][report]") {
    Report r;
    Finding direct = tmp_finding("/tmp/leak-tmp-plugin-WAt5aD");
    direct.id = "tmp:e9f46665";
    direct.message = "temp folder /tmp/leak-tmp-plugin-WAt5aD left behind";
    direct.made_at = TmpSite{site("plugins/leak-tmp.mjs:7"), std::nullopt, {}, std::nullopt, {}};
    Finding by_child = tmp_finding("/tmp/tmp.X1");
    by_child.id = "tmp:0000aaaa";
    by_child.message = "temp folder /tmp/tmp.X1 left behind";
    by_child.made_at = TmpSite{site("plugins/leak-browser.mjs:5"), 4300, "sh", 4301, "mktemp"};
    r.findings = {direct, by_child};
    const std::string by = "created by 4301 (mktemp), a descendant of child 4300 (sh) spawned there";

    std::ostringstream text;
    write_report_text(r, 0, Color::off, Verbosity::normal, text);
    CHECK(text.str().find("   at plugins/leak-tmp.mjs:7\n") != std::string::npos);
    CHECK(text.str().find("   at plugins/leak-browser.mjs:5\n   " + by + "\n") != std::string::npos);

    auto json = finding_to_json(direct);
    CHECK(json["site"] == "plugins/leak-tmp.mjs:7");
    CHECK(json["stack"][0]["line"] == 7);
    CHECK(json["type"] == "dir");  // the entry's type stays
    CHECK_FALSE(json.contains("created_by"));
    auto child_json = finding_to_json(by_child);
    CHECK(child_json["created_by"]["child_pid"] == 4300);
    CHECK(child_json["created_by"]["child_name"] == "sh");
    CHECK(child_json["created_by"]["pid"] == 4301);
    CHECK(child_json["created_by"]["name"] == "mktemp");
    CHECK(child_json["created_by"]["text"] == by);

    std::ostringstream annotations;
    write_github_annotations(r, annotations);
    CHECK(annotations.str().find("file=plugins/leak-tmp.mjs,line=7") != std::string::npos);
    CHECK(annotations.str().find("file=plugins/leak-browser.mjs,line=5") != std::string::npos);

    std::ostringstream junit;
    write_report_junit(r, junit);
    CHECK(junit.str().find("site: plugins/leak-tmp.mjs:7") != std::string::npos);
    CHECK(junit.str().find(by) != std::string::npos);

    std::string html = report_html(r);
    CHECK(html.find("plugins/leak-tmp.mjs:7") != std::string::npos);
    CHECK(html.find(by) != std::string::npos);
}
