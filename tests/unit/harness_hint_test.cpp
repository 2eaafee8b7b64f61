// A hung test runner's harness finding says how to get every test file's leaks: the
// runner's force-exit flag (README, "Node.js plugins"), on plain data.
#include <catch2/catch.hpp>

#include "core/harness_findings.hpp"

using namespace leakaudit;

namespace {

std::string timeout_hint(const std::vector<std::string>& command) {
    HarnessOutcome o;
    o.started = true;
    o.timed_out = true;
    std::vector<Finding> findings = harness_findings(o, command);
    REQUIRE(findings.size() == 1);
    return findings[0].hint;
}

}  // namespace

TEST_CASE("a hung node --test is told to add --test-force-exit", "[harness][hint]") {
    CHECK_THAT(timeout_hint({"node", "--test", "test/"}), Catch::Contains("add --test-force-exit"));
    CHECK_THAT(timeout_hint({"/usr/bin/nodejs", "--test"}), Catch::Contains("add --test-force-exit"));
    CHECK_THAT(timeout_hint({"npx", "jest", "-w", "2"}), Catch::Contains("add --forceExit"));
    CHECK_THAT(timeout_hint({"node_modules/.bin/mocha", "test/"}), Catch::Contains("add --exit"));
}

TEST_CASE("a harness that already forces its exit, or is no test runner, gets the plain hint", "[harness][hint]") {
    for (const std::vector<std::string>& command :
         std::vector<std::vector<std::string>>{{"node", "--test", "--test-force-exit", "test/"},
                                               {"npx", "jest", "--forceExit"},
                                               {"mocha", "--exit"},
                                               {"node", "harness.mjs", "plugin.mjs"},
                                               {"npx", "vitest", "run"}}) {
        std::string hint = timeout_hint(command);
        CHECK_THAT(hint, !Catch::Contains("add --"));
        CHECK_THAT(hint, Catch::EndsWith("raise --timeout only if it is just slow"));
    }
}
