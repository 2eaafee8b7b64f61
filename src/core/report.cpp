// Summary counts and the exit-code decision, both pure functions of the report.
#include "core/report.hpp"

namespace leakaudit {

bool HarnessOutcome::failed() const {
    if (!started || timed_out || exit_timed_out || signal) return true;
    return exit_code && *exit_code != 0;
}

int Summary::count(Severity severity) const {
    auto it = by_severity.find(severity);
    return it == by_severity.end() ? 0 : it->second;
}

Summary summarize(const std::vector<Finding>& findings) {
    Summary summary;
    for (Severity s : {Severity::error, Severity::warning, Severity::info})
        summary.by_severity[s] = 0;
    for (const Finding& f : findings) {
        if (f.severity == Severity::ignore) {
            ++summary.ignored;
            continue;
        }
        ++summary.by_severity[f.severity];
        ++summary.by_kind[to_string(f.kind)];
    }
    return summary;
}

std::vector<ReapTarget> reap_targets(const std::vector<Finding>& findings) {
    std::vector<ReapTarget> targets;
    for (const Finding& f : findings) {
        if (f.kind == Kind::process && f.severity != Severity::ignore && f.process)
            targets.push_back({f.process->id, f.process->name});
    }
    return targets;
}

int decide_exit_code(const Report& report) {
    if (report.mode == ReportMode::run && report.harness.failed()) return 3;
    for (const Finding& f : report.findings) {
        if (f.severity != Severity::ignore && f.severity >= report.fail_on) return 1;
    }
    return 0;
}

}  // namespace leakaudit
