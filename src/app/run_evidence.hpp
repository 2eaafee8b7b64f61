// What the run's watchers saw while it ran: every fork below leakaudit (process-events
// connector) and every creation under the watched folders (fanotify). Both start before
// the before-snapshot and stop after the after-snapshot, so nothing falls between.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/attribution.hpp"
#include "core/tmp_findings.hpp"
#include "os/creation_watch.hpp"
#include "os/fork_tracker.hpp"

namespace leakaudit {

class RunEvidence {
public:
    // Starts watching; what cannot be watched degrades, and warnings() says so.
    void start(int self_pid, const std::vector<std::string>& roots);
    void stop();

    // How each new temp entry can be attributed, from what was seen.
    TmpEvidence tmp_evidence(const std::vector<RunProcess>& run, const Snapshot& after) const;
    const os::ForkHistory& forks() const { return m_forks; }
    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    std::optional<bool> creator_is_run(const os::CreatedEntry& created, const std::vector<RunProcess>& run) const;

    os::ForkTracker m_tracker;
    std::unique_ptr<os::CreationWatch> m_watch;
    os::ForkHistory m_forks;
    std::vector<os::CreatedEntry> m_created;
    std::vector<std::string> m_watched;
    bool m_watch_complete = false;
    std::vector<std::string> m_warnings;
};

}  // namespace leakaudit
