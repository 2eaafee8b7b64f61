// [settings] redact: names and `re:` patterns, merged across files, with positioned
// errors for entries that are neither.
#include <catch2/catch.hpp>

#include <sstream>

#include "rules/rule_printer.hpp"
#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;

TEST_CASE("[settings] redact: names and regexes become redaction patterns", "[rules][redact]") {
    Parsed parsed = parse("[settings]\nredact = [\"db-pass\", \"--license\", \"re:sess-([0-9a-f]+)\"]\n");
    INFO(all_messages(parsed.diagnostics));
    REQUIRE(parsed.diagnostics.empty());
    const RuleSettings& s = parsed.rules.settings();
    CHECK(s.redact == std::vector<std::string>{"db-pass", "--license", "re:sess-([0-9a-f]+)"});
    Redactor r(s.redact_patterns);
    CHECK(r.args({"app", "--db-pass", "x", "DB_PASS=y", "--license=z", "id=sess-beef"}) ==
          std::vector<std::string>{"app", "--db-pass", "***", "DB_PASS=***", "--license=***", "id=sess-***"});
}

TEST_CASE("[settings] redact: lists of several files add up", "[rules][redact]") {
    Diagnostics diagnostics;
    RuleSet rules = RuleSet::builtin();
    rules.merge(parse_rule_file(std::string_view("[settings]\nredact = [\"a-pass\"]\n"), "one.toml", diagnostics));
    rules.merge(parse_rule_file(std::string_view("[settings]\nredact = [\"re:b+\"]\n"), "two.toml", diagnostics));
    REQUIRE(diagnostics.empty());
    CHECK(rules.settings().redact == std::vector<std::string>{"a-pass", "re:b+"});
    CHECK(rules.settings().redact_patterns.names.size() == 1);
    CHECK(rules.settings().redact_patterns.regexes.size() == 1);
    std::ostringstream printed;
    print_rule_set(rules, printed);
    CHECK_THAT(printed.str(), Catch::Contains("redact = [\"a-pass\", \"re:b+\"]"));
}

TEST_CASE("[settings] redact: bad entries are reported at their position", "[rules][redact][errors]") {
    Parsed parsed = parse("[settings]\nredact = [\"ok\", \"re:a(\", \"two words\", 3, \"re:\"]\n");
    REQUIRE(parsed.diagnostics.size() == 4);
    const Diagnostic& regex = parsed.diagnostics[0];
    CHECK(regex.line == 2);
    CHECK(regex.column == 21);  // the byte after `re:` in "re:a("
    CHECK_THAT(regex.message, Catch::Contains("`redact`: bad regex"));
    CHECK(parsed.diagnostics[1].column == 26);
    CHECK_THAT(parsed.diagnostics[1].message, Catch::Contains("neither an option or parameter name"));
    CHECK(parsed.diagnostics[2].column == 39);
    CHECK_THAT(parsed.diagnostics[2].message, Catch::Contains("must be an array of strings"));
    CHECK_THAT(parsed.diagnostics[3].message, Catch::Contains("empty regex"));
    Diagnostic not_array = parse("[settings]\nredact = \"x\"\n").diagnostics.at(0);
    CHECK(not_array.column == 10);
    CHECK_THAT(not_array.message, Catch::Contains("`redact` must be an array"));
}

}  // namespace leakaudit
