// Between launch and the after-state of `run` (README "`run`, step by step"): waits for
// the harness with a status line every 30 s, handles each control event the moment it
// arrives (the baseline at `started`, the checkpoint at `stopped`), gives a harness that
// said `stopped` --exit-timeout to exit or start its next cycle, and at a timeout or the
// first interrupt reads what the harness holds before it is killed or the signal passed on.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/node_kit_session.hpp"
#include "app/run_cycles.hpp"
#include "app/run_evidence.hpp"
#include "app/run_status.hpp"
#include "core/checkpoint_findings.hpp"
#include "core/control_intake.hpp"
#include "core/finding.hpp"
#include "core/report.hpp"
#include "os/supervisor.hpp"

namespace leakaudit {

// What the wait uses, owned by the run and lent to it.
struct RunWaitParts {
    os::Supervisor& supervisor;
    RunEvidence& evidence;
    NodeKitSession& kit;
    RunCycles& cycles;
    ControlIntake& control;
    HarnessOutcome& outcome;
};

// What the wait saw, for the findings.
struct WaitRecord {
    std::optional<CheckpointInput> last_checkpoint;  // the last `stopped` against the first `started`
    std::vector<Finding> warnings;                   // `stopped` without `started`
    std::vector<HeldResource> held;                  // what a hung or interrupted harness held
    std::vector<std::string> kept_alive;             // the Node kit's "kept alive by" lines
};

class HarnessWait {
public:
    // Hooks the supervisor's first interrupt: what the harness holds is read before the
    // signal is passed on, as at a timeout.
    explicit HarnessWait(RunWaitParts parts);
    HarnessWait(const HarnessWait&) = delete;
    HarnessWait& operator=(const HarnessWait&) = delete;

    // The harness was launched at `launched` and runs as `harness`.
    void begin(const std::vector<std::string>& command, const ProcessId& harness, os::Clock::time_point launched,
               std::int64_t run_started_ms, std::optional<std::chrono::milliseconds> timeout,
               std::chrono::milliseconds exit_timeout);
    // Until the harness exits, or is killed at --timeout or --exit-timeout; fills the
    // outcome (how it ended, for how long it ran).
    void wait();
    const WaitRecord& record() const { return m_record; }

private:
    void on_control_event(const ControlEvent& event);
    void checkpoint();
    void record_hang();
    void record_interrupt();
    void record_what_harness_holds();
    HarnessView harness_view() const;

    RunWaitParts m_parts;
    RunStatus m_status;
    WaitRecord m_record;
    ProcessId m_harness;
    os::Clock::time_point m_launched{};
    std::int64_t m_run_started_ms = 0;
    os::Deadline m_timeout;
    std::chrono::milliseconds m_exit_timeout{0};
    std::vector<Descriptor> m_fds_at_started;
    bool m_saw_started = false;
    bool m_in_cycle = false;  // between a `started` and its `stopped`
    bool m_warned_no_started = false;
};

}  // namespace leakaudit
