// A snapshot of the live system, for `snapshot` and for `diff` without AFTER: processes,
// temp entries under the watched folders, sockets, and the descriptors of the chosen
// processes (all of them when no --pid narrows it).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

// The processes whose descriptors a snapshot reads: the --pid hosts and their
// descendants, or every process when `pids` is empty.
std::set<int> descriptor_pids(const Snapshot& snapshot, const std::vector<int>& pids);

// Fails when the process table cannot be read.
Result<Snapshot> live_snapshot(const std::vector<std::string>& watch, const std::vector<int>& pids);

}  // namespace leakaudit
