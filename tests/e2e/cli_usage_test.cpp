// Bad command lines: a clear message naming the argument, exit 2, nothing run.
#include <catch2/catch.hpp>

#include "e2e.hpp"

using namespace leakaudit::test;

namespace {

ProcessResult run_cli(const std::vector<std::string>& args, const TempDir& dir) {
    return run_process(cat({k_leakaudit}, args), dir.path());
}

}  // namespace

TEST_CASE("usage errors exit 2 and name the argument", "[e2e][cli]") {
    TempDir dir("usage");
    struct Case {
        std::vector<std::string> args;
        std::string mentions;
    };
    std::vector<Case> cases{
        {{"run", "--frobnicate", "--", "true"}, "--frobnicate"},
        {{"run", "true"}, "missing `--`"},
        {{"run", "--"}, "empty command"},
        {{"run", "--grace", "2x", "--", "true"}, "--grace"},
        {{"run", "--timeout", "soon", "--", "true"}, "--timeout"},
        {{"run", "--fail-on", "fatal", "--", "true"}, "--fail-on"},
        {{"bogus"}, "bogus"},
        {{}, "subcommand"},
    };
    for (const Case& c : cases) {
        auto r = run_cli(c.args, dir);
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(c.mentions) != std::string::npos);
        CHECK(r.err.rfind("leakaudit: error:", 0) == 0);
    }
}

TEST_CASE("options after -- belong to the harness", "[e2e][cli]") {
    TempDir dir("after-dashdash");
    auto r = run_cli({"run", "--json", dir / "report.json", "--", "/bin/sh", "-c", "exit 0", "--grace", "2x"}, dir);
    CHECK(r.exit_code == 0);
}

TEST_CASE("help and version exit 0", "[e2e][cli]") {
    TempDir dir("help");
    auto help = run_cli({"--help"}, dir);
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("run") != std::string::npos);
    auto run_help = run_cli({"run", "--help"}, dir);
    CHECK(run_help.exit_code == 0);
    CHECK(run_help.out.find("--grace") != std::string::npos);
    CHECK(run_help.out.find("Examples") != std::string::npos);
    auto version = run_cli({"--version"}, dir);
    CHECK(version.exit_code == 0);
    CHECK(version.out.rfind("leakaudit 0.", 0) == 0);
}
