// The report of one audit: what ran, how the harness ended, and what it left behind.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/audit_mode.hpp"
#include "core/attach_outcome.hpp"
#include "core/cycles.hpp"
#include "core/exit_code.hpp"
#include "core/finding.hpp"
#include "core/run_limits.hpp"

namespace leakaudit {

// Whose fault a failed start was: a command that cannot run is the harness's (exit 3);
// leakaudit out of descriptors or memory (EMFILE, ENFILE, ENOMEM) is leakaudit's (exit 4).
enum class StartFailure { harness, leakaudit };

struct HarnessOutcome {
    int pid = 0;
    bool started = false;
    std::string start_error;  // why it could not start, when it did not
    StartFailure start_failure = StartFailure::harness;
    std::optional<int> exit_code;  // set when it exited
    std::optional<int> signal;     // set when a signal ended it
    bool timed_out = false;        // --timeout passed and it was killed
    bool sent_stopped = false;     // it said `stopped` on the control channel
    bool exit_timed_out = false;   // it said `stopped` but did not exit in time
    bool interrupted = false;      // leakaudit received SIGINT/SIGTERM/SIGHUP
    std::int64_t duration_ms = 0;
    TimeoutChoice timeout;  // the timeout that applied, and where it came from

    // Exit 3 (README, "Exit codes"): could not start, non-zero, signal, timed out, never exited.
    bool failed() const;
};

// A leaked process to end, known by identity (pid + start time) so a reused pid is spared.
struct ReapTarget {
    ProcessId id;
    std::string name;
};

// The leaked processes `run` and `diff --reap` end: every process finding a rule does not
// ignore (README, "run, step by step": reap).
std::vector<ReapTarget> reap_targets(const std::vector<Finding>& findings);

struct ReapedProcess {
    int pid = 0;
    std::string name;
    bool needed_kill = false;  // SIGTERM was not enough
    bool gone = false;         // confirmed gone afterwards
};

// attach: a running host was watched (README, "Attach to a running host"); its outcome is not judged.
enum class ReportMode { run, diff, attach };

// Whether the Node kit was preloaded (`run --node`) and how many Node processes of the
// run loaded it (said hello) and reported.
struct NodeKitStatus {
    bool requested = false;
    int processes = 0;
    int reports = 0;
};

struct Report {
    ReportMode mode = ReportMode::run;  // a diff has no harness: its outcome is not judged
    std::string version;
    std::string revision;
    std::string run_id;
    std::vector<std::string> command;
    std::int64_t started_at_ms = 0;
    std::int64_t duration_ms = 0;
    HarnessOutcome harness;
    std::vector<Finding> findings;
    std::vector<ReapedProcess> reaped;
    std::vector<std::string> cleaned;   // temp entries removed by --clean-tmp
    std::vector<std::string> warnings;  // what could not be seen, said once each
    NodeKitStatus node_kit;
    Severity fail_on = Severity::error;
    ExitCode exit_code = ExitCode::ok;
    bool redacted = false;  // secrets in it are `***` (set by redact_report)
    // Findings left out of every report format past k_max_findings_per_kind, by kind and
    // severity: still counted in the summary, and said as "… N more" (README "Reports for CI").
    std::map<Kind, std::map<Severity, int>> omitted;
    // Set when the harness cycled (`started` … `stopped` more than once, or --cycles).
    std::optional<CycleRun> cycles;
    // How `run` read the machine: event-driven, or full walks (and why), README "Performance".
    AuditState audit;
    // Set by `attach`: the host watched and what ended the watch.
    std::optional<AttachOutcome> attach;
};

inline constexpr std::size_t k_max_findings_per_kind = 1000;

struct Summary {
    std::map<Severity, int> by_severity;
    std::map<std::string, int> by_kind;  // counts findings that are not ignored
    int ignored = 0;

    int count(Severity severity) const;
};

Summary summarize(const std::vector<Finding>& findings);
// The findings and the ones left out of the report.
Summary summarize(const Report& report);

// Keeps at most `limit` findings of each kind, the most severe first (so the exit code is
// unchanged), in their order; the rest are counted in report.omitted.
void cap_findings_per_kind(Report& report, std::size_t limit = k_max_findings_per_kind);
// The first `limit` notes, then one "… N more" line: a tree of unreadable folders is a
// handful of lines, not thousands.
std::vector<std::string> capped_notes(std::vector<std::string> notes, std::size_t limit = 20);
// How many of `kind` were left out (0 when none).
int omitted_count(const Report& report, Kind kind);

// 4 when leakaudit itself could not start the harness, 3 when the harness failed (it wins
// over leaks), 1 when a finding is at or above fail_on, else 0. Exit 2, and 4 for a
// report that cannot be written, are decided outside the report.
ExitCode decide_exit_code(const Report& report);

}  // namespace leakaudit
