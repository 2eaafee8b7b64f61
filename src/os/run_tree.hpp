// The run's process tree as leakaudit sees it as child subreaper: its children (every
// orphan of the run is re-parented to it) and theirs, read from
// /proc/PID/task/*/children at the moment of asking. A process that keeps forking a
// successor and exiting never leaves this tree, however fast its pid changes, so
// freezing the tree (SIGSTOP, pass after pass until nothing in it runs) pins it for the
// after-snapshot and the reaper (README, "Attribution: what counts as the run's").
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/live_ancestry.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

// Pids below `root` (not `root` itself), parents before children.
std::vector<int> tree_below(int root);

// `pid` and its ancestors as /proc says now (pid, start time, parent), up to pid 1 or the
// first one that cannot be read.
std::vector<LiveProcess> read_live_ancestry(int pid);

struct FreezeResult {
    std::size_t frozen = 0;  // processes stopped
    int passes = 0;          // walks of the tree until a walk found nothing new
    bool complete = false;   // nothing in the tree still runs
};

class TreeFreezer {
public:
    explicit TreeFreezer(int root) : m_root(root) {}
    TreeFreezer(const TreeFreezer&) = delete;
    TreeFreezer& operator=(const TreeFreezer&) = delete;
    ~TreeFreezer() { thaw(); }

    // Stops every process below the root, walk after walk, until a walk finds every one
    // stopped, or `deadline` passes.
    FreezeResult freeze(std::chrono::steady_clock::time_point deadline);
    // SIGKILLs what is in the tree now and was not in `keep` (pids), walk after walk,
    // until none is left or the deadline passes. Returns (pid, name) of each one killed.
    std::vector<std::pair<int, std::string>> kill_all_but(const std::vector<int>& keep,
                                                          std::chrono::steady_clock::time_point deadline);
    // SIGCONT to every process it stopped that is still alive.
    void thaw();

private:
    int m_root;
    std::map<int, UniqueFd> m_frozen;  // pid → pidfd of the process stopped
};

}  // namespace leakaudit::os
