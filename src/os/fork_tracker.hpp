// Follows every fork on the machine through the kernel's process-events connector
// (NETLINK_CONNECTOR, CN_IDX_PROC) and keeps the set of pids that descend from a root
// (leakaudit). A temp entry's creator pid from fanotify is then known to be the run's
// even when that process exited at once (mktemp, a shell's redirection), and an adopted
// orphan's real parent is known after re-parenting. Needs CAP_NET_ADMIN (root).
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/tmp_evidence.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

class ForkTracker {
public:
    ForkTracker() = default;
    ForkTracker(const ForkTracker&) = delete;
    ForkTracker& operator=(const ForkTracker&) = delete;
    ~ForkTracker();

    // "" when listening; else why not (not root, no connector): callers degrade.
    std::string start(int root_pid);
    // Whether `pid` is the run's by the forks read so far; nullopt when the history cannot
    // say (not listening, events lost). For readings while the run goes on.
    std::optional<bool> is_run_pid(int pid);
    // Stops listening once every event already queued has been read.
    ForkHistory stop();

private:
    void reader_loop();
    void handle(const char* data, std::size_t length);
    void on_fork(int parent, int child);
    void on_exit(int pid);

    UniqueFd m_socket;
    UniqueFd m_stop_event;
    std::thread m_thread;
    std::mutex m_mutex;
    std::unordered_set<int> m_live;  // run pids alive now
    ForkHistory m_history;
    std::atomic<bool> m_running{false};
};

}  // namespace leakaudit::os
