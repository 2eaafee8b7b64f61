// Cheap enough to run every 30 s: one walk of the tree, one /proc/PID/fd read per process
// (bounded), one socket table.
#include "os/live_run.hpp"

#include <fstream>

#include "os/run_tree.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit::os {

namespace {

std::string comm_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

}  // namespace

LiveRun read_live_run(int root, std::size_t limit) {
    LiveRun run;
    for (int pid : tree_below(root)) {
        if (run.processes.size() >= limit) break;
        Process p;
        p.id.pid = pid;
        p.name = comm_of(pid);
        if (p.name.empty()) continue;  // gone
        p.fds = descriptors_of(pid);
        p.fds_scanned = true;
        run.processes.push_back(std::move(p));
    }
    Snapshot sockets;
    add_sockets(sockets);
    run.sockets = std::move(sockets.sockets);
    return run;
}

}  // namespace leakaudit::os
