// Cycles end to end (README "Cycles and growth"): a harness that loops started/stopped
// with acks (tests/fixtures/cycler.cpp), run under `leakaudit run --cycles 10`. A leak per
// cycle is one growth finding with its per-cycle amount and exit 1; a clean loop exits 0
// every time; a warm-up cache is not reported.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;

namespace {

const std::string k_cycler = CYCLER_BIN;
const std::string k_schema = std::string(LEAKAUDIT_SOURCE_DIR) + "/schema/report.schema.json";
const std::string k_validator = std::string(LEAKAUDIT_SOURCE_DIR) + "/tests/tools/validate_json.py";

ProcessResult run_cycles(const TempDir& dir, const std::string& mode, std::vector<std::string> options = {}) {
    if (std::find(options.begin(), options.end(), "--cycles") == options.end())
        options.insert(options.begin(), {"--cycles", "10"});
    options.push_back("--no-node");
    return run_process(run_args(dir, options, {k_cycler, mode}), dir.path());
}

std::vector<nlohmann::json> growth_of(const nlohmann::json& report) {
    return findings_of(report, "growth");
}

const nlohmann::json* series_of(const nlohmann::json& report, const std::string& quantity, const std::string& what) {
    for (const auto& s : report["cycles"]["series"]) {
        if (s["quantity"] == quantity && s["what"] == what) return &s;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("a harness that leaks one pipe per cycle: growth of 1 per cycle, exit 1", "[e2e][cycles]") {
    TempDir dir("cycles-pipe");
    ProcessResult r = run_cycles(dir, "pipe", {"--junit", dir / "junit.xml"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
    nlohmann::json report = read_report(dir);
    std::vector<nlohmann::json> growth = growth_of(report);
    REQUIRE(growth.size() == 1);
    const nlohmann::json& g = growth[0]["growth"];
    CHECK(g["quantity"] == "descriptors");
    CHECK(g["what"] == "pipe");
    CHECK(g["per_cycle"].get<double>() == Approx(1.0));
    CHECK(g["cycles_judged"] == 8);
    CHECK(g["appeared"].size() == 8);
    CHECK(g["appeared"][0].get<std::string>().starts_with("pipe:["));
    CHECK(growth[0]["severity"] == "error");
    CHECK(r.out.find("descriptors (pipe) grew by 1 per cycle over 8 cycles") != std::string::npos);
    CHECK(r.out.find("cycle base 1 2 | 3") != std::string::npos);  // the per-cycle table

    CHECK(report["cycles"]["requested"] == 10);
    CHECK(report["cycles"]["warmup"] == 2);
    CHECK(report["cycles"]["completed"] == 10);
    const nlohmann::json* pipes = series_of(report, "descriptors", "pipe");
    REQUIRE(pipes);
    REQUIRE((*pipes)["values"].size() == 11);
    CHECK((*pipes)["values"][10].get<int>() - (*pipes)["values"][0].get<int>() == 10);

    // The checkpoint judges the last `stopped` against the first `started`: one fd finding
    // per leaked pipe, not one per cycle.
    int pipe_fds = 0;
    for (const auto& f : findings_of(report, "fd"))
        pipe_fds += f["type"] == "pipe";
    CHECK(pipe_fds == 10);

    std::string junit = read_file(dir / "junit.xml");
    CHECK(junit.find("classname=\"leakaudit.growth\"") != std::string::npos);

    TempDir out("cycles-schema");
    ProcessResult v = run_process({"/usr/bin/python3", k_validator, k_schema, dir / "report.json"}, out.path());
    INFO(v.out << v.err);
    CHECK(v.exit_code == 0);
}

TEST_CASE("a clean cycling harness exits 0 in 20 runs out of 20", "[e2e][cycles]") {
    for (int run = 0; run < 20; ++run) {
        TempDir dir("cycles-clean");
        ProcessResult r = run_cycles(dir, "clean");
        INFO("run " << run << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
        nlohmann::json report = read_report(dir);
        REQUIRE(growth_of(report).empty());
        REQUIRE(report["cycles"]["completed"] == 10);
    }
}

TEST_CASE("a cache warmed in the first cycle is not reported", "[e2e][cycles]") {
    TempDir dir("cycles-warm");
    ProcessResult r = run_cycles(dir, "warm");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    nlohmann::json report = read_report(dir);
    CHECK(growth_of(report).empty());
    const nlohmann::json* heap = series_of(report, "heap_bytes", "");
    REQUIRE(heap);
    CHECK((*heap)["values"][1].get<std::int64_t>() - (*heap)["values"][0].get<std::int64_t>() > 20'000'000);
    // without warm-up the one jump is still one rising cycle of ten: not growth
    TempDir no_warmup("cycles-warm0");
    CHECK(run_cycles(no_warmup, "warm", {"--warmup", "0"}).exit_code == 0);
}

TEST_CASE("heap kept per cycle, reported through metrics, grows by about 1 MiB per cycle", "[e2e][cycles]") {
    TempDir dir("cycles-heap");
    ProcessResult r = run_cycles(dir, "heap");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
    std::vector<nlohmann::json> growth = growth_of(read_report(dir));
    REQUIRE(growth.size() == 1);
    CHECK(growth[0]["growth"]["quantity"] == "heap_bytes");
    CHECK(growth[0]["growth"]["per_cycle"].get<double>() == Approx(1024.0 * 1024.0).epsilon(0.05));
    CHECK(r.out.find("heap_bytes grew by 1.0 MiB per cycle") != std::string::npos);

    // A [settings] tolerance above the growth lets it pass.
    TempDir tolerant("cycles-heap-tolerant");
    { std::ofstream(tolerant / "rules.toml") << "[settings]\ngrowth-heap-tolerance = \"2MiB\"\n"; }
    CHECK(run_cycles(tolerant, "heap", {"--rules", tolerant / "rules.toml"}).exit_code == 0);
}

TEST_CASE("one more listener per cycle: growth with its site, annotated at it", "[e2e][cycles]") {
    TempDir dir("cycles-listener");
    ProcessResult r = run_cycles(dir, "listener", {"--annotations", "github"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 1);
    std::vector<nlohmann::json> growth = growth_of(read_report(dir));
    REQUIRE(growth.size() == 1);
    CHECK(growth[0]["growth"]["what"] == "process 'exit'");
    CHECK(growth[0]["growth"]["per_cycle"].get<double>() == Approx(1.0));
    CHECK(growth[0]["growth"]["site"] == "src/plugin.mjs:12:3");
    CHECK(r.out.find("::error file=src/plugin.mjs,line=12,title=leakaudit%3A growth over cycles") != std::string::npos);

    // A rule with a per-rule tolerance accepts up to that much growth per cycle.
    TempDir ruled("cycles-listener-rule");
    {
        std::ofstream(ruled / "rules.toml")
            << "[[rule]]\nkind = \"growth\"\nresource = \"listeners (process*\"\n"
               "tolerance = 1\naction = \"ignore\"\nreason = \"one per reload is ok\"\n";
    }
    ProcessResult ok = run_cycles(ruled, "listener", {"--rules", ruled / "rules.toml"});
    INFO(ok.out << ok.err);
    CHECK(ok.exit_code == 0);
}

TEST_CASE("a harness that completes fewer cycles than asked is told so", "[e2e][cycles]") {
    TempDir dir("cycles-short");
    ProcessResult r = run_cycles(dir, "short");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    nlohmann::json report = read_report(dir);
    CHECK(report["cycles"]["completed"] == 5);
    bool told = false;
    for (const auto& f : findings_of(report, "harness"))
        told = told || f["message"].get<std::string>().find("completed 5 of 10 cycles") != std::string::npos;
    CHECK(told);
}

TEST_CASE("run --cycles passes LEAKAUDIT_CYCLES to the harness", "[e2e][cycles]") {
    TempDir dir("cycles-env");
    ProcessResult r = run_process(
        run_args(dir, {"--cycles", "7"}, {"/bin/sh", "-c", "echo \"$LEAKAUDIT_CYCLES\" > " + (dir / "seen")}),
        dir.path());
    REQUIRE(r.exit_code == 0);
    CHECK(read_file(dir / "seen") == "7\n");
    nlohmann::json report = read_report(dir);
    CHECK(report["cycles"]["requested"] == 7);
    CHECK(report["cycles"]["completed"] == 0);
}

TEST_CASE("a single started/stopped run has no cycles in its report", "[e2e][cycles]") {
    TempDir dir("cycles-single");
    ProcessResult r = run_process(run_args(dir, {"--no-node"}, {k_cycler, "pipe", "1"}), dir.path());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);  // one pipe held at stopped: an fd warning, as before cycles existed
    nlohmann::json report = read_report(dir);
    CHECK_FALSE(report.contains("cycles"));
    CHECK(findings_of(report, "fd").size() == 1);
}
