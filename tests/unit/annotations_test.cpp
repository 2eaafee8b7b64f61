// GitHub workflow-command annotations on plain data: one line per finding, escaped as
// @actions/core escapes them, so no message can end the line or forge a command.
#include <catch2/catch.hpp>

#include "snapshot_builder.hpp"

#include <sstream>

#include "core/report.hpp"
#include "core/report_annotations.hpp"
#include "core/text_bytes.hpp"

using namespace leakaudit;
using namespace leakaudit::test;
using namespace std::string_literals;

namespace {

std::string annotations(const Report& r) {
    std::ostringstream out;
    write_github_annotations(r, out);
    return out.str();
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

}  // namespace

TEST_CASE("one annotation per finding that is not ignored, by severity", "[annotations]") {
    Report r;
    r.findings = {finding(Kind::process, Severity::error, "process:6f1c2a9e", "process 4250 (sleep) is still running"),
                  finding(Kind::fd, Severity::warning, "fd:11111111", "fd 7 (pipe) still open"),
                  finding(Kind::socket, Severity::info, "socket:22222222", "socket 127.0.0.1:9229 listening"),
                  finding(Kind::tmp, Severity::ignore, "tmp:33333333", "new folder /tmp/x")};
    std::vector<std::string> out = lines(annotations(r));
    REQUIRE(out.size() == 3);
    CHECK(out[0] ==
          "::error title=leakaudit%3A leaked process (process%3A6f1c2a9e)::process 4250 (sleep) is still running");
    CHECK(out[1] == "::warning title=leakaudit%3A leaked descriptor (fd%3A11111111)::fd 7 (pipe) still open");
    CHECK(out[2] == "::notice title=leakaudit%3A leaked socket (socket%3A22222222)::socket 127.0.0.1:9229 listening");
    CHECK(annotations(Report{}).empty());
}

TEST_CASE("details follow the message on escaped lines", "[annotations]") {
    Report r;
    Finding f = finding(Kind::process, Severity::error, "process:1", "process 9 (node) is still running");
    f.resources.push_back({std::nullopt, std::nullopt, "holds 0.0.0.0:8080 listening", std::nullopt});
    f.attribution = Attribution::descendant;
    f.hint = "close the server in onStop()";
    f.rule = RuleRef{"leakaudit.toml", 2, "", "servers must stop"};
    r.findings.push_back(f);
    CHECK(annotations(r) ==
          "::error title=leakaudit%3A leaked process (process%3A1)::process 9 (node) is still running"
          "%0A  holds 0.0.0.0:8080 listening%0Aattributed by descendant%0Ahint: close the server in onStop()"
          "%0Arule: leakaudit.toml#2: servers must stop\n");
}

TEST_CASE("percent, CR and LF are escaped everywhere, colon and comma in properties too", "[annotations]") {
    CHECK(escape_workflow_command("50% done\r\nnext: a,b", AnnotationPart::message) == "50%25 done%0D%0Anext: a,b");
    CHECK(escape_workflow_command("50% done\r\nnext: a,b", AnnotationPart::property) ==
          "50%25 done%0D%0Anext%3A a%2Cb");
    CHECK(escape_workflow_command("%0A", AnnotationPart::message) == "%250A");  // no double meaning
}

TEST_CASE("a hostile message cannot forge a workflow command or break the line", "[annotations]") {
    Report r;
    r.findings.push_back(finding(Kind::tmp, Severity::warning, "tmp:1,x",
                                 "x\n::error::forged\r\n::stop-commands::t\x1b[2J \xff\xfe tab\tend\x00!"s));
    std::string out = annotations(r);
    std::vector<std::string> got = lines(out);
    REQUIRE(got.size() == 1);
    CHECK(got[0] ==
          "::warning title=leakaudit%3A leaked temp entry (tmp%3A1%2Cx)::x%0A::error::forged%0D%0A::stop-commands::t"
          "\\x1B[2J \xEF\xBF\xBD\xEF\xBF\xBD tab\tend\\x00!");
}
