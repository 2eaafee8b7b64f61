// bench_readers: times leakaudit's readers over the whole machine, the way a snapshot
// uses them: every process's descriptors, the socket table, and the watched folders.
// Usage: bench_readers [--repeat N] [WATCHED_DIR...]
#include <dirent.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "os/descriptors.hpp"
#include "os/process_table.hpp"
#include "os/sockets.hpp"
#include "os/temp_walk.hpp"

using namespace leakaudit;

namespace {

std::vector<int> list_pids() {
    std::vector<int> pids;
    DIR* proc = ::opendir("/proc");
    while (dirent* ent = proc ? ::readdir(proc) : nullptr) {
        int pid = 0;
        const char* end = ent->d_name + std::char_traits<char>::length(ent->d_name);
        if (std::from_chars(ent->d_name, end, pid).ptr == end && pid > 0) pids.push_back(pid);
    }
    if (proc) ::closedir(proc);
    return pids;
}

// Best of `repeat` runs: the first run warms dentry caches, like a second snapshot would.
void time_it(const char* label, int repeat, const std::function<std::string()>& work) {
    double best = 1e18;
    std::string summary;
    for (int i = 0; i < repeat; ++i) {
        auto start = std::chrono::steady_clock::now();
        summary = work();
        std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    std::printf("%-34s %9.1f ms  %s\n", label, best, summary.c_str());
}

std::string scan_fds(os::FdFlags flags) {
    os::UniqueFd proc = os::open_proc_root();
    std::size_t processes = 0, fds = 0;
    for (int pid : list_pids()) {
        std::optional<std::vector<Descriptor>> found = os::read_descriptors(proc.get(), pid, flags);
        if (!found) continue;
        ++processes;
        fds += found->size();
    }
    return std::to_string(processes) + " processes, " + std::to_string(fds) + " descriptors";
}

}  // namespace

int main(int argc, char** argv) {
    int repeat = 3;
    std::vector<std::string> roots;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--repeat" && i + 1 < argc)
            repeat = std::max(1, std::atoi(argv[++i]));
        else
            roots.push_back(arg);
    }
    time_it("process table (libproc2)", repeat,
            [] {
                auto table = os::read_process_table();
                return table ? std::to_string(table->size()) + " processes" : table.error().message;
            });
    time_it("descriptors, all pids", repeat, [] { return scan_fds(os::FdFlags::skip); });
    time_it("descriptors + fdinfo flags", repeat, [] { return scan_fds(os::FdFlags::read); });
    os::UniqueFd proc = os::open_proc_root();
    time_it("sockets (netlink sock_diag)", repeat, [&] {
        os::SocketTable t = os::read_sockets_netlink(0);
        return std::to_string(t.sockets.size()) + " sockets";
    });
    time_it("sockets (/proc/net fallback)", repeat, [&] {
        os::SocketTable t = os::read_sockets_procfs(proc.get(), 0);
        return std::to_string(t.sockets.size()) + " sockets";
    });
    if (!roots.empty()) {
        time_it("temp walk", repeat, [&] {
            os::TempScan scan = os::scan_watched(roots);
            return std::to_string(scan.entries.size()) + " entries, " + std::to_string(scan.warnings.size()) +
                   " warnings";
        });
    }
    return 0;
}
