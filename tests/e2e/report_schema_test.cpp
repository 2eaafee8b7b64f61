// Real reports of every shape validate against the shipped schema, checked by a
// well-kept validator (python3-jsonschema) rather than one of our own.
#include <catch2/catch.hpp>

#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;

namespace {

const std::string k_schema = std::string(LEAKAUDIT_SOURCE_DIR) + "/schema/report.schema.json";
const std::string k_validator = std::string(LEAKAUDIT_SOURCE_DIR) + "/tests/tools/validate_json.py";

void require_valid(const TempDir& dir) {
    TempDir out("schema-check");
    auto v = run_process({"/usr/bin/python3", k_validator, k_schema, dir / "report.json"}, out.path());
    INFO(v.out << v.err);
    REQUIRE(v.exit_code == 0);
}

}  // namespace

TEST_CASE("a clean run's report validates against the schema", "[e2e][schema]") {
    TempDir dir("schema-clean");
    REQUIRE(run_process(run_args(dir, {}, {"/bin/true"}), dir.path()).exit_code == 0);
    require_valid(dir);
}

TEST_CASE("a leaking run with a non-UTF-8 command line validates and keeps the bytes", "[e2e][schema]") {
    TempDir dir("schema-leak");
    std::string argv0 = "sleep\xff\xfe-bad\nname";
    auto r =
        run_process(run_args(dir, {"--grace", "100ms"}, {k_leaky, "--orphans", "1", "--argv0", argv0}), dir.path());
    REQUIRE(r.exit_code == 1);
    require_valid(dir);
    auto procs = findings_of(read_report(dir), "process");
    REQUIRE(procs.size() == 1);
    CHECK(procs[0].contains("cmdline_base64"));
    CHECK(r.out.find("\\nname") != std::string::npos);  // the newline is shown escaped
}

TEST_CASE("failed harness reports validate against the schema", "[e2e][schema]") {
    TempDir exit7("schema-exit7");
    REQUIRE(run_process(run_args(exit7, {}, {k_leaky, "--exit", "7"}), exit7.path()).exit_code == 3);
    require_valid(exit7);
    TempDir missing("schema-missing");
    REQUIRE(run_process(run_args(missing, {}, {"/nonexistent/harness"}), missing.path()).exit_code == 3);
    require_valid(missing);
}

TEST_CASE("json to stdout writes the report alone on stdout", "[e2e][schema]") {
    TempDir dir("schema-stdout");
    auto r = run_process({k_leakaudit, "run", "--json", "-", "--", "/bin/sh", "-c", "echo harness-output"}, dir.path());
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    CHECK(j["schema"] == "leakaudit.report/1");
    CHECK(r.err.find("harness-output") != std::string::npos);  // the harness's stdout moved to stderr
    { std::ofstream(dir / "report.json") << r.out; }
    require_valid(dir);
}
