// Reading valid rules files and judging findings with them: settings, severities, every
// match key of every kind, first-match-wins, and the RuleRef a decision carries.
#include <catch2/catch.hpp>

#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;
using namespace std::chrono_literals;

TEST_CASE("settings and severity tables are read", "[rules][file]") {
    Parsed parsed = parse(R"(
[settings]
grace = "500ms"
timeout = "5m"
exit-timeout = "2s"
watch = ["/tmp", "/var/tmp"]
fail-on = "warning"

[severity]
process = "warning"
socket = "info"
fd = "ignore"
tmp = "error"
handle = "info"
)");
    REQUIRE(parsed.diagnostics.empty());
    const RuleSettings& s = parsed.rules.settings();
    CHECK(s.grace == 500ms);
    CHECK(s.timeout == 5min);
    CHECK(s.exit_timeout == 2s);
    CHECK(s.watch == std::vector<std::string>{"/tmp", "/var/tmp"});
    CHECK(s.fail_on == Severity::warning);
    CHECK(parsed.rules.default_severity(Kind::process) == Severity::warning);
    CHECK(parsed.rules.default_severity(Kind::socket) == Severity::info);
    CHECK(parsed.rules.default_severity(Kind::fd) == Severity::ignore);
    CHECK(parsed.rules.default_severity(Kind::handle) == Severity::info);
    CHECK(parsed.rules.severity_source(Kind::fd) == "leakaudit.toml");
    CHECK(parsed.rules.severity_source(Kind::harness) == "<builtin>");
}

TEST_CASE("built-in defaults are the contract's severities and no settings", "[rules][file]") {
    RuleSet rules = RuleSet::builtin();
    CHECK(rules.default_severity(Kind::process) == Severity::error);
    CHECK(rules.default_severity(Kind::socket) == Severity::error);
    CHECK(rules.default_severity(Kind::fd) == Severity::warning);
    CHECK(rules.default_severity(Kind::tmp) == Severity::error);
    CHECK(rules.default_severity(Kind::handle) == Severity::warning);
    CHECK_FALSE(rules.settings().grace);
    CHECK(rules.rules().empty());
}

TEST_CASE("process keys: name, exe, cmdline (args joined by spaces), user", "[rules][keys]") {
    Finding f = process_finding("sleep", {"sleep", "300"}, "/usr/bin/sleep", "alice");
    auto rule = [](const std::string& keys) { return "[[rule]]\nkind = \"process\"\naction = \"ignore\"\n" + keys; };
    CHECK(judge(rule("name = \"sleep\""), f) == Severity::ignore);
    CHECK(judge(rule("name = \"sl*\""), f) == Severity::ignore);
    CHECK(judge(rule("name = \"node\""), f) == Severity::error);
    CHECK(judge(rule("exe = \"/usr/bin/*\""), f) == Severity::ignore);
    CHECK(judge(rule("exe = \"/usr/*\""), f) == Severity::error);  // `*` stops at `/` in paths
    CHECK(judge(rule("cmdline = \"sleep 300\""), f) == Severity::ignore);
    CHECK(judge(rule("cmdline = \"sleep 3\""), f) == Severity::error);
    CHECK(judge(rule("cmdline = \"re:sleep [0-9]+\""), f) == Severity::ignore);
    CHECK(judge(rule("user = \"alice\""), f) == Severity::ignore);
    CHECK(judge(rule("user = \"bob\""), f) == Severity::error);
    CHECK(judge(rule("name = \"sleep\"\nuser = \"bob\""), f) == Severity::error);  // all keys must match
}

