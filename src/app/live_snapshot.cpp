// Descriptors are read for the --pid hosts and their descendants only, when given:
// reading every process's descriptors is the slow part of a snapshot.
#include "app/live_snapshot.hpp"

#include <set>

#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

// The hosts and every process below them, by the snapshot's own parent links.
std::set<int> with_descendants(const Snapshot& s, const std::vector<int>& pids) {
    std::set<int> chosen(pids.begin(), pids.end());
    for (bool grew = true; grew;) {
        grew = false;
        for (const Process& p : s.processes) {
            if (!chosen.count(p.id.pid) && chosen.count(p.ppid)) grew = chosen.insert(p.id.pid).second || grew;
        }
    }
    return chosen;
}

std::set<int> all_pids(const Snapshot& s) {
    std::set<int> pids;
    for (const Process& p : s.processes)
        pids.insert(p.id.pid);
    return pids;
}

}  // namespace

std::set<int> descriptor_pids(const Snapshot& snapshot, const std::vector<int>& pids) {
    return pids.empty() ? all_pids(snapshot) : with_descendants(snapshot, pids);
}

Result<Snapshot> live_snapshot(const std::vector<std::string>& watch, const std::vector<int>& pids) {
    Result<Snapshot> taken = os::take_snapshot({watch});
    if (!taken) return taken;
    Snapshot& s = *taken;
    os::add_descriptors(s, descriptor_pids(s, pids));
    os::add_sockets(s);
    return taken;
}

}  // namespace leakaudit
