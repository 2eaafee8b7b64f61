// Reads the harness at a `started`/`stopped` of a cycling run (README "Cycles and
// growth"): its threads, the live processes below leakaudit other than the harness, and
// which of the run's temp entries still exist. Descriptors and sockets come from
// os/system_snapshot.hpp; core/cycle_readings.hpp turns all of it into series.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/tmp_findings.hpp"

namespace leakaudit::os {

// "Threads:" of /proc/PID/status; nullopt when the process is gone.
std::optional<std::int64_t> read_thread_count(int pid);

// Live (not zombie) processes below `root` (/proc/PID/task/*/children, recursively),
// but `except` itself (its own descendants are included), as "PID NAME"; at most
// `limit` of them.
std::vector<std::string> live_descendants(int root, int except, std::size_t limit = 10'000);

// The paths whose entry is still the same object (device and inode) as when created.
std::vector<std::string> still_existing(const std::vector<std::pair<std::string, EntryIdentity>>& entries);

}  // namespace leakaudit::os
