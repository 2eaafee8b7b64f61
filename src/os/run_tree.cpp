// Each process is pinned with a pidfd before it is signalled, and kept only when its
// parent is still the tree member it was found under (or the root, after re-parenting):
// a pid that was recycled by an unrelated process in between is never signalled.
#include "os/run_tree.hpp"

#include <dirent.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>

#include "os/pidfd.hpp"

namespace leakaudit::os {

namespace {

struct Stat {
    char state = '?';
    int ppid = 0;
    std::uint64_t start_ticks = 0;
};

// Fields 3, 4 and 22 of /proc/PID/stat, read after the last ')' since comm may hold anything.
std::optional<Stat> read_stat(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    std::size_t close = line.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    Stat s;
    unsigned long long start = 0;
    // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime priority nice num_threads itrealvalue starttime
    int n = std::sscanf(line.c_str() + close + 1,
                        " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu", &s.state,
                        &s.ppid, &start);
    if (n < 2) return std::nullopt;
    s.start_ticks = start;
    return s;
}

std::string comm_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    std::getline(in, name);
    return name;
}

std::vector<int> children_of(int pid) {
    std::vector<int> out;
    std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = ::opendir(task_dir.c_str());
    if (!dir) return out;
    while (dirent* d = ::readdir(dir)) {
        if (d->d_name[0] == '.') continue;
        std::ifstream in(task_dir + "/" + d->d_name + "/children");
        for (int child; in >> child;)
            out.push_back(child);
    }
    ::closedir(dir);
    return out;
}

struct Member {
    int pid;
    int parent;
};

std::vector<Member> walk(int root) {
    std::vector<Member> members;
    std::vector<int> queue{root};
    std::set<int> seen{root};
    while (!queue.empty()) {
        int pid = queue.back();
        queue.pop_back();
        for (int child : children_of(pid)) {
            if (!seen.insert(child).second) continue;
            members.push_back({child, pid});
            queue.push_back(child);
        }
    }
    return members;
}

bool stopped_or_gone(int pid) {
    std::optional<Stat> s = read_stat(pid);
    return !s || s->state == 'T' || s->state == 't' || s->state == 'Z' || s->state == 'X';
}

void pause_ms(long ms) {
    timespec ts{0, ms * 1'000'000L};
    ::nanosleep(&ts, nullptr);
}

// A pidfd for `m.pid` when it is still a member of the tree (its parent is the one it
// was found under, or the root after re-parenting).
UniqueFd pin(const Member& m, int root) {
    UniqueFd fd(pidfd_open(m.pid));
    if (!fd) return fd;
    std::optional<Stat> s = read_stat(m.pid);
    if (!s || (s->ppid != m.parent && s->ppid != root)) fd.reset();
    return fd;
}

}  // namespace

std::vector<int> tree_below(int root) {
    std::vector<int> pids;
    for (const Member& m : walk(root))
        pids.push_back(m.pid);
    return pids;
}

std::vector<LiveProcess> read_live_ancestry(int pid) {
    std::vector<LiveProcess> chain;
    for (int depth = 0; pid > 0 && depth < 4096; ++depth) {
        std::optional<Stat> s = read_stat(pid);
        if (!s) break;
        chain.push_back(LiveProcess{ProcessId{pid, s->start_ticks}, s->ppid});
        pid = s->ppid;
    }
    return chain;
}

FreezeResult TreeFreezer::freeze(std::chrono::steady_clock::time_point deadline) {
    FreezeResult result;
    for (;;) {
        ++result.passes;
        bool found_new = false;
        for (const Member& m : walk(m_root)) {
            if (m_frozen.count(m.pid)) continue;
            UniqueFd fd = pin(m, m_root);
            if (!fd || pidfd_send_signal(fd.get(), SIGSTOP) != 0) continue;
            m_frozen.emplace(m.pid, std::move(fd));
            found_new = true;
        }
        // A stop takes effect on the way back to user space: wait for it before judging.
        for (int waited = 0; waited < 50; ++waited) {
            bool all =
                std::all_of(m_frozen.begin(), m_frozen.end(), [](const auto& f) { return stopped_or_gone(f.first); });
            if (all) break;
            pause_ms(1);
        }
        if (!found_new) {
            result.complete = true;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
    }
    result.frozen = m_frozen.size();
    return result;
}

std::vector<std::pair<int, std::string>> TreeFreezer::kill_all_but(const std::vector<int>& keep,
                                                                   std::chrono::steady_clock::time_point deadline) {
    std::vector<std::pair<int, std::string>> killed;
    std::set<int> kept(keep.begin(), keep.end());
    for (;;) {
        bool any = false;
        for (const Member& m : walk(m_root)) {
            if (kept.count(m.pid)) continue;
            std::optional<Stat> s = read_stat(m.pid);
            if (!s || s->state == 'Z') continue;  // exited: the supervisor collects it
            UniqueFd fd = pin(m, m_root);
            if (!fd) continue;
            std::string name = comm_of(m.pid);
            if (pidfd_send_signal(fd.get(), SIGKILL) != 0) continue;
            killed.emplace_back(m.pid, name);
            m_frozen.erase(m.pid);
            any = true;
        }
        if (!any || std::chrono::steady_clock::now() >= deadline) return killed;
        pause_ms(5);
    }
}

void TreeFreezer::thaw() {
    for (auto& [pid, fd] : m_frozen)
        pidfd_send_signal(fd.get(), SIGCONT);
    m_frozen.clear();
}

}  // namespace leakaudit::os
