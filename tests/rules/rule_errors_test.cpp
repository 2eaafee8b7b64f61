// Each class of rules-file error, with its exact `file:line:col`, the quoted line and the
// caret; and that every problem of a file is reported, not only the first.
#include <catch2/catch.hpp>

#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;

namespace {

// The one diagnostic `text` produces; fails the test when there are more or none.
Diagnostic only_error(const std::string& text) {
    Parsed parsed = parse(text);
    INFO(all_messages(parsed.diagnostics));
    REQUIRE(parsed.diagnostics.size() == 1);
    return parsed.diagnostics[0];
}

std::string position(const Diagnostic& d) {
    return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
}

}  // namespace

TEST_CASE("acceptance: `nmae` is reported at its position with the suggestion `name`", "[rules][errors]") {
    Parsed parsed = parse("[[rule]]\nkind = \"process\"\nnmae = \"sleep\"\naction = \"ignore\"\n");
    REQUIRE(parsed.diagnostics.size() == 1);
    std::string text = format_diagnostic(parsed.diagnostics[0]);
    CHECK(text ==
          "leakaudit.toml:3:1: unknown key `nmae` in [[rule]] — did you mean `name`?\n"
          "    nmae = \"sleep\"\n"
          "    ^\n");
    CHECK(parsed.rules.rules().empty());  // a rule with a bad key is dropped, never widened
}

TEST_CASE("invalid TOML is reported at toml++'s position", "[rules][errors]") {
    Diagnostic d = only_error("[settings]\ngrace = \"2s\nx = 1\n");
    CHECK(position(d) == "leakaudit.toml:2:12");
    CHECK_THAT(d.message, Catch::StartsWith("invalid TOML:"));
    CHECK(d.line_text == "grace = \"2s");
}

TEST_CASE("unknown tables and keys suggest the close name", "[rules][errors]") {
    Diagnostic table = only_error("\n[setings]\ngrace = \"2s\"\n");
    CHECK(position(table) == "leakaudit.toml:2:2");
    CHECK_THAT(table.message,
               Catch::Contains("unknown table `[setings]`") && Catch::Contains("did you mean `settings`?"));

    Diagnostic top = only_error("color = true\n");
    CHECK(position(top) == "leakaudit.toml:1:1");
    CHECK_THAT(top.message, Catch::Contains("unknown key `color` at the top level"));

    Diagnostic setting = only_error("[settings]\n  graec = \"2s\"\n");
    CHECK(position(setting) == "leakaudit.toml:2:3");
    CHECK_THAT(setting.message, Catch::Contains("did you mean `grace`?"));

    Diagnostic severity = only_error("[severity]\nprocss = \"info\"\n");
    CHECK_THAT(severity.message, Catch::Contains("did you mean `process`?"));

    Diagnostic far = only_error("[[rule]]\nkind = \"tmp\"\naction = \"info\"\nzzzzzzzz = \"x\"\n");
    CHECK(position(far) == "leakaudit.toml:4:1");
    CHECK_THAT(far.message, !Catch::Contains("did you mean"));
}

TEST_CASE("a key of another kind says which kind it belongs to", "[rules][errors]") {
    Diagnostic d = only_error("[[rule]]\nkind = \"process\"\nport = 9229\naction = \"ignore\"\n");
    CHECK(position(d) == "leakaudit.toml:3:1");
    CHECK_THAT(d.message, Catch::StartsWith("key `port` does not apply to kind `process`") &&
                              Catch::Contains("`socket` key") && Catch::Contains("name, exe, cmdline, user"));
    Diagnostic shared = only_error("[[rule]]\nkind = \"process\"\ntype = \"dir\"\naction = \"ignore\"\n");
    CHECK_THAT(shared.message, Catch::Contains("`fd` and `tmp` and `handle` key"));
}

TEST_CASE("wrong value types", "[rules][errors]") {
    CHECK_THAT(only_error("[settings]\ngrace = 2\n").message,
               Catch::Contains("`grace` must be a duration string") && Catch::Contains("not an integer"));
    CHECK_THAT(only_error("[settings]\nwatch = \"/tmp\"\n").message, Catch::Contains("`watch` must be an array"));
    Diagnostic item = only_error("[settings]\nwatch = [\"/tmp\", 3]\n");
    CHECK(position(item) == "leakaudit.toml:2:18");
    CHECK_THAT(only_error("settings = 1\n").message, Catch::Contains("`settings` must be a table"));
    CHECK_THAT(only_error("[rule]\nkind = \"tmp\"\n").message, Catch::Contains("write each rule as [[rule]]"));
    Diagnostic name = only_error("[[rule]]\nkind = \"process\"\nname = [\"a\"]\naction = \"ignore\"\n");
    CHECK(position(name) == "leakaudit.toml:3:8");
    CHECK_THAT(name.message, Catch::Contains("`name` must be a string") && Catch::Contains("not an array"));
    CHECK_THAT(only_error("[[rule]]\nkind = \"socket\"\nport = 1.5\naction = \"ignore\"\n").message,
               Catch::Contains("`port` must be an integer or a range string"));
    CHECK_THAT(only_error("[[rule]]\nkind = 3\naction = \"ignore\"\n").message,
               Catch::Contains("`kind` must be a string"));
    CHECK_THAT(only_error("[[rule]]\nkind = \"tmp\"\naction = \"info\"\nreason = 1\n").message,
               Catch::Contains("`reason` must be a string"));
}

