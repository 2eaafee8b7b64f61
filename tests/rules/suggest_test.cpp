// Suggested rules silence exactly the current findings: parse the snippet, apply it to
// the same findings, and every one becomes `ignore`; unrelated findings stay as they were.
#include <catch2/catch.hpp>

#include "rules/suggest.hpp"
#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;

namespace {

std::vector<Finding> awkward_findings() {
    std::vector<Finding> findings{
        process_finding("sleep", {"sleep", "300"}),
        process_finding("node", {"node", "-e", "setInterval(()=>{}, 1e3) /* [*?] \\ \"quoted\" */"}),
        process_finding("kworker/0:1", {}),
        process_finding("weird", {"weird", "caf\xe9", "\xff\xfe*"}),
        process_finding("tab", {"a\tb", "line\nbreak", "\x01"}),
        socket_finding("tcp", "listen", 9229),
        socket_finding("tcp6", "established", 41234, "[::1]:5432"),
        socket_finding("unix", "listen", 0, "", "/tmp/app[1].sock"),
        socket_finding("unix", "established", 0, "", ""),
        fd_finding(FdType::anon_inode, "anon_inode:[eventfd]"),
        fd_finding(FdType::file, "/tmp/\xc3\x28 deleted?"),
        tmp_finding("/tmp/plugin-*weird*", EntryType::dir),
        tmp_finding("/tmp/\x80\x81raw", EntryType::file),
        tmp_finding("/tmp/re:not-a-regex"),
        handle_finding("Timeout", "setInterval 60000ms"),
    };
    for (Finding& f : findings)
        f.message = "leak";
    return findings;
}

}  // namespace

// README "Trust": rules of your own that soften a finding name processes by their
// executable, since a process can call itself anything; suggested ones do the same.
TEST_CASE("a suggested process rule names the executable when it is known", "[rules][suggest]") {
    std::vector<Finding> findings{process_finding("sleep", {"sleep", "300"}, "/usr/bin/sleep"),
                                  process_finding("kworker/0:1", {})};
    std::string snippet = suggest_rules(findings);
    INFO(snippet);
    CHECK_THAT(snippet, Catch::Contains("exe = \"/usr/bin/sleep\"\ncmdline = \"sleep 300\""));
    CHECK_THAT(snippet, Catch::Contains("name = \"kworker/0:1\""));
    CHECK_THAT(snippet, !Catch::Contains("name = \"sleep\""));
    Parsed parsed = parse(snippet, "suggested.toml");
    REQUIRE(parsed.diagnostics.empty());
    parsed.rules.apply(findings);
    for (const Finding& f : findings)
        CHECK(f.severity == Severity::ignore);
    std::vector<Finding> renamed{process_finding("sleep", {"sleep", "300"}, "/tmp/evil/sleep")};
    parsed.rules.apply(renamed);
    CHECK(renamed[0].severity != Severity::ignore);
}

TEST_CASE("suggested rules round-trip: they ignore exactly the findings they came from", "[rules][suggest]") {
    std::vector<Finding> findings = awkward_findings();
    RuleSet::builtin().apply(findings);
    std::string snippet = suggest_rules(findings);
    INFO(snippet);
    Parsed parsed = parse(snippet, "suggested.toml");
    INFO(all_messages(parsed.diagnostics));
    REQUIRE(parsed.diagnostics.empty());
    CHECK(parsed.rules.rules().size() == findings.size());
    parsed.rules.apply(findings);
    for (const Finding& f : findings) {
        CHECK(f.severity == Severity::ignore);
        REQUIRE(f.rule);
        CHECK(f.rule->reason == "TODO: why this is expected");
    }
}

TEST_CASE("suggested rules are precise: near misses keep their severity", "[rules][suggest]") {
    std::vector<Finding> findings = awkward_findings();
    RuleSet::builtin().apply(findings);
    Parsed parsed = parse(suggest_rules(findings));
    REQUIRE(parsed.diagnostics.empty());
    std::vector<Finding> others{
        process_finding("sleep", {"sleep", "301"}),
        process_finding("node", {"node", "-e", "setInterval(()=>{}, 1e3) /* x?] \\ \"quoted\" */"}),
        socket_finding("tcp", "listen", 9230),
        tmp_finding("/tmp/plugin-Xweird*", EntryType::dir),
        tmp_finding("/tmp/\x80\x81raw/inside"),
        handle_finding("Timeout", "setInterval 1ms"),
    };
    parsed.rules.apply(others);
    for (const Finding& f : others)
        CHECK(f.severity != Severity::ignore);
}

TEST_CASE("non-UTF-8 values become `re:` patterns, and others are escaped globs", "[rules][suggest]") {
    std::vector<Finding> findings{tmp_finding("/tmp/\xff"
                                              "a.b"),
                                  tmp_finding("/tmp/a*b")};
    std::string snippet = suggest_rules(findings);
    CHECK_THAT(snippet, Catch::Contains("path = \"re:/tmp/.a\\\\.b\""));
    CHECK_THAT(snippet, Catch::Contains("path = \"/tmp/a[*]b\""));
}

