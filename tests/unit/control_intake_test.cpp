// A flooded control channel: the first few findings, then one count.
#include <catch2/catch.hpp>

#include "core/control_intake.hpp"
#include "core/report.hpp"

using namespace leakaudit;

namespace {

ControlEvent invalid(int line) {
    Error error;
    error.message = "not a JSON object";
    error.line = line;
    return unexpected(std::move(error));
}

ControlEvent handles(int n) {
    ControlMessage m;
    m.type = ControlMessage::Type::handles;
    for (int i = 0; i < n; ++i)
        m.handles.push_back({"Timeout", std::to_string(i)});
    return m;
}

}  // namespace

TEST_CASE("invalid lines past the limit become one summary finding", "[control]") {
    ControlIntake intake({3, 100});
    for (int i = 1; i <= 10; ++i)
        intake.add(invalid(i));
    intake.set_skipped_lines(42);
    auto findings = intake.findings();
    REQUIRE(findings.size() == 5);
    CHECK(findings[3].message == "7 more invalid control channel lines ignored");
    CHECK(findings[4].message.starts_with("42 more control channel lines ignored"));
}

TEST_CASE("handle items past the limit are counted, summary ids do not depend on counts", "[control]") {
    ControlIntake a({20, 5});
    a.add(handles(3));
    a.add(handles(4));
    ControlIntake b({20, 5});
    b.add(handles(9));
    auto fa = a.findings();
    auto fb = b.findings();
    REQUIRE(fa.size() == 6);  // a summary, then 5 handles
    CHECK(fa[0].message.starts_with("2 more handle items ignored"));
    CHECK(fb[0].message.starts_with("4 more handle items ignored"));
    CHECK(fa[0].id == fb[0].id);
}

TEST_CASE("findings past the per-kind cap are left out, most severe kept, and still counted", "[report]") {
    Report r;
    r.mode = ReportMode::diff;  // no harness outcome to judge
    for (int i = 0; i < 5; ++i) {
        Finding f;
        f.kind = Kind::handle;
        f.severity = i == 4 ? Severity::error : Severity::warning;
        r.findings.push_back(f);
    }
    Finding p;
    p.kind = Kind::process;
    r.findings.push_back(p);
    cap_findings_per_kind(r, 2);
    REQUIRE(r.findings.size() == 3);
    CHECK(r.findings[1].severity == Severity::error);  // kept, in its original order
    CHECK(omitted_count(r, Kind::handle) == 3);
    CHECK(omitted_count(r, Kind::process) == 0);
    Summary s = summarize(r);
    CHECK(s.count(Severity::warning) == 4);
    CHECK(s.count(Severity::error) == 2);
    CHECK(decide_exit_code(r) == ExitCode::leaks);
}
