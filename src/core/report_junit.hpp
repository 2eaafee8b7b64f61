// The JUnit XML report (--junit FILE): what CI systems (GitLab, Jenkins, GitHub test
// reporters) render as a test run, so a leak shows up where failed tests do.
#pragma once

#include <ostream>

#include "core/report.hpp"

namespace leakaudit {

// One <testsuite name="leakaudit"> (inside <testsuites>): a `harness` testcase, one
// testcase per finding (a <failure> at or above report.fail_on, passing with
// <system-out> below it, <skipped/> when ignored), and one passing testcase per kind
// that has no findings, so a clean run still lists its checks.
void write_report_junit(const Report& report, std::ostream& out);

}  // namespace leakaudit
