// Plain-data snapshots for unit tests of the core: no /proc, no processes.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
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

// A bare finding; the id defaults to "<kind>:00000000".
inline Finding finding(Kind kind, Severity severity, std::string id = "", std::string message = "") {
    Finding f;
    f.kind = kind;
    f.severity = severity;
    f.id = id.empty() ? to_string(kind) + ":00000000" : std::move(id);
    f.message = std::move(message);
    return f;
}

}  // namespace leakaudit::test
