// Issue 11's examples for real: `leakaudit run --cycles 10` on the Node plugins of
// examples/node (through harness-cycles.mjs and the kit's cycles()) and on the bash
// harness examples/shell/harness-cycles.sh. A plugin that leaks one descriptor, one
// `process` listener or 1 MiB of heap per cycle is one `growth` finding with that amount
// per cycle and exit 1; the clean plugin exits 0 in 20 runs out of 20; a cache warmed in
// the first start is not reported. Skipped (tests/support/skip.hpp) when this leakaudit
// has no `--cycles` or node is missing.
#include <catch2/catch.hpp>

#include "e2e.hpp"
#include "support/skip.hpp"

using namespace leakaudit::test;

namespace {

const std::string k_shell_harness = std::string(LEAKAUDIT_SOURCE_DIR) + "/examples/shell/harness-cycles.sh";

// Why these tests cannot run here, or "" when they can.
std::string missing_prerequisite() {
    TempDir dir("cycles-node-check");
    ProcessResult help = run_process({k_leakaudit, "run", "--help"}, dir.path(), std::chrono::seconds(20));
    if ((help.out + help.err).find("--cycles") == std::string::npos) return "this leakaudit has no run --cycles";
    ProcessResult node = run_process({"/usr/bin/env", "node", "--version"}, dir.path(), std::chrono::seconds(20));
    if (node.exit_code != 0) return "node not found";
    return "";
}

#define REQUIRE_CYCLES()                                       \
    do {                                                       \
        static const std::string why = missing_prerequisite(); \
        if (!why.empty()) LEAKAUDIT_SKIP(why);                 \
    } while (false)

Audit run_cycles(const TempDir& dir, const std::vector<std::string>& command) {
    ProcessResult r = run_process(run_args(dir, {"--cycles", "10", "--timeout", "90s", "--grace", "300ms"}, command),
                                  dir.path(), std::chrono::seconds(150));
    return {r, read_report(dir)};
}

Audit run_plugin(const TempDir& dir, const std::string& plugin) {
    return run_cycles(dir, {"node", k_examples + "/harness-cycles.mjs", k_examples + "/plugins/" + plugin});
}

// The growth finding of `quantity` (and `what`, when given), or null.
const nlohmann::json* growth_of(const nlohmann::json& report, const std::string& quantity,
                                const std::string& what = "") {
    for (const auto& f : report["findings"]) {
        if (f["kind"] != "growth") continue;
        const nlohmann::json& g = f["growth"];
        if (g["quantity"] == quantity && (what.empty() || g["what"] == what)) return &f;
    }
    return nullptr;
}

const nlohmann::json* series_of(const nlohmann::json& report, const std::string& quantity, const std::string& what) {
    for (const auto& s : report["cycles"]["series"]) {
        if (s["quantity"] == quantity && s["what"] == what) return &s;
    }
    return nullptr;
}

void check_cycles_ran(const nlohmann::json& report) {
    REQUIRE(report.contains("cycles"));
    CHECK(report["cycles"]["requested"] == 10);
    CHECK(report["cycles"]["warmup"] == 2);
    CHECK(report["cycles"]["completed"] == 10);
}

}  // namespace

TEST_CASE("cycles, node: a descriptor opened per start is a growth of 1 per cycle, exit 1", "[e2e][cycles-node]") {
    REQUIRE_CYCLES();
    TempDir dir("cycles-node-fd");
    Audit a = run_plugin(dir, "grow-descriptor.mjs");
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 1);
    check_cycles_ran(a.report);
    const nlohmann::json* f = growth_of(a.report, "descriptors");
    REQUIRE(f != nullptr);
    const nlohmann::json& g = (*f)["growth"];
    CHECK(g["per_cycle"].get<double>() == Approx(1.0));
    CHECK((*f)["severity"] == "error");
    // What made it up: the file the plugin opens, new in each judged cycle.
    REQUIRE(!g["appeared"].empty());
    CHECK(g["appeared"][0].get<std::string>().find("grow-descriptor.mjs") != std::string::npos);
    const nlohmann::json* s = series_of(a.report, "descriptors", g["what"]);
    REQUIRE(s != nullptr);
    REQUIRE((*s)["values"].size() == 11);
    CHECK((*s)["values"][10].get<long>() - (*s)["values"][0].get<long>() == 10);
}

