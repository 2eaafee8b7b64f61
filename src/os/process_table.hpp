// The process table, read through libproc2 (procps-ng). libproc2 stays in process_table.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
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

// One process, or nothing when it is gone; start_ticks from /proc/PID/stat.
std::optional<std::uint64_t> read_start_ticks(int pid);

// The arguments in /proc/PID/cmdline, split on NUL, each with its bytes exactly (a
// newline or a space inside an argument stays inside it); empty for kernel threads,
// zombies and processes that are gone. At most k_max_cmdline_bytes are read.
inline constexpr std::size_t k_max_cmdline_bytes = 1024 * 1024;
std::vector<std::string> read_cmdline(int pid);
std::vector<std::string> split_cmdline(std::string_view bytes);

// The value of NAME in /proc/PID/environ, if the process has it and it can be read.
std::optional<std::string> read_environ_value(int pid, const std::string& name);

// The children of PID (/proc/PID/task/*/children) with their command lines, as
// "child 4243 sleep 300": what a harness held when it was killed.
std::vector<std::string> describe_children(int pid);

// Wall-clock Unix milliseconds of a start time in clock ticks since boot.
std::int64_t ticks_to_unix_ms(std::uint64_t start_ticks);
std::int64_t now_unix_ms();

}  // namespace leakaudit::os
