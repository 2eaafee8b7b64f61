// `diff --reap` acts on the live machine, not on what a snapshot file says: a forged or
// stale AFTER.json must not get an unrelated process killed. Each target is re-checked
// on its ancestry as read from /proc just before signalling (README, "By hand").
#pragma once

#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit {

struct LiveProcess {
    ProcessId id;  // pid and start time, read now
    int ppid = 0;
};

// True when chain[0] is `target` itself (same pid and start time), each next entry is the
// previous one's parent and started no later than it, and the chain reaches one of
// `hosts` with the host's own start time.
bool live_descendant_of(const std::vector<LiveProcess>& chain, const ProcessId& target,
                        const std::vector<ProcessId>& hosts);

}  // namespace leakaudit
