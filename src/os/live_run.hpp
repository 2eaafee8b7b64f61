// The run as it is now, read while it goes on: the one reader behind the status line of a
// long run (core/status_line.hpp), what a hung harness holds (core/peer_findings.hpp) and
// each cycle's reading of the harness (core/cycle_readings.hpp, README "Cycles and
// growth"). It reads; what to show and what counts is decided in core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/snapshot.hpp"
#include "core/tmp_findings.hpp"

namespace leakaudit::os {

// What to read: the processes below a root (at most `limit`), each with its descriptors
// when asked, and the socket table when asked.
struct LiveRead {
    std::size_t limit = 64;
    bool descriptors = true;
    bool sockets = true;
};

struct LiveRun {
    // Every process below the root in leakaudit's subreaper tree (the harness, its
    // children, the orphans it adopted), parents first: pid, name, state (a zombie
    // included) and, when read, descriptors.
    std::vector<Process> processes;
    std::vector<Socket> sockets;
};

// Read from /proc and sock_diag; a process that exits meanwhile is left out.
LiveRun read_live_run(int root, const LiveRead& what = {});

// "Threads:" of /proc/PID/status; nullopt when the process is gone.
std::optional<std::int64_t> read_thread_count(int pid);

// The paths whose entry is still the same object (device and inode) as when created.
std::vector<std::string> still_existing(const std::vector<std::pair<std::string, EntryIdentity>>& entries);

}  // namespace leakaudit::os
