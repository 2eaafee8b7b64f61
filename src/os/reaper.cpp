// pidfd_open pins the process the pid named at that instant; reading its start time
// afterwards tells whether that is still the process the snapshot saw.
#include "os/reaper.hpp"

#include <poll.h>
#include <signal.h>
#include "os/pidfd.hpp"

#include "os/process_table.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

namespace {

struct Tracked {
    ReapedProcess result;
    UniqueFd pidfd;
};

bool exited(const UniqueFd& pidfd) {
    pollfd p{pidfd.get(), POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

// Waits until every tracked process has exited or the deadline passes.
void wait_all(std::vector<Tracked>& tracked, std::chrono::steady_clock::time_point deadline,
              const std::function<void()>& keep_reaping) {
    for (;;) {
        keep_reaping();
        std::vector<pollfd> fds;
        for (Tracked& t : tracked) {
            if (!t.result.gone && exited(t.pidfd)) t.result.gone = true;
            if (!t.result.gone) fds.push_back({t.pidfd.get(), POLLIN, 0});
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (fds.empty() || left.count() <= 0) return;
        ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count(), 50)));
    }
}

}  // namespace

std::vector<ReapedProcess> reap_processes(const std::vector<ReapTarget>& targets,
                                          std::chrono::milliseconds term_patience,
                                          const std::function<void()>& keep_reaping) {
    std::vector<Tracked> tracked;
    for (const ReapTarget& target : targets) {
        UniqueFd pidfd(pidfd_open(target.id.pid));
        if (!pidfd) continue;                                                    // already gone
        if (read_start_ticks(target.id.pid) != target.id.start_ticks) continue;  // not ours any more
        if (pidfd_send_signal(pidfd.get(), SIGTERM) != 0) continue;
        pidfd_send_signal(pidfd.get(), SIGCONT);  // a stopped (frozen) process acts on SIGTERM only once resumed
        tracked.push_back({ReapedProcess{target.id.pid, target.name, false, false}, std::move(pidfd)});
    }
    wait_all(tracked, std::chrono::steady_clock::now() + term_patience, keep_reaping);
    bool killed_any = false;
    for (Tracked& t : tracked) {
        if (t.result.gone) continue;
        pidfd_send_signal(t.pidfd.get(), SIGKILL);
        t.result.needed_kill = killed_any = true;
    }
    if (killed_any) wait_all(tracked, std::chrono::steady_clock::now() + std::chrono::seconds(2), keep_reaping);
    std::vector<ReapedProcess> reaped;
    for (Tracked& t : tracked)
        reaped.push_back(t.result);
    return reaped;
}

}  // namespace leakaudit::os
