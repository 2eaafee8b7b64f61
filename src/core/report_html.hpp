// The HTML report (--html FILE, README "Reports": HTML): one self-contained HTML5 page
// for people who would rather look than read: the verdict, the findings by severity and
// kind, the leaked process tree, and a chart per grown quantity of a cycled run. Inline
// CSS and SVG only: no script, and no address of anything to load (its Content Security
// Policy forbids loading anything), so it opens the same offline, archived, or attached.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/report.hpp"

namespace leakaudit {

std::string report_html(const Report& report);
void write_report_html(const Report& report, std::ostream& out);

// `bytes` as HTML text or a quoted attribute value: & < > " ' escaped, invalid UTF-8,
// NUL, control characters other than tab, newline and carriage return, and Unicode
// noncharacters shown as U+FFFD, which an HTML5 parser would otherwise report as errors.
std::string html_escape(std::string_view bytes);

}  // namespace leakaudit
