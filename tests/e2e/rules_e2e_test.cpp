// Rules end to end: a rule silences a leak, a typo stops the run with its position,
// and --suggest-rules output pasted into leakaudit.toml makes the same run pass.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;

namespace {

// Runs leakaudit from `dir` so that dir/leakaudit.toml is the project's rules file.
ProcessResult run_in(const TempDir& dir, const std::vector<std::string>& args) {
    std::string cmd = "cd '" + dir.path() + "' && exec \"$0\" \"$@\"";
    std::vector<std::string> argv{"/bin/sh", "-c", cmd};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, dir.path());
}

}  // namespace

TEST_CASE("a rule ignoring the orphan's name makes the run pass with one ignored", "[e2e][rules]") {
    TempDir dir("rule-ignore");
    std::ofstream(dir / "leakaudit.toml") << "[[rule]]\nkind = \"process\"\nname = \"sleep\"\naction = \"ignore\"\n"
                                             "reason = \"the test's sleeper is expected\"\n";
    auto r = run_in(dir, run_args(dir, {"--grace", "100ms"}, {k_leaky, "--orphans", "1", "--pids", dir / "pids"}));
    CHECK(r.exit_code == 0);
    auto report = read_report(dir);
    CHECK(report["summary"]["ignored"] == 1);
    auto procs = findings_of(report, "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0]["severity"] == "ignore");
    CHECK(procs[0]["rule"]["reason"] == "the test's sleeper is expected");
    CHECK(report["reaped"].empty());  // ignored processes are not reaped
    CHECK(r.out.find("1 ignored") != std::string::npos);
    kill_pids(read_pids(dir / "pids"));
}

TEST_CASE("a misspelt key stops the run with file:line:col and a suggestion", "[e2e][rules]") {
    TempDir dir("rule-typo");
    std::ofstream(dir / "leakaudit.toml") << "[[rule]]\nkind = \"process\"\nnmae = \"sleep\"\naction = \"ignore\"\n";
    auto r = run_in(dir, run_args(dir, {}, {"/bin/sh", "-c", "touch " + (dir / "ran")}));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("leakaudit.toml:3:1:") != std::string::npos);
    CHECK(r.err.find("did you mean `name`") != std::string::npos);
    CHECK_FALSE(std::ifstream(dir / "ran").good());  // nothing was run
}

TEST_CASE("suggested rules pasted into leakaudit.toml make the same run pass", "[e2e][rules]") {
    TempDir dir("rule-suggest");
    std::string w = watch_dir(dir);
    std::vector<std::string> harness{k_leaky, "--orphans", "1", "--mkdir", w + "/scratch"};
    auto first = run_in(dir, run_args(dir, {"--grace", "100ms", "--suggest-rules"}, harness));
    REQUIRE(first.exit_code == 1);
    std::size_t start = first.out.find("[[rule]]");
    REQUIRE(start != std::string::npos);
    std::ofstream(dir / "leakaudit.toml") << first.out.substr(start);
    std::filesystem::remove_all(w + "/scratch");
    auto second = run_in(dir, run_args(dir, {"--grace", "100ms", "--keep"}, cat(harness, {"--pids", dir / "pids"})));
    INFO(first.out << "\n---\n" << second.out << second.err);
    CHECK(second.exit_code == 0);
    CHECK(read_report(dir)["summary"]["ignored"] == 2);
    kill_pids(read_pids(dir / "pids"));
}

// Regression (issue 12): the suggestion named the folder with this run's mktemp suffix,
// so the next run, with another suffix, failed again.
TEST_CASE("a suggested rule for a mktemp folder still matches on the next run", "[e2e][rules]") {
    TempDir dir("rule-suggest-mktemp");
    std::string w = watch_dir(dir);
    std::vector<std::string> harness{"/bin/sh", "-c", "mktemp -d \"$0/weather-sync-XXXXXX\"", w};
    auto first = run_in(dir, run_args(dir, {"--suggest-rules"}, harness));
    REQUIRE(first.exit_code == 1);
    std::string first_path = findings_of(read_report(dir), "tmp").at(0)["path"];
    std::size_t start = first.out.find("[[rule]]");
    REQUIRE(start != std::string::npos);
    CHECK(first.out.find("weather-sync-*") != std::string::npos);
    std::ofstream(dir / "leakaudit.toml") << first.out.substr(start);
    auto second = run_in(dir, run_args(dir, {}, harness));
    INFO(first.out << "\n---\n" << second.out << second.err);
    CHECK(second.exit_code == 0);
    auto report = read_report(dir);
    CHECK(report["summary"]["ignored"] == 1);
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["severity"] == "ignore");
    CHECK(tmp[0]["path"] != first_path);  // another suffix, the same rule
}

TEST_CASE("rules check validates files and rules packs lists the shipped packs", "[e2e][rules]") {
    TempDir dir("rule-check");
    auto packs = run_in(dir, {k_leakaudit, "rules", "packs"});
    CHECK(packs.exit_code == 0);
    for (const char* pack : {"default", "node", "chromium", "python", "jvm"})
        CHECK(packs.out.find(pack) != std::string::npos);
    auto good = run_in(dir, {k_leakaudit, "rules", "check", "node", "chromium"});
    CHECK(good.exit_code == 0);
    std::ofstream(dir / "bad.toml") << "[[rule]]\nkind = \"proces\"\naction = \"ignore\"\n";
    auto bad = run_in(dir, {k_leakaudit, "rules", "check", "bad.toml"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("bad.toml:2:") != std::string::npos);
    auto missing = run_in(dir, {k_leakaudit, "run", "--rules", "no-such-pack", "--", "true"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("no-such-pack") != std::string::npos);
}

TEST_CASE("ignored findings are listed only with show-ignored, quiet prints the summary alone", "[e2e][rules]") {
    TempDir dir("rule-show");
    std::ofstream(dir / "leakaudit.toml") << "[[rule]]\nkind = \"process\"\nname = \"sleep\"\naction = \"ignore\"\n";
    std::vector<std::string> harness{k_leaky, "--orphans", "1", "--pids", dir / "pids"};
    auto hidden = run_in(dir, run_args(dir, {"--grace", "100ms", "--keep"}, harness));
    kill_pids(read_pids(dir / "pids"));
    CHECK(hidden.exit_code == 0);
    CHECK(hidden.out.find("sleep 300") == std::string::npos);
    auto shown = run_in(dir, run_args(dir, {"--grace", "100ms", "--keep", "--show-ignored"}, harness));
    kill_pids(read_pids(dir / "pids"));
    CHECK(shown.out.find("sleep 300") != std::string::npos);
    CHECK(shown.out.find("ignored") != std::string::npos);
    auto quiet = run_in(dir, run_args(dir, {"--grace", "100ms", "--keep", "--quiet", "--show-ignored"}, harness));
    kill_pids(read_pids(dir / "pids"));
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.out.find('\n') == quiet.out.size() - 1);  // one line
    CHECK(quiet.out.rfind("leakaudit: ", 0) == 0);
}
