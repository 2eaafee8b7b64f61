// The run id is eight random bytes in hex (os/random): what LEAKAUDIT_RUN_ID carries.
#include "app/audit_report.hpp"

#include "app/report_output.hpp"
#include "app/version.hpp"
#include "os/clock.hpp"
#include "os/random.hpp"

namespace leakaudit {

void begin_report(Report& report, Severity fail_on) {
    report.version = LEAKAUDIT_VERSION;
    report.revision = LEAKAUDIT_GIT_REVISION;
    report.run_id = os::random_hex(8);
    report.fail_on = fail_on;
    report.started_at_ms = os::now_unix_ms();
}

ExitCode finish_report(Report& report, const OutputOptions& output, const RedactPatterns& redact_patterns) {
    cap_findings_per_kind(report);
    report.duration_ms = os::now_unix_ms() - report.started_at_ms;
    report.exit_code = decide_exit_code(report);
    return emit_report(report, output, redact_patterns);
}

}  // namespace leakaudit
