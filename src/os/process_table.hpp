// The process table, read through libproc2 (procps-ng). libproc2 stays in process_table.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/snapshot.hpp"

namespace leakaudit::os {

// Every process (not thread) on the machine. Processes that vanish mid-scan and
// unreadable entries are skipped quietly: that is normal on a live system. Fails only
// when the table could not be read at all.
Result<std::vector<Process>> read_process_table();

// Only the processes with these pids (those still there), read like read_process_table:
// an event-driven run reads what was forked during it, not the whole table.
Result<std::vector<Process>> read_processes(const std::vector<int>& pids);

// A process's start time (field 22 of /proc/PID/stat, in clock ticks since boot), or
// nothing when it is gone. `proc_dirfd`: an open /proc (or a test's stand-in) to read
// from; -1 reads /proc itself.
std::optional<std::uint64_t> read_start_ticks(int pid, int proc_dirfd = -1);

// The arguments in /proc/PID/cmdline, split on NUL, each with its bytes exactly (a
// newline or a space inside an argument stays inside it); empty for kernel threads,
// zombies and processes that are gone. At most k_max_cmdline_bytes are read.
inline constexpr std::size_t k_max_cmdline_bytes = std::size_t{1024} * 1024;
std::vector<std::string> read_cmdline(int pid);
std::vector<std::string> split_cmdline(std::string_view bytes);

// The value of NAME in /proc/PID/environ, if the process has it and it can be read.
std::optional<std::string> read_environ_value(int pid, const std::string& name);

// The children of PID (/proc/PID/task/*/children) with their command lines, as
// "child 4243 sleep 300": what a harness held when it was killed.
std::vector<std::string> describe_children(int pid);

}  // namespace leakaudit::os