TEST_CASE("cycles, node: a process listener added per start is a growth of 1 per cycle with its site",
          "[e2e][cycles-node]") {
    REQUIRE_CYCLES();
    TempDir dir("cycles-node-listener");
    Audit a = run_plugin(dir, "grow-listener.mjs");
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 1);
    check_cycles_ran(a.report);
    const nlohmann::json* f = growth_of(a.report, "listeners", "process 'exit'");
    REQUIRE(f != nullptr);
    CHECK((*f)["growth"]["per_cycle"].get<double>() == Approx(1.0));
    CHECK((*f)["growth"].value("site", "").find("plugins/grow-listener.mjs:10") != std::string::npos);
    // The kit's series: 0 at the first started, then 1, 2, ..., 10 at each stopped.
    const nlohmann::json* s = series_of(a.report, "listeners", "process 'exit'");
    REQUIRE(s != nullptr);
    std::vector<long> expected{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK((*s)["values"].get<std::vector<long>>() == expected);
}

TEST_CASE("cycles, node: 1 MiB of heap kept per start is a growth of about 1 MiB per cycle", "[e2e][cycles-node]") {
    REQUIRE_CYCLES();
    TempDir dir("cycles-node-heap");
    Audit a = run_plugin(dir, "grow-heap.mjs");
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 1);
    check_cycles_ran(a.report);
    const nlohmann::json* f = growth_of(a.report, "heap_bytes");
    REQUIRE(f != nullptr);
    // 131,072 doubles (1 MiB) and the array around them.
    double per_cycle = (*f)["growth"]["per_cycle"].get<double>();
    CHECK(per_cycle > 0.95 * 1024 * 1024);
    CHECK(per_cycle < 1.3 * 1024 * 1024);
    CHECK(growth_of(a.report, "listeners") == nullptr);
    CHECK(growth_of(a.report, "descriptors") == nullptr);
}

TEST_CASE("cycles, node: a cache warmed by the first start is not reported", "[e2e][cycles-node]") {
    REQUIRE_CYCLES();
    TempDir dir("cycles-node-warm");
    Audit a = run_plugin(dir, "warm-cache.mjs");
    INFO(a.result.out << a.result.err);
    CHECK(a.result.exit_code == 0);
    check_cycles_ran(a.report);
    CHECK(findings_of(a.report, "growth").empty());
    // The cache did show: the heap rose by megabytes in the first cycle.
    const nlohmann::json* heap = series_of(a.report, "heap_bytes", "");
    REQUIRE(heap != nullptr);
    CHECK((*heap)["values"][1].get<long>() - (*heap)["values"][0].get<long>() > 4 * 1024 * 1024);
}

TEST_CASE("cycles, node: the clean plugin exits 0 in 20 runs out of 20", "[e2e][cycles-node]") {
    REQUIRE_CYCLES();
    for (int run = 1; run <= 20; ++run) {
        TempDir dir("cycles-node-clean");
        Audit a = run_plugin(dir, "cycles-clean.mjs");
        INFO("run " << run << "\n" << a.result.out << a.result.err);
        REQUIRE(a.result.exit_code == 0);
        REQUIRE(findings_of(a.report, "growth").empty());
        REQUIRE(a.report["cycles"]["completed"] == 10);
    }
}

TEST_CASE("cycles, bash: a harness that loops with acks and metrics", "[e2e][cycles-node]") {
    REQUIRE_CYCLES();
    SECTION("clean: exit 0, the harness's own count recorded") {
        TempDir dir("cycles-sh-clean");
        Audit a = run_cycles(dir, {"bash", k_shell_harness, "clean"});
        INFO(a.result.out << a.result.err);
        CHECK(a.result.exit_code == 0);
        check_cycles_ran(a.report);
        CHECK(findings_of(a.report, "growth").empty());
        CHECK(series_of(a.report, "value", "queue_entries") != nullptr);
    }
    SECTION("a descriptor kept per cycle") {
        TempDir dir("cycles-sh-fd");
        Audit a = run_cycles(dir, {"bash", k_shell_harness, "leak-fd"});
        INFO(a.result.out << a.result.err);
        CHECK(a.result.exit_code == 1);
        const nlohmann::json* f = growth_of(a.report, "descriptors");
        REQUIRE(f != nullptr);
        CHECK((*f)["growth"]["per_cycle"].get<double>() == Approx(1.0));
    }
    SECTION("a count of its own that grows") {
        TempDir dir("cycles-sh-queue");
        Audit a = run_cycles(dir, {"bash", k_shell_harness, "leak-queue"});
        INFO(a.result.out << a.result.err);
        CHECK(a.result.exit_code == 1);
        const nlohmann::json* f = growth_of(a.report, "value", "queue_entries");
        REQUIRE(f != nullptr);
        CHECK((*f)["growth"]["per_cycle"].get<double>() == Approx(1.0));
    }
}
