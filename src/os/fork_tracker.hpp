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
#include <vector>

#include "core/result.hpp"
#include "core/tmp_evidence.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

class ForkTracker {
public:
    ForkTracker() = default;
    ForkTracker(const ForkTracker&) = delete;
    ForkTracker& operator=(const ForkTracker&) = delete;
    ~ForkTracker();

    // Listening, or why not (not root, no connector): callers degrade.
    Result<void> start(int root_pid);
    // `attach`: processes already running below the watched root count as roots too
    // (their forks are followed, their pids are the run's: is_run_pid). Call after start().
    void add_roots(const std::vector<int>& pids);
    // What was seen so far, while listening goes on.
    ForkHistory history_now();
    // Whether `pid` is the run's by the forks read so far; nullopt when the history cannot
    // say (not listening, events lost). For readings while the run goes on.
    std::optional<bool> is_run_pid(int pid);
    // Stops listening once every event already queued has been read.
    ForkHistory stop();
    // Every process (not thread) forked on the machine since start() and not exited, as of
    // now (events already queued are read first); nothing when events were lost or there
    // were more than k_max_born: the caller then reads the whole process table.
    std::optional<std::vector<int>> born_alive();
    static constexpr std::size_t k_max_born = std::size_t{1} << 20;

private:
    void reader_loop();
    void drain_locked();
    void handle(const char* data, std::size_t length);
    void on_fork(int parent, int child);
    void on_exit(int pid);

    UniqueFd m_socket;
    UniqueFd m_stop_event;
    std::thread m_thread;
    std::mutex m_mutex;
    std::unordered_set<int> m_live;  // run pids alive now
    std::unordered_set<int> m_born;  // pids forked since start, alive now (any process)
    bool m_born_overflow = false;
    ForkHistory m_history;
    std::atomic<bool> m_running{false};
};

}  // namespace leakaudit::os
