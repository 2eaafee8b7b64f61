// Exit-code decision, summaries, durations and the JSON report on plain data.
#include <catch2/catch.hpp>

#include "snapshot_builder.hpp"

#include <sstream>

#include "core/duration.hpp"
#include "core/report.hpp"
#include "core/report_json.hpp"
#include "core/report_text.hpp"
#include "core/text_bytes.hpp"

using namespace leakaudit;
using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

Report clean_report() {
    Report r;
    r.harness.started = true;
    r.harness.exit_code = 0;
    r.command = {"node", "harness.mjs"};
    return r;
}

}  // namespace

TEST_CASE("exit code: 0 clean, 1 at or above fail-on, 3 when the harness failed", "[exit]") {
    Report r = clean_report();
    CHECK(decide_exit_code(r) == ExitCode::ok);
    r.findings.push_back(finding(Kind::fd, Severity::warning));
    CHECK(decide_exit_code(r) == ExitCode::ok);
    r.fail_on = Severity::warning;
    CHECK(decide_exit_code(r) == ExitCode::leaks);
    r.findings = {finding(Kind::process, Severity::ignore)};
    r.fail_on = Severity::info;
    CHECK(decide_exit_code(r) == ExitCode::ok);  // ignored findings never fail a run
    r.findings.push_back(finding(Kind::process, Severity::error));
    CHECK(decide_exit_code(r) == ExitCode::leaks);
    r.harness.exit_code = 7;
    CHECK(decide_exit_code(r) == ExitCode::harness_failed);  // 3 wins over 1
}

TEST_CASE("every harness failure mode is exit 3", "[exit]") {
    for (auto mutate : std::vector<void (*)(HarnessOutcome&)>{[](HarnessOutcome& h) { h.started = false; },
                                                              [](HarnessOutcome& h) {
                                                                  h.exit_code.reset();
                                                                  h.signal = 9;
                                                              },
                                                              [](HarnessOutcome& h) { h.timed_out = true; },
                                                              [](HarnessOutcome& h) { h.exit_timed_out = true; }}) {
        Report r = clean_report();
        mutate(r.harness);
        CHECK(decide_exit_code(r) == ExitCode::harness_failed);
    }
}

TEST_CASE("summary counts by severity and kind, ignored apart", "[report]") {
    std::vector<Finding> f{finding(Kind::process, Severity::error), finding(Kind::process, Severity::ignore),
                           finding(Kind::tmp, Severity::warning)};
    Summary s = summarize(f);
    CHECK(s.count(Severity::error) == 1);
    CHECK(s.count(Severity::warning) == 1);
    CHECK(s.ignored == 1);
    CHECK(s.by_kind.at("process") == 1);
    CHECK(s.by_kind.at("tmp") == 1);
}

TEST_CASE("durations need a unit and reject garbage", "[duration]") {
    CHECK(parse_duration("500ms") == 500ms);
    CHECK(parse_duration("2s") == 2000ms);
    CHECK(parse_duration("5m") == 300'000ms);
    CHECK(parse_duration("1m30s") == 90'000ms);
    CHECK_FALSE(parse_duration("2x"));
    CHECK_FALSE(parse_duration("2"));
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("s"));
    CHECK_FALSE(parse_duration("-1s"));
    CHECK_FALSE(parse_duration("99999999999999999999s"));
}

TEST_CASE("non-UTF-8 command lines and paths give valid JSON and keep their bytes", "[json]") {
    Report r = clean_report();
    Finding f = finding(Kind::process, Severity::error);
    Process p;
    p.name = "bad\xff";
    p.cmdline = {"sleep", std::string("arg\xfe\xff\n", 6)};
    f.process = p;
    r.findings.push_back(f);
    Finding t = finding(Kind::tmp, Severity::error);
    t.tmp = TmpEntry{};
    t.tmp->path = "/tmp/x\xc3\x28y";
    r.findings.push_back(t);
    std::ostringstream out;
    write_report_json(r, out);
    nlohmann::json j = nlohmann::json::parse(out.str());  // throws on invalid UTF-8
    const auto& pj = j["findings"][0];
    CHECK(pj["cmdline"][1] == "arg\xEF\xBF\xBD\xEF\xBF\xBD\n");
    CHECK(pj["cmdline_base64"][1] == base64_encode(std::string("arg\xfe\xff\n", 6)));
    CHECK(pj["name_base64"] == base64_encode("bad\xff"));
    CHECK(j["findings"][1]["path_base64"] == base64_encode("/tmp/x\xc3\x28y"));
    CHECK_FALSE(j["findings"][1].contains("cmdline"));
}

TEST_CASE("valid UTF-8 is written as is, without a base64 twin", "[json]") {
    nlohmann::ordered_json j;
    put_bytes(j, "path", "/tmp/plügin-✓");
    CHECK(j["path"] == "/tmp/plügin-✓");
    CHECK_FALSE(j.contains("path_base64"));
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));  // a surrogate
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
    CHECK(base64_encode("ab") == "YWI=");
}

