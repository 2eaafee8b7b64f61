// Rules over growth findings (README "Cycles and growth"): `resource` names the series,
// `tolerance` matches growth up to that much per cycle; [settings] holds the warm-up and
// the byte tolerances.
#include <catch2/catch.hpp>

#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;

namespace {

Finding growth(Quantity q, std::string what, double per_cycle) {
    Finding f;
    f.kind = Kind::growth;
    f.severity = Severity::error;
    Growth g;
    g.quantity = q;
    g.what = std::move(what);
    g.per_cycle = per_cycle;
    g.site = "src/plugin.mjs:12:3";
    f.growth = g;
    return f;
}

}  // namespace

TEST_CASE("growth rules match the series by resource", "[rules][growth]") {
    std::string rules = "[[rule]]\nkind = \"growth\"\nresource = \"descriptors (*\"\naction = \"warning\"\n";
    CHECK(judge(rules, growth(Quantity::descriptors, "pipe", 1)) == Severity::warning);
    CHECK(judge(rules, growth(Quantity::listeners, "process 'exit'", 1)) == Severity::error);
    CHECK(judge("[[rule]]\nkind = \"growth\"\nresource = \"heap_bytes\"\naction = \"info\"\n",
                growth(Quantity::heap_bytes, "", 2e6)) == Severity::info);
    CHECK(judge("[[rule]]\nkind = \"growth\"\nsite = \"src/plugin.mjs:*\"\naction = \"info\"\n",
                growth(Quantity::handles, "Timeout", 1)) == Severity::info);
}

TEST_CASE("a per-rule tolerance matches growth up to that much per cycle", "[rules][growth]") {
    std::string counts = "[[rule]]\nkind = \"growth\"\nresource = \"threads\"\ntolerance = 1\naction = \"ignore\"\n";
    CHECK(judge(counts, growth(Quantity::threads, "", 1)) == Severity::ignore);
    CHECK(judge(counts, growth(Quantity::threads, "", 2)) == Severity::error);
    std::string bytes = "[[rule]]\nkind = \"growth\"\ntolerance = \"2MiB\"\naction = \"ignore\"\n";
    CHECK(judge(bytes, growth(Quantity::heap_bytes, "", 1.5 * 1024 * 1024)) == Severity::ignore);
    CHECK(judge(bytes, growth(Quantity::heap_bytes, "", 3.0 * 1024 * 1024)) == Severity::error);
}

TEST_CASE("bad tolerances and misplaced growth keys are errors with their position", "[rules][growth]") {
    Parsed unit = parse("[[rule]]\nkind = \"growth\"\ntolerance = \"2 parsecs\"\naction = \"ignore\"\n");
    REQUIRE(unit.diagnostics.size() == 1);
    CHECK(all_messages(unit.diagnostics).find("unknown unit") != std::string::npos);
    Parsed negative = parse("[[rule]]\nkind = \"growth\"\ntolerance = -1\naction = \"ignore\"\n");
    CHECK(negative.diagnostics.size() == 1);
    Parsed misplaced = parse("[[rule]]\nkind = \"fd\"\nresource = \"x\"\naction = \"ignore\"\n");
    REQUIRE(misplaced.diagnostics.size() == 1);
    CHECK(all_messages(misplaced.diagnostics).find("growth") != std::string::npos);
}

TEST_CASE("[settings] holds the warm-up and the byte tolerances of growth", "[rules][growth]") {
    Parsed p = parse("[settings]\nwarmup = 3\ngrowth-heap-tolerance = \"1MiB\"\ngrowth-rss-tolerance = \"8MB\"\n");
    INFO(all_messages(p.diagnostics));
    REQUIRE(p.diagnostics.empty());
    Settings s = resolve_settings({}, p.rules.settings());
    CHECK(s.warmup == 3);
    CHECK(s.growth.heap_bytes == 1024 * 1024);
    CHECK(s.growth.rss_bytes == 8'000'000);
    Settings defaults = resolve_settings({}, {});
    CHECK(defaults.warmup == 2);
    CHECK(defaults.growth.heap_bytes == 512 * 1024);
    CHECK_FALSE(defaults.growth.rss_bytes);
    SettingsLayer command_line;
    command_line.warmup = 0;
    CHECK(resolve_settings(command_line, p.rules.settings()).warmup == 0);

    CHECK(parse("[settings]\nwarmup = -1\n").diagnostics.size() == 1);
    CHECK(parse("[settings]\nwarmup = \"2\"\n").diagnostics.size() == 1);
    CHECK(parse("[settings]\ngrowth-heap-tolerance = 5\n").diagnostics.size() == 1);
}

}  // namespace leakaudit
