// Bad command lines: a clear message naming the argument, exit 2, nothing run.
#include <catch2/catch.hpp>

#include "e2e.hpp"
#include "support/skip.hpp"

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

TEST_CASE("a process table that cannot be read at all is exit 4", "[e2e][cli]") {
    TempDir dir("noproc");
    // A private mount namespace whose /proc is an empty tmpfs: nothing else is affected.
    std::string script = "mount -t tmpfs none /proc && LEAKAUDIT_RULES_DIR='" + std::string(LEAKAUDIT_SOURCE_DIR) +
                         "/rules' exec \"$0\" run --watch '" + dir.path() + "' -- /bin/true";
    TempDir probe("noproc-probe");
    if (run_process({"/usr/bin/unshare", "-m", "/bin/true"}, probe.path()).exit_code != 0) {
        LEAKAUDIT_SKIP("cannot create a mount namespace here (needs root): not tested");
    }
    auto r = run_process({"/usr/bin/unshare", "-m", "/bin/sh", "-c", script, k_leakaudit}, dir.path());
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("process table") != std::string::npos);
}

TEST_CASE("a report that cannot be written is exit 4, after the text report", "[e2e][cli]") {
    TempDir dir("unwritable");
    auto r = run_cli({"run", "--json", dir / "no-such-folder/report.json", "--", "/bin/true"}, dir);
    CHECK(r.exit_code == 4);
    CHECK(r.err.find("no-such-folder") != std::string::npos);
    CHECK(r.out.find("leakaudit:") != std::string::npos);
}

TEST_CASE("colour on a terminal only, and never with NO_COLOR or no-color", "[e2e][cli]") {
    TempDir dir("color");
    std::string w = dir / "watch";
    ::mkdir(w.c_str(), 0755);
    // script(1) gives leakaudit a pseudo-terminal for stdout.
    // TERM and NO_COLOR are set here: CI may run with TERM=dumb or NO_COLOR, which rightly
    // mean no colour.
    auto on_tty = [&](const std::string& env, const std::string& flags) {
        std::string cmd = "env -u NO_COLOR TERM=xterm " + env + " '" + k_leakaudit + "' run " + flags + " --watch '" +
                          w + "' -- /bin/true";
        return run_process({"/usr/bin/script", "-qec", cmd, "/dev/null"}, dir.path()).out;
    };
    CHECK(on_tty("", "").find("\033[") != std::string::npos);
    CHECK(on_tty("NO_COLOR=1", "").find("\033[") == std::string::npos);
    CHECK(on_tty("", "--no-color").find("\033[") == std::string::npos);
    auto piped = run_cli({"run", "--watch", w, "--", "/bin/true"}, dir);
    CHECK(piped.out.find("\033[") == std::string::npos);
}