TEST_CASE("ignored and harness findings get no suggestion, and duplicates get one", "[rules][suggest]") {
    Finding ignored = tmp_finding("/tmp/a");
    ignored.severity = Severity::ignore;
    Finding harness;
    harness.kind = Kind::harness;
    std::vector<Finding> findings{ignored, harness};
    CHECK(suggest_rules(findings).empty());
    std::vector<Finding> twins{process_finding("sleep", {"sleep", "1"}), process_finding("sleep", {"sleep", "1"})};
    std::string snippet = suggest_rules(twins);
    CHECK(snippet.find("[[rule]]") == snippet.rfind("[[rule]]"));
}

}  // namespace leakaudit

namespace leakaudit {

using namespace leakaudit::test;

TEST_CASE("suggested rules from redacted findings match the real values behind `***`", "[rules][suggest][redact]") {
    std::vector<Finding> real{process_finding("worker", {"worker", "--password=hunter2", "--port=80"}),
                              tmp_finding("/tmp/up?token=ab/cd"), handle_finding("Timeout", "token=xyz")};
    std::vector<Finding> shown{process_finding("worker", {"worker", "--password=***", "--port=80"}),
                               tmp_finding("/tmp/up?token=***"), handle_finding("Timeout", "token=***")};
    std::string snippet = suggest_rules(shown, SuggestValues::redacted);
    INFO(snippet);
    CHECK(snippet.find("hunter2") == std::string::npos);
    CHECK_THAT(snippet, Catch::Contains("cmdline = \"worker --password=* --port=*\""));
    CHECK_THAT(snippet, Catch::Contains("path = \"/tmp/up[?]token=**\""));
    Parsed parsed = parse(snippet);
    REQUIRE(parsed.diagnostics.empty());
    parsed.rules.apply(real);
    for (const Finding& f : real)
        CHECK(f.severity == Severity::ignore);
    std::vector<Finding> other{process_finding("worker", {"worker", "--password=x", "--verbose"})};
    parsed.rules.apply(other);
    CHECK(other[0].severity != Severity::ignore);
}

// Regression (issue 12): `--suggest-rules` said `path = "/tmp/weather-sync-MIFV7y"`, which
// failed again on the next run, where mktemp picks another suffix.
TEST_CASE("suggested rules fold run-specific parts the way finding ids do", "[rules][suggest]") {
    std::vector<Finding> findings{tmp_finding("/tmp/weather-sync-MIFV7y", EntryType::dir),
                                  process_finding("node", {"node", "server.js", "--port=41389"}),
                                  handle_finding("TCPServerWrap", "listening on 127.0.0.1:34307")};
    std::string snippet = suggest_rules(findings);
    INFO(snippet);
    CHECK_THAT(snippet, Catch::Contains("path = \"/tmp/weather-sync-*\""));
    CHECK_THAT(snippet, Catch::Contains("cmdline = \"node server.js --port=*\""));
    CHECK_THAT(snippet, Catch::Contains("detail = \"listening on 127.0.0.1:*\""));
    Parsed parsed = parse(snippet);
    REQUIRE(parsed.diagnostics.empty());
    std::vector<Finding> next_run{tmp_finding("/tmp/weather-sync-q2Xz9a", EntryType::dir),
                                  process_finding("node", {"node", "server.js", "--port=33677"}),
                                  handle_finding("TCPServerWrap", "listening on 127.0.0.1:40111")};
    parsed.rules.apply(next_run);
    for (const Finding& f : next_run)
        CHECK(f.severity == Severity::ignore);
    std::vector<Finding> others{
        tmp_finding("/tmp/weather-other-q2Xz9a", EntryType::dir), tmp_finding("/tmp/weather-sync-q2Xz9a/inside"),
        process_finding("node", {"node", "other.js", "--port=33677"}), process_finding("sleep", {"sleep", "300"})};
    parsed.rules.apply(others);
    for (const Finding& f : others)
        CHECK(f.severity != Severity::ignore);
}

TEST_CASE("a name that is all run-specific stays literal: no rule silences all of /tmp", "[rules][suggest]") {
    std::string snippet = suggest_rules({tmp_finding("/tmp/5f3a9b2c1d77", EntryType::dir)});
    INFO(snippet);
    CHECK_THAT(snippet, Catch::Contains("path = \"/tmp/5f3a9b2c1d77\""));
    // Short numbers in a command line are the program's own ("sleep 300"), not the run's.
    CHECK_THAT(suggest_rules({process_finding("sleep", {"sleep", "300"})}), Catch::Contains("cmdline = \"sleep 300\""));
}

}  // namespace leakaudit
