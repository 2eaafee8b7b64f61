// Cheap enough to run every 30 s and at each cycle: one walk of the tree (os/run_tree),
// one /proc/PID/stat read per process, a /proc/PID/fd read each when asked (bounded),
// one socket table.
#include "os/live_run.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "os/run_tree.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit::os {

namespace {

std::string read_text(const std::string& path, std::size_t limit) {
    std::ifstream in(path);
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

// Name and state from /proc/PID/stat (the name is what lies between the first '(' and
// the last ')', since it may hold anything); false when the process is gone.
bool read_name_and_state(int pid, Process& p) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat", 4096);
    std::size_t open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 >= stat.size()) return false;
    p.name = stat.substr(open + 1, close - open - 1);
    p.state = stat[close + 2];
    return true;
}

}  // namespace

LiveRun read_live_run(int root, const LiveRead& what) {
    LiveRun run;
    for (int pid : tree_below(root)) {
        if (run.processes.size() >= what.limit) break;
        Process p;
        p.id.pid = pid;
        if (!read_name_and_state(pid, p)) continue;  // gone
        if (what.descriptors) {
            p.fds = descriptors_of(pid);
            p.fds_scanned = true;
        }
        run.processes.push_back(std::move(p));
    }
    if (what.sockets) {
        Snapshot sockets;
        add_sockets(sockets);
        run.sockets = std::move(sockets.sockets);
    }
    return run;
}

std::optional<std::int64_t> read_thread_count(int pid) {
    std::istringstream status(read_text("/proc/" + std::to_string(pid) + "/status", std::size_t{16} * 1024));
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Threads:", 0) == 0) {
            std::istringstream value(line.substr(8));
            std::int64_t threads = 0;
            if (value >> threads) return threads;
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::vector<std::string> still_existing(const std::vector<std::pair<std::string, EntryIdentity>>& entries) {
    std::vector<std::string> out;
    for (const auto& [path, identity] : entries) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) continue;
        if (static_cast<std::uint64_t>(st.st_dev) == identity.dev &&
            static_cast<std::uint64_t>(st.st_ino) == identity.inode)
            out.push_back(path);
    }
    return out;
}

}  // namespace leakaudit::os
