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
#include "core/tmp_evidence.hpp"
#include "os/creation_watch.hpp"
#include "os/fork_tracker.hpp"

namespace leakaudit {

class RunEvidence {
public:
    // Starts watching; what cannot be watched degrades, and warnings() says so.
    void start(int self_pid, const std::vector<std::string>& roots);
    void stop();
    // `attach`: what already runs below the host counts as the host's too (fork history).
    void add_roots(const std::vector<int>& pids) { m_tracker.add_roots(pids); }
    ForkHistory forks_now() { return m_tracker.history_now(); }
    bool watching_creations() const { return !m_record.watched.empty(); }

    // How each new temp entry can be attributed, from what was seen.
    TmpEvidence tmp_evidence(const std::vector<RunProcess>& run, const Snapshot& after) const;
    const ForkHistory& forks() const { return m_record.forks; }
    // While the run goes on: the temp entries the run created so far, the latest creation
    // of a path winning (README "Cycles and growth"); empty without both watchers.
    std::vector<std::pair<std::string, EntryIdentity>> run_created_so_far();
    const std::vector<std::string>& warnings() const { return m_warnings; }

    // For core/audit_mode: which watchers run and whether they cover every root.
    bool forks_available() const { return m_tracker_started; }
    bool creation_watch() const { return m_watch != nullptr; }
    bool watches_all(const std::vector<std::string>& roots) const;
    bool watch_overflowed() const { return m_watch && m_watch->overflowed(); }
    // Processes forked during the run and alive now (os/fork_tracker); nothing when lost.
    std::optional<std::vector<int>> born_alive() { return m_tracker.born_alive(); }
    const WatchRecord& record() const { return m_record; }

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
