// `--html FILE` on the built binary: `run` and `diff` write the page where --json would
// go (a file, or `-` with the text report moved to stderr), and only one report may
// take standard output. The page in a browser: tests/browser.
#include <catch2/catch.hpp>

#include "e2e.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

TEST_CASE("run --html writes a page with the verdict and the leaked process", "[e2e][html]") {
    TempDir dir("html-run");
    auto r = run_process(run_args(dir, {"--html", dir / "report.html", "--grace", "300ms"},
                                  {"/bin/sh", "-c", "sleep 301 & echo started"}),
                         dir.path(), 60s);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    std::string page = read_file(dir / "report.html");
    CHECK(page.starts_with("<!DOCTYPE html>"));
    CHECK(page.find("leaks: 1 finding at or above error · exit 1") != std::string::npos);
    CHECK(page.find("<strong>") != std::string::npos);
    CHECK(page.find("sleep 301") != std::string::npos);
    CHECK(page.find("id=\"processes\"") != std::string::npos);
    CHECK(page.find("id=\"reaped\"") != std::string::npos);
    CHECK(page.find(read_report(dir)["run_id"].get<std::string>()) != std::string::npos);
}

TEST_CASE("run --html - puts the page on stdout and the text report on stderr", "[e2e][html]") {
    TempDir dir("html-stdout");
    auto r = run_process({k_leakaudit, "run", "--no-color", "--watch", watch_dir(dir), "--html", "-", "--", "/bin/sh",
                          "-c", "echo from-the-harness"},
                         dir.path(), 60s);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.starts_with("<!DOCTYPE html>"));
    CHECK(r.out.ends_with("</html>\n"));
    CHECK(r.err.find("from-the-harness") != std::string::npos);
    CHECK(r.err.find("leakaudit: 0 errors") != std::string::npos);
}

TEST_CASE("only one report may go to stdout", "[e2e][html]") {
    TempDir dir("html-two");
    auto r = run_process({k_leakaudit, "run", "--json", "-", "--html", "-", "--", "/bin/true"}, dir.path(), 30s);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("only one report can go to standard output") != std::string::npos);
}

TEST_CASE("diff --html writes the page of a diff", "[e2e][html]") {
    TempDir dir("html-diff");
    std::string w = watch_dir(dir);
    REQUIRE(run_process({k_leakaudit, "snapshot", "--watch", w, "-o", dir / "before.json"}, dir.path()).exit_code == 0);
    run_process({"/bin/sh", "-c", "mkdir " + w + "/left-behind"}, dir.path());
    REQUIRE(run_process({k_leakaudit, "snapshot", "--watch", w, "-o", dir / "after.json"}, dir.path()).exit_code == 0);
    auto r = run_process(
        {k_leakaudit, "diff", "--no-color", "--html", dir / "diff.html", dir / "before.json", dir / "after.json"},
        dir.path(), 30s);
    INFO(r.out << r.err);
    std::string page = read_file(dir / "diff.html");
    CHECK(page.find("<code>leakaudit diff</code>") != std::string::npos);
    CHECK(page.find("left-behind") != std::string::npos);
    CHECK(page.find("data-kind=\"tmp\"") != std::string::npos);
}
