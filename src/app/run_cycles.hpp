// The harness's start/stop cycles during `run` (README "Cycles and growth"): leakaudit
// reads the harness at the first `started` (the baseline) and at each `stopped`, with the
// latest `metrics` the harness sent before it; at the end it fills Report::cycles and
// returns the growth findings (core/growth_findings.hpp decides them).
#pragma once

#include <string>
#include <vector>

#include "app/run_evidence.hpp"
#include "core/cycle_readings.hpp"
#include "core/own_resources.hpp"
#include "core/report.hpp"
#include "core/settings.hpp"

namespace leakaudit {

// What identifies the harness and leakaudit's own descriptors and files in it.
struct HarnessView {
    int pid = 0;
    OwnResources own;  // LEAKAUDIT_CONTROL_FD, LEAKAUDIT_ACK_FD, the Node kit's folder
};

class RunCycles {
public:
    void on_metrics(const HarnessMetrics& metrics) { m_metrics = metrics; }
    // The first `started` is the baseline; a later one only drops the metrics sent for it.
    void on_started(const HarnessView& harness, RunEvidence& evidence);
    // `fds` and `sockets` as the `stopped` checkpoint read them (the harness's descriptors,
    // the socket table).
    void on_stopped(const HarnessView& harness, const std::vector<Descriptor>& fds, const std::vector<Socket>& sockets,
                    RunEvidence& evidence);
    int completed() const { return m_completed; }

    // When the harness cycled (more than one `stopped`, or --cycles): Report::cycles, and
    // the growth findings and the cycle-count warning finding. Report warnings are added
    // by add_warnings(), after the run's other warnings are in place.
    std::vector<Finding> finish(const Settings& settings, int requested, Report& report);
    void add_warnings(std::vector<std::string>& warnings) const;

private:
    void record(const HarnessView& harness, const std::vector<Descriptor>& fds, const std::vector<Socket>& sockets,
                RunEvidence& evidence);

    CycleRecorder m_recorder;
    std::optional<HarnessMetrics> m_metrics;
    bool m_have_baseline = false;
    int m_completed = 0;
    std::vector<std::string> m_warnings;
};

// The harness's environment for --cycles: LEAKAUDIT_CYCLES=N added to `env`.
std::vector<std::string> with_cycles_env(std::vector<std::string> env, int cycles);

}  // namespace leakaudit