TEST_CASE("unknown kind, action and severity values", "[rules][errors]") {
    Diagnostic kind = only_error("[[rule]]\nkind = \"proces\"\naction = \"ignore\"\n");
    CHECK(position(kind) == "leakaudit.toml:2:8");
    CHECK_THAT(kind.message, Catch::Contains("unknown kind `proces`") && Catch::Contains("did you mean `process`?"));
    Diagnostic action = only_error("[[rule]]\nkind = \"tmp\"\naction = \"ignored\"\n");
    CHECK(position(action) == "leakaudit.toml:3:10");
    CHECK_THAT(action.message,
               Catch::Contains("unknown action `ignored`") && Catch::Contains("did you mean `ignore`?"));
    CHECK_THAT(only_error("[[rule]]\nkind = \"harness\"\naction = \"ignore\"\n").message,
               Catch::Contains("harness findings carry their own severity"));
    CHECK_THAT(only_error("[severity]\nharness = \"info\"\n").message,
               Catch::Contains("kind `harness` has no default"));
    CHECK_THAT(only_error("[severity]\ntmp = \"loud\"\n").message, Catch::Contains("unknown severity `loud`"));
    CHECK_THAT(only_error("[settings]\nfail-on = \"warn\"\n").message, Catch::Contains("did you mean `warning`?"));
}

TEST_CASE("a rule missing kind or action is reported at its rule header", "[rules][errors]") {
    Diagnostic no_kind = only_error("\n\n[[rule]]\naction = \"ignore\"\n");
    CHECK(position(no_kind) == "leakaudit.toml:3:1");
    CHECK_THAT(no_kind.message, Catch::Contains("[[rule]] has no `kind`"));
    Diagnostic no_action = only_error("[[rule]]\nkind = \"tmp\"\n");
    CHECK(position(no_action) == "leakaudit.toml:1:1");
    CHECK_THAT(no_action.message, Catch::Contains("[[rule]] has no `action`"));
}

TEST_CASE("bad glob points the caret at the offending character", "[rules][errors]") {
    Diagnostic d = only_error("[[rule]]\nkind = \"tmp\"\npath = \"/tmp/[abc\"\naction = \"info\"\n");
    CHECK(position(d) == "leakaudit.toml:3:14");
    CHECK_THAT(d.message, Catch::Contains("bad pattern for `path`: unclosed `[`"));
    CHECK(format_diagnostic(d) ==
          "leakaudit.toml:3:14: bad pattern for `path`: unclosed `[` in glob (write `[[]` for a literal `[`)\n"
          "    path = \"/tmp/[abc\"\n"
          "                 ^\n");
    // With escapes in the source the value is not verbatim: the caret falls back to the quote.
    Diagnostic escaped = only_error("[[rule]]\nkind = \"tmp\"\npath = \"\\u002Ftmp/[abc\"\naction = \"info\"\n");
    CHECK(position(escaped) == "leakaudit.toml:3:8");
}

TEST_CASE("bad regex, bad duration and bad port range", "[rules][errors]") {
    Diagnostic regex = only_error("[[rule]]\nkind = \"process\"\nname = 're:(a'\naction = \"info\"\n");
    CHECK(position(regex) == "leakaudit.toml:3:12");  // at the `(` left open
    CHECK_THAT(regex.message, Catch::Contains("bad pattern for `name`: bad regex"));
    Diagnostic duration = only_error("[settings]\ntimeout = \"5\"\n");
    CHECK(position(duration) == "leakaudit.toml:2:11");
    CHECK_THAT(duration.message,
               Catch::Contains("`timeout`: invalid duration `5`") && Catch::Contains("500ms, 2s, 5m"));
    Diagnostic port = only_error("[[rule]]\nkind = \"socket\"\nport = \"9100-9000\"\naction = \"info\"\n");
    CHECK(position(port) == "leakaudit.toml:3:8");
    CHECK_THAT(port.message, Catch::Contains("bad port range"));
    CHECK_THAT(only_error("[[rule]]\nkind = \"socket\"\nport = 70000\naction = \"info\"\n").message,
               Catch::Contains("bad port range"));
}

TEST_CASE("every problem in a file is reported, in file order", "[rules][errors]") {
    Parsed parsed = parse(R"([settings]
grace = "soon"
[severity]
tmp = "loud"
[[rule]]
kind = "process"
nmae = "a"
zzz = "b"
action = "ignore"
[[rule]]
kind = "nope"
action = "nope"
)");
    std::vector<int> lines;
    for (const Diagnostic& d : parsed.diagnostics)
        lines.push_back(d.line);
    CHECK(lines == std::vector<int>{2, 4, 7, 8, 11, 12});
}

TEST_CASE("missing file names what was looked for", "[rules][errors]") {
    Diagnostics diagnostics;
    read_rule_file("/nonexistent-leakaudit-dir/x.toml", "x.toml", diagnostics);
    REQUIRE(diagnostics.size() == 1);
    CHECK(format_diagnostic(diagnostics[0]) ==
          "x.toml: cannot open rules file (looked for /nonexistent-leakaudit-dir/x.toml)\n");
}

TEST_CASE("caret lines keep tabs and count code points", "[rules][errors]") {
    Diagnostic d{"f.toml", 1, 4, "m", "\té = x"};
    CHECK(format_diagnostic(d) == "f.toml:1:4: m\n    \té = x\n    \t  ^\n");
}

TEST_CASE("a very long line is quoted as a window around the column", "[rules][errors]") {
    std::string line = "x = \"" + std::string(10000, 'a') + "[\"";
    Diagnostic d{"f.toml", 1, 10006, "m", line};
    std::string text = format_diagnostic(d);
    CHECK(text.size() < 400);
    CHECK_THAT(text, Catch::Contains("...aaaa"));
    std::size_t quoted = text.find("...");
    std::size_t bracket = text.find('[', quoted);
    std::size_t caret_line_start = text.find('\n', quoted) + 1;
    CHECK(text.find('^', caret_line_start) - caret_line_start == bracket - text.rfind('\n', quoted) - 1);
}

}  // namespace leakaudit
