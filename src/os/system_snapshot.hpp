// One call that takes a Snapshot of the live system: the process table, entries under
// the watched folders, and (for the processes that matter) descriptors and sockets.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/snapshot.hpp"

namespace leakaudit::os {

struct SnapshotRequest {
    std::vector<std::string> watch;  // folders to walk; empty: none
};

// Fails when the process table could not be read at all (exit 4).
Result<Snapshot> take_snapshot(const SnapshotRequest& request);

// Fills `fds` of the processes whose pid is in `pids`; add_sockets reads the socket
// table, which descriptors join by inode.
void add_descriptors(Snapshot& snapshot, const std::set<int>& pids);
// Sockets of processes in other network namespaces (containers, `unshare -n`) are read
// from inside those namespaces, for the processes in `pids`.
void add_sockets(Snapshot& snapshot, const std::set<int>& pids = {});

// For `snapshot`: reads the descriptors of the processes in `scan` on every core, hands
// each process (with its descriptors) to `render` on a worker thread, and each rendered
// text to `write` on the calling thread, in table order. The descriptors are dropped once
// rendered, so memory is bounded by a few processes, not the machine.
void stream_processes(std::vector<Process>& processes, const std::set<int>& scan,
                      const std::function<std::string(Process&)>& render,
                      const std::function<void(std::string&&)>& write);

// The descriptors of one process now; empty when it is gone.
std::vector<Descriptor> descriptors_of(int pid);

}  // namespace leakaudit::os

namespace leakaudit::os {

// /proc/sys/kernel/random/boot_id: start times only compare within one boot.
std::string boot_id();
std::string host_name();

}  // namespace leakaudit::os
