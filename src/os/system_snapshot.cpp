// Descriptors are read only for the processes a question is about (the run's, or the
// ones a `snapshot --pid` names), not for all of /proc on every run.
#include "os/system_snapshot.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <future>

#include "os/clock.hpp"
#include "os/descriptors.hpp"
#include "os/ordered_pool.hpp"
#include "os/process_table.hpp"
#include "os/sockets.hpp"
#include "os/temp_walk.hpp"

namespace leakaudit::os {

Result<Snapshot> take_snapshot(const SnapshotRequest& request) {
    Snapshot snapshot;
    // The walk and the process table touch different files: on two cores they overlap.
    std::future<TempScan> walk;
    if (!request.watch.empty()) {
        walk = std::async(std::launch::async, [&request] { return scan_watched(request.watch); });
    }
    Result<std::vector<Process>> table = read_process_table();
    if (!table) return unexpected(table.error());  // the walk's future waits for it here
    snapshot.processes = std::move(*table);
    if (walk.valid()) {
        TempScan scan = walk.get();
        snapshot.tmp = std::move(scan.entries);
        snapshot.watched = request.watch;
        for (std::string& w : scan.warnings)
            snapshot.warnings.push_back(std::move(w));
    }
    snapshot.taken_at_ms = now_unix_ms();
    return snapshot;
}

void add_descriptors(Snapshot& snapshot, const std::set<int>& pids) {
    UniqueFd proc = open_proc_root();
    if (!proc) return;
    for (Process& p : snapshot.processes) {
        if (!pids.count(p.id.pid)) continue;
        if (auto fds = read_descriptors(proc.get(), p.id.pid)) {
            p.fds = std::move(*fds);
            p.fds_scanned = true;
        }
    }
}

void add_sockets(Snapshot& snapshot, const std::set<int>& pids) {
    UniqueFd proc = open_proc_root();
    if (!proc) return;
    SocketTable table = read_sockets(proc.get());
    snapshot.sockets = std::move(table.sockets);
    for (std::string& w : table.warnings)
        snapshot.warnings.push_back(std::move(w));
    std::optional<std::uint64_t> own = netns_of(proc.get(), 0);
    std::set<std::uint64_t> seen;
    if (own) seen.insert(*own);
    for (int pid : pids) {
        std::optional<std::uint64_t> ns = netns_of(proc.get(), pid);
        if (!ns || !seen.insert(*ns).second) continue;
        SocketTable other = read_sockets_of(proc.get(), pid);
        for (Socket& s : other.sockets)
            snapshot.sockets.push_back(std::move(s));
        for (std::string& w : other.warnings)
            snapshot.warnings.push_back(std::move(w));
    }
}

void stream_processes(std::vector<Process>& processes, const std::set<int>& scan,
                      const std::function<std::string(Process&)>& render,
                      const std::function<void(std::string&&)>& write) {
    UniqueFd proc = open_proc_root();
    unsigned threads = worker_threads();
    auto produce = [&](std::size_t i) {
        Process& p = processes[i];
        if (proc && scan.count(p.id.pid)) {
            if (auto fds = read_descriptors(proc.get(), p.id.pid)) {
                p.fds = std::move(*fds);
                p.fds_scanned = true;
            }
        }
        std::string text = render(p);
        std::vector<Descriptor>().swap(p.fds);
        return text;
    };
    ordered_parallel(processes.size(), threads, std::size_t{4} * threads, produce,
                     [&write](std::size_t, std::string&& text) { write(std::move(text)); });
}

std::vector<Descriptor> descriptors_of(int pid) {
    UniqueFd proc = open_proc_root();
    if (!proc) return {};
    return read_descriptors(proc.get(), pid).value_or(std::vector<Descriptor>{});
}

}  // namespace leakaudit::os

namespace leakaudit::os {

std::string boot_id() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "";
    return name;
}

}  // namespace leakaudit::os