TEST_CASE("the JSON report carries the contract's fields", "[json]") {
    Report r = clean_report();
    r.version = "0.1.0";
    r.started_at_ms = 1'795'000'000'000;
    std::ostringstream out;
    write_report_json(r, out);
    auto j = nlohmann::json::parse(out.str());
    CHECK(j["schema"] == "leakaudit.report/1");
    CHECK(j["tool"]["name"] == "leakaudit");
    CHECK(j["command"] == nlohmann::json::array({"node", "harness.mjs"}));
    CHECK(j["started_at"] == "2026-11-18T11:06:40Z");
    for (const char* key : {"duration_ms", "harness", "summary", "findings"})
        CHECK(j.contains(key));
    CHECK(j["harness"]["signal"].is_null());
}

TEST_CASE("the text report escapes control characters in names", "[text]") {
    CHECK(escape_for_terminal("a\nb\x1b[31m") == "a\\nb\\x1b[31m");
    Report r = clean_report();
    std::ostringstream out;
    write_report_text(r, 0, Color::off, Verbosity::normal, out);
    CHECK(out.str().find("0 errors, 0 warnings") != std::string::npos);
    CHECK(out.str().find("\033[") == std::string::npos);
}

TEST_CASE("the text report folds a leaked tree: capped resources, rule said once", "[text]") {
    Report r = clean_report();
    r.harness.pid = 100;
    RuleRef rule{"chromium.toml", 2, "browser-process", "a leaked browser is a real leak"};
    Finding root = finding(Kind::process, Severity::error);
    root.process = Process{};
    root.process->id = {200, 1};
    root.process->name = "chromium";
    root.rule = rule;
    root.parent_in_run = 100;
    for (int i = 0; i < 20; ++i)
        root.resources.push_back(
            HeldResource{std::nullopt, std::nullopt, "holds /tmp/f" + std::to_string(i), std::nullopt});
    root.resources.push_back(HeldResource{std::nullopt, std::nullopt, "holds /memfd:x (deleted)", std::nullopt});
    root.resources.push_back(HeldResource{std::nullopt, std::nullopt, "holds /memfd:x (deleted)", std::nullopt});
    Finding child = root;
    child.process->id = {201, 2};
    child.parent_in_run = 200;
    child.resources.clear();
    r.findings = {root, child};
    std::ostringstream out;
    write_report_text(r, 0, Color::off, Verbosity::normal, out);
    std::string text = out.str();
    CHECK(text.find("… and 16 more") != std::string::npos);
    std::size_t first = text.find("rule browser-process");
    REQUIRE(first != std::string::npos);
    CHECK(text.find("rule browser-process", first + 1) == std::string::npos);  // the child shares it
    CHECK(text.find("└─ 201 chromium") != std::string::npos);
}
