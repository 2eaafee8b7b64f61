// The Node kit's creation records end to end (README "Node kit"): a temp folder a plugin
// leaks names the plugin's file and line, and one a spawned child's process made names
// that spawn; a folder the plugin removes is no finding.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;

namespace {

Audit audit(const TempDir& dir, const std::string& plugin, std::vector<std::string> options = {}) {
    options.insert(options.end(), {"--grace", "300ms", "--timeout", "20s", "--watch", "/tmp"});
    auto r = run_process(run_args(dir, options, {"node", k_examples + "/harness-plain.mjs", plugin}), dir.path(),
                         std::chrono::seconds(90));
    return {r, read_report(dir)};
}

std::string example(const std::string& name) {
    return k_examples + "/plugins/" + name + ".mjs";
}

// Removes the temp entries the run's findings name: this test's run created them.
void remove_found(const nlohmann::json& report) {
    for (const auto& f : findings_of(report, "tmp")) {
        std::error_code ec;
        std::filesystem::remove_all(f["path"].get<std::string>(), ec);
    }
}

}  // namespace

TEST_CASE("node kit: a leaked mkdtemp folder names the plugin's file and line", "[e2e][node-kit][tmp-sites]") {
    TempDir dir("nk-tmp-site");
    std::string junit = dir.path() + "/junit.xml";
    Audit a = audit(dir, example("leak-tmpdir"), {"--junit", junit});
    INFO(a.result.out << a.result.err);
    remove_found(a.report);
    CHECK(a.result.exit_code == 1);
    std::vector<nlohmann::json> tmp = findings_of(a.report, "tmp");
    REQUIRE(tmp.size() == 1);
    const nlohmann::json& f = tmp[0];
    CHECK(f["attribution"] == "creator-pid");
    // The harness runs in the test's folder: the site's path is absolute.
    CHECK(f.value("site", "").find(k_examples + "/plugins/leak-tmpdir.mjs:14 ") == 0);
    REQUIRE(f.contains("stack"));
    CHECK(f["stack"][0]["file"] == k_examples + "/plugins/leak-tmpdir.mjs");
    CHECK(f["stack"][0]["line"] == 14);
    CHECK_FALSE(f.contains("created_by"));
    // The text report says it under the finding, the JUnit case too.
    CHECK(a.result.out.find("\n   at " + k_examples + "/plugins/leak-tmpdir.mjs:14 ") != std::string::npos);
    CHECK(read_file(junit).find("site: " + k_examples + "/plugins/leak-tmpdir.mjs:14") != std::string::npos);
}

TEST_CASE("node kit: a temp folder a spawned child's process made names the spawn", "[e2e][node-kit][tmp-sites]") {
    TempDir dir("nk-tmp-child");
    Audit a = audit(dir, example("leak-tmp-child"));
    INFO(a.result.out << a.result.err);
    remove_found(a.report);
    CHECK(a.result.exit_code == 1);
    std::vector<nlohmann::json> tmp = findings_of(a.report, "tmp");
    REQUIRE(tmp.size() == 1);
    const nlohmann::json& f = tmp[0];
    CHECK(f["path"].get<std::string>().starts_with("/tmp/plugin-helper-"));
    CHECK(f.value("site", "").find(k_examples + "/plugins/leak-tmp-child.mjs:14 ") == 0);
    REQUIRE(f.contains("created_by"));
    CHECK(f["created_by"]["child_name"] == "sh");
    // mktemp, a child of the spawned shell, made it.
    CHECK(f["created_by"]["pid"] != f["created_by"]["child_pid"]);
    std::string by = f["created_by"]["text"];
    CHECK(by.find("a descendant of child " + std::to_string(f["created_by"]["child_pid"].get<int>()) + " (sh)") !=
          std::string::npos);
    // The helper and its folder come from one call: one heading, the folder says who made it.
    CHECK(a.result.out.find(k_examples + "/plugins/leak-tmp-child.mjs:14 — 2 leaks from one call\n") !=
          std::string::npos);
    CHECK(a.result.out.find("\n     " + by + "\n") != std::string::npos);
    // The helper itself is the process finding, reaped, in the folder's group.
    std::vector<nlohmann::json> helper = findings_of(a.report, "process");
    REQUIRE(helper.size() == 1);
    CHECK(helper[0].value("group", "") == f.value("group", "-"));
}

TEST_CASE("node kit: a folder the plugin made and removed is no finding", "[e2e][node-kit][tmp-sites]") {
    TempDir dir("nk-tmp-clean");
    std::string plugin = dir.path() + "/made-and-removed.mjs";
    std::ofstream(plugin)
        << "import fs from 'node:fs/promises';\n"
           "import os from 'node:os';\n"
           "import path from 'node:path';\n"
           "let dir;\n"
           "export async function onStart() { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nk-clean-')); }\n"
           "export async function onStop() { await fs.rm(dir, { recursive: true }); }\n";
    Audit a = audit(dir, plugin);
    INFO(a.result.out << a.result.err);
    remove_found(a.report);
    CHECK(a.result.exit_code == 0);
    CHECK(findings_of(a.report, "tmp").empty());
    CHECK(a.report["findings"].empty());
}

TEST_CASE("node kit: a folder made under a custom --watch folder names the plugin's file and line",
          "[e2e][node-kit][tmp-sites]") {
    // Outside /tmp, /var/tmp, /dev/shm and os.tmpdir(): only the run's --watch list, passed
    // to the kit as LEAKAUDIT_KIT_TEMP, makes the kit record it.
    TempDir dir("nk-tmp-watch", std::filesystem::current_path().string());
    std::string scratch = dir.path() + "/scratch";
    std::filesystem::create_directory(scratch);
    std::string plugin = dir.path() + "/made-in-scratch.mjs";
    std::ofstream(plugin) << "import fs from 'node:fs';\n"
                             "export async function onStart() { fs.mkdtempSync('"
                          << scratch << "/made-'); }\n";
    std::vector<std::string> options{"--grace", "300ms", "--timeout", "20s", "--watch", scratch};
    auto r = run_process(run_args(dir, options, {"node", k_examples + "/harness-plain.mjs", plugin}), dir.path(),
                         std::chrono::seconds(90));
    Audit a{r, read_report(dir)};
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 1);
    std::vector<nlohmann::json> tmp = findings_of(a.report, "tmp");
    REQUIRE(tmp.size() == 1);
    const nlohmann::json& f = tmp[0];
    CHECK(f["path"].get<std::string>().starts_with(scratch + "/made-"));
    CHECK(f.value("site", "").find("made-in-scratch.mjs:2") != std::string::npos);
    REQUIRE(f.contains("stack"));
    CHECK(f["stack"][0]["file"].get<std::string>().ends_with("made-in-scratch.mjs"));
    CHECK(f["stack"][0]["line"] == 2);
}
