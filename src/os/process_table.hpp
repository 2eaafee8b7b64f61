// The process table, read through libproc2 (procps-ng). libproc2 stays in process_table.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit::os {

struct ProcessTable {
    std::vector<Process> processes;
    std::string error;  // set when the table could not be read at all
};

// Every process (not thread) on the machine. Processes that vanish mid-scan and
// unreadable entries are skipped quietly: that is normal on a live system.
ProcessTable read_process_table();

// A process's start time (field 22 of /proc/PID/stat, in clock ticks since boot), or
// nothing when it is gone. `proc_dirfd`: an open /proc (or a test's stand-in) to read
// from; -1 reads /proc itself.
std::optional<std::uint64_t> read_start_ticks(int pid, int proc_dirfd = -1);

// The value of NAME in /proc/PID/environ, if the process has it and it can be read.
std::optional<std::string> read_environ_value(int pid, const std::string& name);

}  // namespace leakaudit::os
