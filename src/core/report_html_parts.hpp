// The sections of the HTML report, each a pure function of the report returning markup
// (report_html.cpp assembles the page). Every report string passes html_escape.
#pragma once

#include <string>
#include <vector>

#include "core/report.hpp"

namespace leakaudit::html {

// <section id="findings">: by severity (error first, ignored last and folded), then kind;
// findings that share a user site under one heading first (core/finding_group.hpp).
std::string findings_section(const Report& report);

// <section id="processes">: the leaked processes nested by parent_in_run, with what each
// holds; "" when none leaked.
std::string process_tree_section(const Report& report);

// <section id="cycles">: the readings of a cycled run and a chart per grown series; ""
// when the run did not cycle.
std::string cycles_section(const Report& report);

}  // namespace leakaudit::html
