// Summary counts and the exit-code decision, both pure functions of the report.
#include "core/plural.hpp"
#include "core/report.hpp"

#include <algorithm>

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

Summary summarize(const Report& report) {
    Summary summary = summarize(report.findings);
    for (const auto& [kind, by_severity] : report.omitted) {
        for (const auto& [severity, n] : by_severity) {
            if (severity == Severity::ignore) {
                summary.ignored += n;
                continue;
            }
            summary.by_severity[severity] += n;
            summary.by_kind[to_string(kind)] += n;
        }
    }
    return summary;
}

void cap_findings_per_kind(Report& report, std::size_t limit) {
    std::map<Kind, std::vector<std::size_t>> by_kind;
    for (std::size_t i = 0; i < report.findings.size(); ++i)
        by_kind[report.findings[i].kind].push_back(i);
    std::vector<bool> keep(report.findings.size(), true);
    for (auto& [kind, indexes] : by_kind) {
        if (indexes.size() <= limit) continue;
        std::stable_sort(indexes.begin(), indexes.end(), [&](std::size_t a, std::size_t b) {
            return report.findings[a].severity > report.findings[b].severity;
        });
        for (std::size_t j = limit; j < indexes.size(); ++j) {
            keep[indexes[j]] = false;
            ++report.omitted[kind][report.findings[indexes[j]].severity];
        }
    }
    std::vector<Finding> kept;
    for (std::size_t i = 0; i < report.findings.size(); ++i) {
        if (keep[i]) kept.push_back(std::move(report.findings[i]));
    }
    report.findings = std::move(kept);
}

std::vector<std::string> capped_notes(std::vector<std::string> notes, std::size_t limit) {
    if (notes.size() <= limit) return notes;
    std::size_t more = notes.size() - limit;
    notes.resize(limit);
    notes.push_back("… " + counted(static_cast<long long>(more), "more note") + " about the watched folders");
    return notes;
}

int omitted_count(const Report& report, Kind kind) {
    auto it = report.omitted.find(kind);
    if (it == report.omitted.end()) return 0;
    int n = 0;
    for (const auto& [severity, count] : it->second)
        n += count;
    return n;
}

ExitCode decide_exit_code(const Report& report) {
    if (report.mode == ReportMode::run && !report.harness.started &&
        report.harness.start_failure == StartFailure::leakaudit)
        return ExitCode::internal;
    if (report.mode == ReportMode::run && report.harness.failed()) return ExitCode::harness_failed;
    for (const Finding& f : report.findings) {
        if (f.severity != Severity::ignore && f.severity >= report.fail_on) return ExitCode::leaks;
    }
    return ExitCode::ok;
}

}  // namespace leakaudit
