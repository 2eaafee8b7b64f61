// Degrades step by step: with fork history and fanotify a creator is proven; without
// the history a living creator is still matched by identity; without fanotify, the
// core falls back to held-open and the time window.
#include "app/run_evidence.hpp"

#include <algorithm>

namespace leakaudit {

void RunEvidence::start(int self_pid, const std::vector<std::string>& roots) {
    if (std::string error = m_tracker.start(self_pid); !error.empty()) {
        m_warnings.push_back("fork history unavailable (" + error + "): tmp creators are matched only while alive");
    }
    if (roots.empty()) return;
    m_watch = std::make_unique<os::CreationWatch>(roots);
    if (std::string error = m_watch->start(); !error.empty()) {
        m_warnings.push_back("creation watch unavailable (" + error +
                             "): tmp entries attributed by held-open/time-window");
        m_watch.reset();
        return;
    }
    for (const std::string& w : m_watch->warnings())
        m_warnings.push_back(w);
    m_watched = m_watch->watched_roots();
}

void RunEvidence::stop() {
    m_forks = m_tracker.stop();
    if (!m_watch) return;
    m_created = m_watch->stop();
    m_watch_complete = !m_watch->overflowed() && m_forks.available && !m_forks.lost_events;
    if (m_watch->overflowed())
        m_warnings.push_back("fanotify queue overflowed: some tmp entries attributed by time window");
    if (m_forks.lost_events)
        m_warnings.push_back("process events were lost: some tmp entries attributed by time window");
}

std::optional<bool> RunEvidence::creator_is_run(const os::CreatedEntry& created,
                                                const std::vector<RunProcess>& run) const {
    if (m_forks.available && !m_forks.lost_events && !m_forks.ambiguous.count(created.pid)) {
        return m_forks.is_run_pid(created.pid);
    }
    bool alive_in_run = std::any_of(run.begin(), run.end(), [&](const RunProcess& rp) {
        return rp.process->id.pid == created.pid && rp.process->id.start_ticks == created.start_ticks;
    });
    if (alive_in_run) return true;
    return std::nullopt;  // gone, or not known: no claim either way
}

TmpEvidence RunEvidence::tmp_evidence(const std::vector<RunProcess>& run, const Snapshot& after) const {
    TmpEvidence ev;
    for (const os::CreatedEntry& c : m_created) {
        if (std::optional<bool> by_run = creator_is_run(c, run)) {
            // Several creations of one path (delete + recreate): the run's claim wins.
            bool& slot = ev.created_by_run[c.path];
            slot = slot || *by_run;
        }
    }
    if (m_watch_complete) ev.fully_watched_roots.insert(m_watched.begin(), m_watched.end());
    SocketIndex sockets(after.sockets);
    for (const RunProcess& rp : run) {
        for (const Descriptor& d : rp.process->fds) {
            if (d.type == FdType::socket) {
                const Socket* s = sockets.find(d.inode);
                if (s && !s->path.empty()) ev.held_by_run.insert(s->path);
            } else if (!d.target.empty() && d.target[0] == '/') {
                ev.held_by_run.insert(d.target);
            }
        }
    }
    return ev;
}

}  // namespace leakaudit
