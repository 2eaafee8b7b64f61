// How `run` reads the machine before and after the harness; core/audit_mode decides the
// mode, core/event_after what is new. As root with both watchers whole, nothing is walked
// before, and after only the processes forked and the entries created during the run are
// read; otherwise the full walks of `snapshot` (README, "Performance: what a run costs").
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "app/run_evidence.hpp"
#include "core/audit_mode.hpp"
#include "core/result.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

class RunState {
public:
    // After the watchers started. LEAKAUDIT_FORCE_WALK=1 forces the full walks: a knob for
    // tests, documented as such in README.
    void plan(const RunEvidence& evidence, const std::vector<std::string>& watch);
    // Fails when the process table could not be read.
    Result<void> take_before(Snapshot& before);
    // The processes, or why not. A lost fork event reads the whole table instead.
    Result<void> take_after(Snapshot& after, Snapshot& before, RunEvidence& evidence);
    // Once the watchers stopped and the run's processes and what they hold are known: the
    // temp entries of the after-state (already there after a walk).
    void complete_tmp(Snapshot& before, Snapshot& after, const RunEvidence& evidence,
                      const std::vector<RunProcess>& run, const std::set<std::string>& held_by_run);
    const AuditState& audit() const { return m_audit; }

private:
    std::vector<std::string> m_watch;
    AuditState m_audit;
    std::int64_t m_since_ms = 0;
    std::uint64_t m_since_ticks = 0;
};

}  // namespace leakaudit