TEST_CASE("socket keys: proto, state, port (number or range), local, remote, path", "[rules][keys]") {
    Finding listen = socket_finding("tcp", "listen", 9229);
    Finding conn = socket_finding("tcp6", "established", 41234, "[::1]:5432");
    Finding unix_socket = socket_finding("unix", "listen", 0, "", "/tmp/app.sock");
    auto rule = [](const std::string& keys) { return "[[rule]]\nkind = \"socket\"\naction = \"info\"\n" + keys; };
    CHECK(judge(rule("proto = \"tcp*\""), conn) == Severity::info);
    CHECK(judge(rule("proto = \"udp\""), listen) == Severity::error);
    CHECK(judge(rule("state = \"listen\""), listen) == Severity::info);
    CHECK(judge(rule("state = \"listen\""), conn) == Severity::error);
    CHECK(judge(rule("port = 9229"), listen) == Severity::info);
    CHECK(judge(rule("port = \"9229\""), listen) == Severity::info);
    CHECK(judge(rule("port = \"9000-9300\""), listen) == Severity::info);
    CHECK(judge(rule("port = \"9000-9100\""), listen) == Severity::error);
    CHECK(judge(rule("local = \"127.0.0.1:*\""), listen) == Severity::info);
    CHECK(judge(rule("remote = \"[[]::1]:5432\""), conn) == Severity::info);
    CHECK(judge(rule("remote = \"*:5432\""), conn) == Severity::info);
    CHECK(judge(rule("path = \"/tmp/*.sock\""), unix_socket) == Severity::info);
    CHECK(judge(rule("path = \"/tmp/*.sock\""), listen) == Severity::error);
}

TEST_CASE("fd keys: type and target", "[rules][keys]") {
    Finding f = fd_finding(FdType::anon_inode, "anon_inode:[eventfd]");
    auto rule = [](const std::string& keys) { return "[[rule]]\nkind = \"fd\"\naction = \"ignore\"\n" + keys; };
    CHECK(judge(rule("type = \"anon_inode\""), f) == Severity::ignore);
    CHECK(judge(rule("type = \"pipe\""), f) == Severity::warning);
    CHECK(judge(rule("target = \"anon_inode:[[]eventfd]\""), f) == Severity::ignore);
    CHECK(judge(rule("target = \"re:anon_inode:\\\\[event.*\\\\]\""), f) == Severity::ignore);
}

TEST_CASE("tmp keys: path and type", "[rules][keys]") {
    Finding dir = tmp_finding("/tmp/plugin-abc", EntryType::dir);
    auto rule = [](const std::string& keys) { return "[[rule]]\nkind = \"tmp\"\naction = \"warning\"\n" + keys; };
    CHECK(judge(rule("path = \"/tmp/plugin-*\""), dir) == Severity::warning);
    CHECK(judge(rule("type = \"dir\""), dir) == Severity::warning);
    CHECK(judge(rule("type = \"file\""), dir) == Severity::error);
}

TEST_CASE("handle keys: type and detail", "[rules][keys]") {
    Finding f = handle_finding("Timeout", "setInterval 60000ms");
    auto rule = [](const std::string& keys) { return "[[rule]]\nkind = \"handle\"\naction = \"ignore\"\n" + keys; };
    CHECK(judge(rule("type = \"Timeout\""), f) == Severity::ignore);
    CHECK(judge(rule("detail = \"setInterval *\""), f) == Severity::ignore);
    CHECK(judge(rule("detail = \"setTimeout *\""), f) == Severity::warning);
}

TEST_CASE("a rule without match keys matches every finding of its kind only", "[rules][keys]") {
    std::string text = "[[rule]]\nkind = \"tmp\"\naction = \"info\"\n";
    CHECK(judge(text, tmp_finding("/tmp/x")) == Severity::info);
    CHECK(judge(text, process_finding("x", {})) == Severity::error);
}

TEST_CASE("a finding without its payload never matches a keyed rule", "[rules][keys]") {
    Finding bare;
    bare.kind = Kind::tmp;
    CHECK(judge("[[rule]]\nkind = \"tmp\"\npath = \"**\"\naction = \"info\"\n", bare) == Severity::error);
}

