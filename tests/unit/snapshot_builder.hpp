// Plain-data snapshots for unit tests of the core: no /proc, no processes.
#pragma once

#include <string>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit::test {

inline Process proc(int pid, std::uint64_t start, int ppid, std::vector<std::string> cmdline, int pgid = 0) {
    Process p;
    p.id = {pid, start};
    p.ppid = ppid;
    p.pgid = pgid ? pgid : pid;
    p.sid = p.pgid;
    p.name = cmdline.empty() ? "" : cmdline[0];
    p.cmdline = std::move(cmdline);
    p.state = 'S';
    p.user = "root";
    return p;
}

inline Snapshot snapshot(std::vector<Process> processes) {
    Snapshot s;
    s.processes = std::move(processes);
    return s;
}

}  // namespace leakaudit::test
