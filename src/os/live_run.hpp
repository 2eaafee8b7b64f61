// The run's live processes now, for the status line of a long run (core/status_line.hpp):
// every process below leakaudit in its subreaper tree (the harness, its children, the
// orphans it adopted), each with its name and descriptors, and the socket table.
#pragma once

#include <cstddef>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit::os {

struct LiveRun {
    std::vector<Process> processes;  // pid, name, descriptors; at most `limit`
    std::vector<Socket> sockets;
};

// Read from /proc and sock_diag; a process that exits meanwhile is left out.
LiveRun read_live_run(int root, std::size_t limit = 64);

}  // namespace leakaudit::os
