// Streaming snapshots end to end: the snapshot pair the old (whole-document) writer
// wrote diffs to the same findings with today's reader, and a streamed snapshot of the
// live machine reads back (diffed with itself: nothing new; one new file: that file).
#include <catch2/catch.hpp>

#include <map>

#include <unistd.h>

#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

const std::string k_fixtures = std::string(LEAKAUDIT_SOURCE_DIR) + "/tests/fixtures/snapshots/";
const std::string k_rules_env = std::string("LEAKAUDIT_RULES_DIR=") + LEAKAUDIT_SOURCE_DIR + "/rules";

}  // namespace

TEST_CASE("the old writer's snapshots diff to the old binary's findings", "[e2e][snapshot][compat]") {
    TempDir dir("snap-compat");
    // make-old-fixture.sh ran the diff with --pid 1 (the namespace's first process).
    auto diff = run_process({k_leakaudit, "diff", "--no-color", "--pid", "1", "--json", dir / "report.json",
                             k_fixtures + "old-before.json", k_fixtures + "old-after.json"},
                            dir.path(), 60s, {k_rules_env});
    CHECK(diff.exit_code == 1);
    nlohmann::json now = read_report(dir);
    nlohmann::json then = nlohmann::json::parse(read_file(k_fixtures + "old-diff.json"));
    REQUIRE(now.is_object());
    // Since the old binary, `diff --pid` keeps only the temp entries PID's tree holds open
    // (README "By hand: snapshot and diff"): those are the old ones, now attributed
    // held-open; every other finding is the old one, byte for byte.
    std::map<std::string, nlohmann::json> old_by_id;
    std::size_t old_not_tmp = 0;
    for (const auto& f : then["findings"]) {
        old_by_id[f["id"]] = f;
        old_not_tmp += f["kind"] != "tmp";
    }
    std::size_t now_not_tmp = 0;
    for (const auto& f : now["findings"]) {
        INFO(f["id"]);
        REQUIRE(old_by_id.count(f["id"]) == 1);
        const nlohmann::json& old = old_by_id[f["id"]];
        if (f["kind"] == "tmp") {
            CHECK(f["attribution"] == "held-open");
            CHECK(f["path"] == old["path"]);
            CHECK(f["message"] == old["message"]);
        } else {
            CHECK(f == old);
            ++now_not_tmp;
        }
    }
    CHECK(now_not_tmp == old_not_tmp);
    CHECK(now["exit_code"] == then["exit_code"]);
    CHECK(now["duration_ms"] == then["duration_ms"]);
}

TEST_CASE("a streamed snapshot reads back: itself is nothing new, a new file is found", "[e2e][snapshot]") {
    TempDir dir("snap-stream");
    std::string w = watch_dir(dir);
    { std::ofstream(w + "/old") << "x"; }
    auto snap = run_process({k_leakaudit, "snapshot", "--watch", w, "-o", dir / "before.json"}, dir.path());
    REQUIRE(snap.exit_code == 0);
    auto same = run_process(
        {k_leakaudit, "diff", "--no-color", "--json", dir / "report.json", dir / "before.json", dir / "before.json"},
        dir.path(), 60s, {k_rules_env});
    CHECK(same.exit_code == 0);
    CHECK(read_report(dir)["findings"].empty());

    // To stdout, with every process's descriptors read by the pool, then a new file.
    { std::ofstream(w + "/new") << "y"; }
    auto out = run_process({k_leakaudit, "snapshot", "--watch", w, "-o", "-"}, dir.path());
    REQUIRE(out.exit_code == 0);
    { std::ofstream(dir / "after.json") << out.out; }
    nlohmann::json after = nlohmann::json::parse(out.out, nullptr, false);
    REQUIRE(after.is_object());
    bool own_fds = false;  // the snapshot process itself, its descriptors read
    for (const auto& p : after["processes"])
        own_fds = own_fds || (p["name"] == "leakaudit" && p.contains("fds") && !p["fds"].empty());
    CHECK(own_fds);
    auto diff = run_process({k_leakaudit, "diff", "--no-color", "--user", std::to_string(getuid()), "--json",
                             dir / "report.json", dir / "before.json", dir / "after.json"},
                            dir.path(), 60s, {k_rules_env});
    auto tmp = findings_of(read_report(dir), "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"] == w + "/new");
}
