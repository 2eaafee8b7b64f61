// Gathers what the watchers saw; the decisions on it are core/tmp_evidence.hpp's. It
// degrades step by step: with fork history and fanotify a creator is proven; without the
// history a living creator is still matched by identity; without fanotify, the core
// falls back to held-open and the time window.
#include "app/run_evidence.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace leakaudit {

namespace {

// LEAKAUDIT_STALL_WATCH=1, a knob for tests (README "Performance: what a run costs"):
// the creation watch reads nothing until the end, from the kernel's bounded queue, so a
// test can overflow it for real.
os::WatchMode watch_mode() {
    const char* knob = std::getenv("LEAKAUDIT_STALL_WATCH");
    return knob && std::strcmp(knob, "1") == 0 ? os::WatchMode::stalled : os::WatchMode::thread;
}

}  // namespace

void RunEvidence::start(int self_pid, const std::vector<std::string>& roots) {
    if (Result<void> started = m_tracker.start(self_pid); !started) {
        m_warnings.push_back("fork history unavailable (" + started.error().message +
                             "): tmp creators are matched only while alive");
    } else {
        m_tracker_started = true;
    }
    if (roots.empty()) return;
    m_watch = std::make_unique<os::CreationWatch>(roots);
    if (Result<void> watching = m_watch->start(watch_mode()); !watching) {
        m_warnings.push_back("creation watch unavailable (" + watching.error().message +
                             "): tmp entries attributed by held-open/time-window");
        m_watch.reset();
        return;
    }
    for (const std::string& w : m_watch->warnings())
        m_warnings.push_back(w);
    m_record.watched = m_watch->watched_roots();
}

void RunEvidence::stop() {
    m_record.forks = m_tracker.stop();
    if (!m_watch) return;
    m_record.created = m_watch->stop();
    m_record.creations_lost = m_watch->overflowed();
    m_record.complete = !m_record.creations_lost && m_record.forks.available && !m_record.forks.lost_events;
    if (m_watch->overflowed())
        m_warnings.push_back("fanotify queue overflowed: some tmp entries attributed by time window");
    if (m_record.forks.lost_events)
        m_warnings.push_back("process events were lost: some tmp entries attributed by time window");
}

WatcherState RunEvidence::watchers(const std::vector<std::string>& roots) const {
    WatcherState w;
    w.forks_available = m_tracker_started;
    w.creation_watch = m_watch != nullptr || roots.empty();
    const std::vector<std::string>& watched = m_record.watched;
    w.every_root_watched =
        roots.empty() || (m_watch && std::all_of(roots.begin(), roots.end(), [&](const std::string& root) {
                              return std::find(watched.begin(), watched.end(), root) != watched.end();
                          }));
    return w;
}

std::vector<std::pair<std::string, EntryIdentity>> RunEvidence::run_created_so_far() {
    std::vector<std::pair<std::string, EntryIdentity>> out;
    if (!m_watch) return out;
    std::vector<CreatedEntry> created = m_watch->created_since(m_creations_read);
    m_creations_read += created.size();
    for (const CreatedEntry& c : created) {
        std::optional<bool> run = m_tracker.is_run_pid(c.pid);
        if (run.value_or(false))
            m_run_created[c.path] = c.identity;
        else
            m_run_created.erase(c.path);  // someone else's, or unknown: no claim
    }
    for (const auto& [path, identity] : m_run_created) {
        if (identity) out.emplace_back(path, *identity);
    }
    return out;
}

}  // namespace leakaudit
