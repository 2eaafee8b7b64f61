// What the run's watchers saw while it ran: every fork below leakaudit (process-events
// connector) and every creation under the watched folders (fanotify). Both start before
// the before-snapshot and stop after the after-snapshot, so nothing falls between.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/attribution.hpp"
#include "core/audit_mode.hpp"
#include "core/tmp_evidence.hpp"
#include "os/creation_watch.hpp"
#include "os/fork_tracker.hpp"

namespace leakaudit {

class RunEvidence {
public:
    // Starts watching; what cannot be watched degrades, and warnings() says so.
    void start(int self_pid, const std::vector<std::string>& roots);
    // Stops both watchers: record() holds what they saw.
    void stop();

    // While the audit goes on.
    // `attach`: what already runs below the host counts as the host's too (fork history).
    void add_roots(const std::vector<int>& pids) { m_tracker.add_roots(pids); }
    ForkHistory forks_now() { return m_tracker.history_now(); }
    // Processes forked during the run and alive now (os/fork_tracker); nothing when lost.
    std::optional<std::vector<int>> born_alive() { return m_tracker.born_alive(); }
    // The temp entries the run created so far, the latest creation of a path winning
    // (README "Cycles and growth"); empty without both watchers.
    std::vector<std::pair<std::string, EntryIdentity>> run_created_so_far();
    // For core/audit_mode: whether the fork history runs, and whether the creation watch
    // covers every one of `roots` (none to watch is covered). The other fields stay false.
    WatcherState watchers(const std::vector<std::string>& roots) const;

    // After stop(): the fork history, the creations, the roots watched, what was lost
    // (core/tmp_evidence decides on it); and what degraded, for the report.
    const WatchRecord& record() const { return m_record; }
    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    os::ForkTracker m_tracker;
    std::unique_ptr<os::CreationWatch> m_watch;
    WatchRecord m_record;
    std::vector<std::string> m_warnings;
    bool m_tracker_started = false;
    std::size_t m_creations_read = 0;
    std::map<std::string, std::optional<EntryIdentity>> m_run_created;
};

}  // namespace leakaudit