TEST_CASE("first matching rule wins and is recorded as a RuleRef", "[rules][apply]") {
    Parsed parsed = parse(R"(
[[rule]]
kind = "process"
name = "node"
action = "ignore"

[[rule]]
id = "sleepers"
kind = "process"
name = "sl*"
action = "info"
reason = "test sleeps"

[[rule]]
kind = "process"
name = "sleep"
action = "ignore"
)",
                          "proj.toml");
    REQUIRE(parsed.diagnostics.empty());
    std::vector<Finding> findings{process_finding("sleep", {"sleep", "1"}), process_finding("bash", {})};
    parsed.rules.apply(findings);
    CHECK(findings[0].severity == Severity::info);
    REQUIRE(findings[0].rule);
    CHECK(findings[0].rule->file == "proj.toml");
    CHECK(findings[0].rule->index == 2);
    CHECK(findings[0].rule->id == "sleepers");
    CHECK(findings[0].rule->reason == "test sleeps");
    CHECK(findings[1].severity == Severity::error);
    CHECK_FALSE(findings[1].rule);
}

TEST_CASE("harness findings are never touched by rules", "[rules][apply]") {
    Parsed parsed = parse("[severity]\nprocess = \"ignore\"\n");
    Finding harness;
    harness.kind = Kind::harness;
    harness.severity = Severity::warning;
    std::vector<Finding> findings{harness};
    parsed.rules.apply(findings);
    CHECK(findings[0].severity == Severity::warning);
    CHECK_FALSE(findings[0].rule);
}

TEST_CASE("apply clears a stale rule when no rule matches any more", "[rules][apply]") {
    std::vector<Finding> findings{tmp_finding("/tmp/x")};
    findings[0].rule = RuleRef{"old.toml", 1, "", ""};
    RuleSet::builtin().apply(findings);
    CHECK_FALSE(findings[0].rule);
    CHECK(findings[0].severity == Severity::error);
}

TEST_CASE("merging: later files override settings and severities, rules concatenate", "[rules][merge]") {
    Diagnostics diagnostics;
    RuleSet rules = RuleSet::builtin();
    rules.merge(parse_rule_file(std::string_view(R"(
[settings]
grace = "1s"
timeout = "1m"
[severity]
tmp = "warning"
fd = "info"
[[rule]]
kind = "tmp"
path = "/tmp/a*"
action = "info"
)"),
                                "first.toml", diagnostics));
    rules.merge(parse_rule_file(std::string_view(R"(
[settings]
grace = "3s"
[severity]
tmp = "ignore"
[[rule]]
kind = "tmp"
path = "/tmp/ab"
action = "error"
)"),
                                "second.toml", diagnostics));
    REQUIRE(diagnostics.empty());
    CHECK(rules.settings().grace == 3s);
    CHECK(rules.settings().timeout == 1min);  // untouched by the second file
    CHECK(rules.default_severity(Kind::tmp) == Severity::ignore);
    CHECK(rules.default_severity(Kind::fd) == Severity::info);
    REQUIRE(rules.rules().size() == 2);
    CHECK(rules.rules()[0].file == "first.toml");
    CHECK(rules.rules()[1].file == "second.toml");
    CHECK(rules.rules()[1].index == 1);
    // The earlier file's rule comes first, so it wins for /tmp/ab.
    std::vector<Finding> findings{tmp_finding("/tmp/ab"), tmp_finding("/tmp/zz")};
    rules.apply(findings);
    CHECK(findings[0].severity == Severity::info);
    CHECK(findings[1].severity == Severity::ignore);
}

TEST_CASE("parsing from a stream equals parsing the text", "[rules][file]") {
    std::istringstream in("[[rule]]\nkind = \"fd\"\naction = \"ignore\"\n");
    Diagnostics diagnostics;
    RuleFile file = parse_rule_file(in, "s.toml", diagnostics);
    CHECK(diagnostics.empty());
    REQUIRE(file.rules.size() == 1);
    CHECK(file.rules[0].kind == Kind::fd);
}

}  // namespace leakaudit
