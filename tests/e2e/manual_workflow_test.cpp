// The manual workflow and CI outputs: snapshot + diff, JUnit, GitHub annotations.
#include <catch2/catch.hpp>

#include <signal.h>

#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

TEST_CASE("snapshot, then a daemon and a temp file, then diff reports both", "[e2e][diff]") {
    TempDir dir("diff");
    std::string w = watch_dir(dir);
    // A plugin host, running in both snapshots, starts the daemon and the file in between.
    TempDir host_dir("diff-host");
    int host =
        spawn_process({"/bin/sh", "-c",
                       "while [ ! -f " + (dir / "go") + " ]; do sleep 0.01; done; setsid sleep 300 & echo $! > " +
                           (dir / "pid") + "; touch " + w + "/left-behind; wait"},
                      host_dir.path());
    auto snap = run_process({k_leakaudit, "snapshot", "--watch", w, "-o", dir / "before.json"}, dir.path());
    REQUIRE(snap.exit_code == 0);
    { std::ofstream(dir / "go") << "go"; }
    REQUIRE(eventually([&] { return read_pids(dir / "pid").size() == 1 && std::ifstream(w + "/left-behind").good(); }));
    int daemon = read_pids(dir / "pid").at(0);

    // Without --pid: everything new on the machine since BEFORE (other tests' processes
    // too, so this diff must not reap).
    auto diff = run_process({k_leakaudit, "diff", "--no-color", "--json", dir / "report.json", dir / "before.json"},
                            dir.path());
    CHECK(diff.exit_code == 1);
    auto report = read_report(dir);
    CHECK(report["mode"] == "diff");
    bool saw_daemon = false;
    for (const auto& f : findings_of(report, "process"))
        saw_daemon = saw_daemon || f["pid"] == daemon;
    CHECK(saw_daemon);
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"] == w + "/left-behind");

    auto unscoped_reap = run_process({k_leakaudit, "diff", "--reap", dir / "before.json"}, dir.path());
    CHECK(unscoped_reap.exit_code == 2);
    CHECK(unscoped_reap.err.find("--pid") != std::string::npos);
    CHECK(pid_alive(daemon));

    // Narrowed to the host, only its daemon is reported, and --reap ends it.
    auto narrowed = run_process({k_leakaudit, "diff", "--pid", std::to_string(host), "--reap", "--json",
                                 dir / "report.json", dir / "before.json"},
                                dir.path());
    CHECK(narrowed.exit_code == 1);
    auto procs = findings_of(read_report(dir), "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["pid"] == daemon);
    CHECK(eventually([&] { return !pid_alive(daemon); }));
    kill(host, SIGKILL);
    wait_process(host, host_dir.path(), 5s);
}

TEST_CASE("diff rejects truncated, foreign and newer snapshots with exit 2", "[e2e][diff]") {
    TempDir dir("diff-bad");
    REQUIRE(run_process({k_leakaudit, "snapshot", "--watch", watch_dir(dir), "-o", dir / "full.json"}, dir.path())
                .exit_code == 0);
    std::string full = read_file(dir / "full.json");
    std::ofstream(dir / "truncated.json") << full.substr(0, full.size() / 2);
    auto truncated = run_process({k_leakaudit, "diff", dir / "truncated.json"}, dir.path());
    CHECK(truncated.exit_code == 2);
    CHECK(truncated.err.find(dir / "truncated.json") != std::string::npos);
    CHECK(truncated.err.find("truncated") != std::string::npos);
    std::ofstream(dir / "newer.json") << R"({"schema":"leakaudit.snapshot/9"})";
    auto newer = run_process({k_leakaudit, "diff", dir / "newer.json"}, dir.path());
    CHECK(newer.exit_code == 2);
    CHECK(newer.err.find("newer leakaudit") != std::string::npos);
    std::ofstream(dir / "other.json") << R"({"schema":"something/1"})";
    CHECK(run_process({k_leakaudit, "diff", dir / "other.json"}, dir.path()).exit_code == 2);
    CHECK(run_process({k_leakaudit, "diff", dir / "missing.json"}, dir.path()).exit_code == 2);
}

TEST_CASE("a snapshot with strange names validates against the shipped snapshot schema", "[e2e][diff]") {
    TempDir dir("snapshot-schema");
    std::string w = watch_dir(dir);
    std::ofstream(w + "/bad\xff\xfe\nname") << "x";
    auto snap = run_process({k_leakaudit, "snapshot", "--watch", w, "-o", dir / "s.json"}, dir.path());
    REQUIRE(snap.exit_code == 0);
    auto v = run_process({"/usr/bin/python3", std::string(LEAKAUDIT_SOURCE_DIR) + "/tests/tools/validate_json.py",
                          std::string(LEAKAUDIT_SOURCE_DIR) + "/schema/snapshot.schema.json", dir / "s.json"},
                         dir.path());
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
    auto j = nlohmann::json::parse(read_file(dir / "s.json"));
    CHECK(j["schema"] == "leakaudit.snapshot/1");
    REQUIRE(j["tmp"].size() == 1);
    CHECK(j["tmp"][0].contains("path_base64"));
    // Read back, the name's exact bytes match the live entry: nothing is new.
    auto diff = run_process({k_leakaudit, "diff", "--json", dir / "report.json", dir / "s.json"}, dir.path());
    CHECK(findings_of(read_report(dir), "tmp").empty());
}

TEST_CASE("a snapshot round-trips: diff of a snapshot against itself is clean", "[e2e][diff]") {
    TempDir dir("diff-self");
    REQUIRE(
        run_process({k_leakaudit, "snapshot", "--watch", watch_dir(dir), "-o", dir / "s.json"}, dir.path()).exit_code ==
        0);
    auto r =
        run_process({k_leakaudit, "diff", "--json", dir / "report.json", dir / "s.json", dir / "s.json"}, dir.path());
    CHECK(r.exit_code == 0);
    CHECK(read_report(dir)["findings"].empty());
}

TEST_CASE("junit output parses as XML and names each finding", "[e2e][junit]") {
    TempDir dir("junit");
    auto r = run_process(run_args(dir, {"--grace", "100ms", "--junit", dir / "junit.xml"}, {k_leaky, "--orphans", "2"}),
                         dir.path());
    REQUIRE(r.exit_code == 1);
    auto report = read_report(dir);
    std::string check =
        "import sys, xml.etree.ElementTree as E\n"
        "root = E.parse(sys.argv[1]).getroot()\n"
        "cases = root.iter('testcase')\n"
        "print('\\n'.join(c.get('name') + ('|failure' if c.find('failure') is not None else '') for c in cases))\n";
    auto parsed = run_process({"/usr/bin/python3", "-c", check, dir / "junit.xml"}, dir.path());
    REQUIRE(parsed.exit_code == 0);
    for (const auto& f : findings_of(report, "process")) {
        CHECK(parsed.out.find(f["id"].get<std::string>()) != std::string::npos);
    }
    CHECK(parsed.out.find("|failure") != std::string::npos);
}

// CI systems keep test history by name: two runs of the same leak, with other pids,
// give the same test case names, and no name carries a pid (core/finding_name.hpp).
TEST_CASE("junit test case names are the same in two runs of the same leak", "[e2e][junit]") {
    auto names_of_run = [](const std::string& tag, std::vector<int>& pids) {
        TempDir dir(tag);
        auto r = run_process(
            run_args(dir, {"--grace", "100ms", "--junit", dir / "junit.xml"}, {k_leaky, "--orphans", "2"}), dir.path());
        REQUIRE(r.exit_code == 1);
        for (const auto& f : findings_of(read_report(dir), "process"))
            pids.push_back(f["pid"].get<int>());
        std::string check =
            "import sys, xml.etree.ElementTree as E\n"
            "print('\\n'.join(sorted(c.get('name') for c in E.parse(sys.argv[1]).getroot().iter('testcase'))))\n";
        auto parsed = run_process({"/usr/bin/python3", "-c", check, dir / "junit.xml"}, dir.path());
        REQUIRE(parsed.exit_code == 0);
        return parsed.out;
    };
    std::vector<int> pids;
    std::string first = names_of_run("junit-names-1", pids);
    std::string second = names_of_run("junit-names-2", pids);
    INFO(first << "---\n" << second);
    CHECK(first == second);
    REQUIRE(pids.size() == 4);
    for (int pid : pids)
        CHECK(first.find(" " + std::to_string(pid) + " ") == std::string::npos);
}

TEST_CASE("GITHUB_ACTIONS=true prints workflow annotations", "[e2e][annotations]") {
    TempDir dir("annotations");
    auto r = run_process(run_args(dir, {"--grace", "100ms"}, {k_leaky, "--orphans", "1"}), dir.path(), 60s,
                         {"GITHUB_ACTIONS=true"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("::error") != std::string::npos);
    TempDir quiet("annotations-none");
    auto none = run_process(run_args(quiet, {"--grace", "100ms", "--annotations", "none"}, {k_leaky, "--orphans", "1"}),
                            quiet.path(), 60s, {"GITHUB_ACTIONS=true"});
    CHECK(none.out.find("::error") == std::string::npos);
}
