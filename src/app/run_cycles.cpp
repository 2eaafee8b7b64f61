// Each reading costs one /proc/PID/fd scan, one socket-table read, one status read and a
// walk of leakaudit's process tree; only the first `started` and each `stopped` read.
#include "app/run_cycles.hpp"

#include <unistd.h>

#include <algorithm>

#include "core/growth_findings.hpp"
#include "os/live_run.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

constexpr std::size_t k_max_processes = 10'000;  // of the run's tree, read at each cycle

}  // namespace

void RunCycles::on_started(const HarnessView& harness, RunEvidence& evidence) {
    if (m_have_baseline) {
        m_metrics.reset();
        return;
    }
    Snapshot sockets;
    os::add_sockets(sockets);
    record(harness, os::descriptors_of(harness.pid), sockets.sockets, evidence);
    m_have_baseline = true;
}

void RunCycles::on_stopped(const HarnessView& harness, const std::vector<Descriptor>& fds,
                           const std::vector<Socket>& sockets, RunEvidence& evidence) {
    if (!m_have_baseline) return;  // `stopped` without `started`: a harness warning says so
    ++m_completed;
    record(harness, fds, sockets, evidence);
}

void RunCycles::record(const HarnessView& harness, const std::vector<Descriptor>& fds,
                       const std::vector<Socket>& sockets, RunEvidence& evidence) {
    std::vector<std::string> temp = os::still_existing(evidence.run_created_so_far());
    std::erase_if(temp, [&](const std::string& p) { return in_kit_folder(p, harness.own.kit_folder); });
    os::LiveRun live = os::read_live_run(getpid(), {k_max_processes, false, false});
    HarnessReading reading;
    reading.resources =
        seen_resources(without_own(fds, harness.own), sockets, live_children(live.processes, harness.pid), temp);
    reading.threads = os::read_thread_count(harness.pid);
    reading.metrics = std::move(m_metrics);
    m_metrics.reset();
    m_recorder.add(reading);
}

std::vector<Finding> RunCycles::finish(const Settings& settings, int requested, Report& report) {
    if (requested <= 0 && m_completed <= 1) return {};
    CycleRun run = m_recorder.run(requested, settings.warmup, m_completed);
    std::vector<Finding> findings = growth_findings(run, settings.growth);
    for (Finding& f : cycle_count_findings(run))
        findings.push_back(std::move(f));
    m_warnings = cycle_warnings(run);
    if (m_recorder.dropped_readings() > 0)
        m_warnings.push_back("cycles: only the first " + std::to_string(CycleRecorder::k_max_cycles) +
                             " cycles are recorded; " + std::to_string(m_recorder.dropped_readings()) +
                             " more were not");
    if (m_recorder.dropped_series() > 0)
        m_warnings.push_back("cycles: at most " + std::to_string(CycleRecorder::k_max_series) +
                             " series are kept; readings of " + std::to_string(m_recorder.dropped_series()) +
                             " more were not");
    report.cycles = std::move(run);
    return findings;
}

void RunCycles::add_warnings(std::vector<std::string>& warnings) const {
    for (const std::string& w : m_warnings)
        warnings.push_back(w);
}

std::vector<std::string> with_cycles_env(std::vector<std::string> env, int cycles) {
    if (cycles > 0) env.push_back("LEAKAUDIT_CYCLES=" + std::to_string(cycles));
    return env;
}

}  // namespace leakaudit
