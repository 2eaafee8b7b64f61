// What `run` and `attach` do alike at the two ends of an audit: the report's head
// (version, run id, `fail_on`, when it began) and its end (findings past 1,000 per kind
// left out, duration, exit code, written where the output options say).
#pragma once

#include "app/options.hpp"
#include "core/exit_code.hpp"
#include "core/redact.hpp"
#include "core/report.hpp"

namespace leakaudit {

// The head of a new report; the audit begins now.
void begin_report(Report& report, Severity fail_on);

// Caps the findings, sets the duration and the exit code (core/report.hpp decides it),
// and writes the report (app/report_output).
ExitCode finish_report(Report& report, const OutputOptions& output, const RedactPatterns& redact_patterns);

}  // namespace leakaudit
