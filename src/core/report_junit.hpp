// The JUnit XML report (--junit FILE): what CI systems (GitLab, Jenkins, GitHub test
// reporters) render as a test run, so a leak shows up where failed tests do.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/report.hpp"

namespace leakaudit {

// One <testsuite name="leakaudit"> (inside <testsuites>): a `harness` testcase, one
// testcase per finding (a <failure> at or above report.fail_on, passing with
// <system-out> below it, <skipped/> when ignored), and one passing testcase per kind
// that has no findings, so a clean run still lists its checks.
void write_report_junit(const Report& report, std::ostream& out);

// `bytes` as XML 1.0 character data: invalid UTF-8 and characters XML 1.0 forbids
// (control characters, U+FFFE, U+FFFF) become U+FFFD; markup characters are escaped.
// For attributes, tab, newline and carriage return are escaped too so they survive
// attribute-value normalization.
enum class XmlContext { text, attribute };
std::string xml_escape(std::string_view bytes, XmlContext context);

}  // namespace leakaudit
