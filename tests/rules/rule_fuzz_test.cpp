// Hostile input never crashes the reader: truncated files, binary bytes, deep nesting,
// huge numbers and very long strings each yield diagnostics (or a clean parse).
#include <catch2/catch.hpp>

#include "rules/pattern.hpp"
#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;

namespace {

const std::string k_valid = R"([settings]
grace = "2s"
watch = ["/tmp", "/dev/shm"]

[severity]
tmp = "warning"

[[rule]]
kind = "process"
name = "chrome_crashpad*"
cmdline = "re:.*--type=[a-z]+.*"
action = "ignore"
reason = "why"

[[rule]]
kind = "socket"
port = "9000-9100"
action = "info"
)";

struct FuzzCase {
    const char* name;
    std::string text;
    bool expect_errors;
};

std::vector<FuzzCase> fuzz_cases() {
    std::vector<FuzzCase> cases{
        {"empty", "", false},
        {"only a BOM", "\xEF\xBB\xBF", false},
        {"binary bytes", std::string("\x00\x01\xff\xfe[[rule]]\x80", 11), true},
        {"NUL inside a string", std::string("[[rule]]\nkind = \"tm\0p\"\n", 24), true},
        {"invalid UTF-8 in a string", "[[rule]]\nkind = \"tmp\"\npath = \"/tmp/\xff\"\naction = \"info\"\n", true},
        {"deeply nested arrays", "x = " + std::string(100000, '['), true},
        {"deeply nested inline tables", "x = " + std::string(50000, '{'), true},
        {"deeply nested in a rule",
         "[[rule]]\nkind = \"tmp\"\npath = " + std::string(5000, '[') + std::string(5000, ']'), true},
        {"huge integer", "[[rule]]\nkind = \"socket\"\nport = 99999999999999999999999999\naction = \"info\"\n", true},
        {"int64 max port", "[[rule]]\nkind = \"socket\"\nport = 9223372036854775807\naction = \"info\"\n", true},
        {"negative port", "[[rule]]\nkind = \"socket\"\nport = -1\naction = \"info\"\n", true},
        {"huge duration", "[settings]\ngrace = \"99999999999999999999h\"\n", true},
        {"very long glob",
         "[[rule]]\nkind = \"tmp\"\npath = \"" + std::string(1'000'000, '*') + "\"\naction = \"info\"\n", true},
        {"very long regex",
         "[[rule]]\nkind = \"tmp\"\npath = \"re:" + std::string(200'000, '(') + "\"\naction = \"info\"\n", true},
        {"regex nested to the length limit",
         "[[rule]]\nkind = \"tmp\"\npath = \"re:" + std::string(2000, '(') + "a" + std::string(2000, ')') +
             "\"\naction = \"info\"\n",
         false},
        {"regex repetition blow-up", "[[rule]]\nkind = \"tmp\"\npath = \"re:(a{1000}){1000}\"\naction = \"info\"\n",
         true},
        {"regex back-reference", "[[rule]]\nkind = \"tmp\"\npath = \"re:(a)\\\\1\"\naction = \"info\"\n", true},
        {"very long key", std::string(100'000, 'k') + " = 1\n", true},
        {"very long reason",
         "[[rule]]\nkind = \"tmp\"\naction = \"info\"\nreason = \"" + std::string(1'000'000, 'r') + "\"\n", false},
        {"many rules",
         [] {
             std::string text;
             for (int i = 0; i < 2000; ++i)
                 text += "[[rule]]\nkind = \"tmp\"\naction = \"info\"\n";
             return text;
         }(),
         false},
        {"many errors",
         [] {
             std::string text;
             for (int i = 0; i < 2000; ++i)
                 text += "[[rule]]\nkind = \"nope\"\n";
             return text;
         }(),
         true},
        {"redefined table", "[settings]\n[settings]\n", true},
        {"dotted keys into rule", "rule.kind = \"tmp\"\n", true},
        {"array of arrays for rule", "rule = [[1], [2]]\n", true},
        {"CRLF line ends", "[[rule]]\r\nkind = \"tmp\"\r\nnmae = \"x\"\r\naction = \"info\"\r\n", true},
    };
    // Every prefix of a valid file: truncation anywhere must be a diagnostic or a clean parse.
    for (std::size_t cut = 0; cut <= k_valid.size(); cut += 7) {
        cases.push_back({"truncated", k_valid.substr(0, cut), false});
    }
    // Each byte of the valid file replaced by a byte that breaks TOML or UTF-8.
    for (std::size_t at = 0; at < k_valid.size(); at += 11) {
        std::string text = k_valid;
        text[at] = '\xC3';
        cases.push_back({"corrupted byte", text, true});
    }
    return cases;
}

}  // namespace

TEST_CASE("hostile rules files produce diagnostics, never a crash", "[rules][fuzz]") {
    for (const FuzzCase& c : fuzz_cases()) {
        INFO(c.name << " (" << c.text.size() << " bytes)");
        Parsed parsed = parse(c.text);
        if (c.expect_errors) CHECK_FALSE(parsed.diagnostics.empty());
        for (const Diagnostic& d : parsed.diagnostics) {
            CHECK(d.file == "leakaudit.toml");
            CHECK(d.line >= 1);
            CHECK(d.column >= 1);
            CHECK_FALSE(d.message.empty());
            std::string text = format_diagnostic(d);
            CHECK(text.size() < 2000);  // long lines are windowed, not dumped
        }
        // Whatever loaded must be safe to apply.
        std::vector<Finding> findings{tmp_finding("/tmp/x"), process_finding("p", {"p"}),
                                      socket_finding("tcp", "listen", 9050)};
        parsed.rules.apply(findings);
    }
}

TEST_CASE("truncations of a valid file that cut inside a value are errors", "[rules][fuzz]") {
    // Cutting right after an opening quote always leaves an unterminated string.
    std::size_t quote = k_valid.find("\"2s\"");
    CHECK_FALSE(parse(k_valid.substr(0, quote + 1)).diagnostics.empty());
    CHECK(parse(k_valid).diagnostics.empty());
}

TEST_CASE("the stream reader refuses absurdly large input", "[rules][fuzz]") {
    std::istringstream in(std::string(k_max_rule_file_bytes + 10, '#'));
    Diagnostics diagnostics;
    parse_rule_file(in, "big.toml", diagnostics);
    REQUIRE(diagnostics.size() == 1);
    CHECK_THAT(diagnostics[0].message, Catch::Contains("larger than"));
}

TEST_CASE("a regex that is valid but heavy on a long subject does not crash", "[rules][fuzz]") {
    Result<Pattern, PatternError> pattern = Pattern::compile("re:(a|b)*c", GlobMode::text);
    REQUIRE(pattern);
    CHECK_FALSE(pattern->matches(std::string(200000, 'a')));  // a command line near ARG_MAX scale
}

}  // namespace leakaudit
