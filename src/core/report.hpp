// The report of one audit: what ran, how the harness ended, and what it left behind.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

struct HarnessOutcome {
    int pid = 0;
    bool started = false;
    std::string start_error;       // why it could not start, when it did not
    std::optional<int> exit_code;  // set when it exited
    std::optional<int> signal;     // set when a signal ended it
    bool timed_out = false;        // --timeout passed and it was killed
    bool sent_stopped = false;     // it said `stopped` on the control channel
    bool exit_timed_out = false;   // it said `stopped` but did not exit in time
    bool interrupted = false;      // leakaudit received SIGINT/SIGTERM/SIGHUP
    std::int64_t duration_ms = 0;

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

enum class ReportMode { run, diff };

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
    Severity fail_on = Severity::error;
    int exit_code = 0;
    bool redacted = false;  // secrets in it are `***` (set by redact_report)
};

struct Summary {
    std::map<Severity, int> by_severity;
    std::map<std::string, int> by_kind;  // counts findings that are not ignored
    int ignored = 0;

    int count(Severity severity) const;
};

Summary summarize(const std::vector<Finding>& findings);

// 3 when the harness failed (it wins over leaks), 1 when a finding is at or above
// fail_on, else 0. Exit 2 and 4 are decided before a report exists.
int decide_exit_code(const Report& report);

}  // namespace leakaudit
