// `leakaudit attach PID` decides on plain data what of a watch belongs to the host PID
// (README, "Attach to a running host"): the processes created below it during the watch,
// the temp entries its tree created (or holds), and which processes --reap may end.
#pragma once

#include <cstdint>
#include <set>
#include <vector>

#include "core/attribution.hpp"
#include "core/finding.hpp"
#include "core/live_ancestry.hpp"
#include "core/tmp_evidence.hpp"

namespace leakaudit {

struct AttachScope {
    ProcessId host;                    // PID as attach first saw it
    int host_pgid = 0;                 // its process group: a child that left it escaped
    std::set<ProcessId> host_tree;     // PID and what already ran below it when the watch began
    std::int64_t window_start_ms = 0;  // attach began (or `started` on the control channel)
};

// New processes of `after` (not in `before`, alive) created below the host during the
// watch: their parent chain in `after` reaches a member of the host's tree (each hop
// checked by start time), or the fork history saw them forked below it (an orphan
// re-parented to init). The host's tree itself is never one of them.
std::vector<RunProcess> attach_processes(const Snapshot& before, const Snapshot& after, const AttachScope& scope,
                                         const ForkHistory& forks);

// The processes whose open descriptors say a temp entry is the host's (held-open), and
// whose creations fanotify attributes when the fork history is missing: the host's tree
// as it is in `after`, plus `run`.
std::vector<RunProcess> temp_holders(const Snapshot& after, const AttachScope& scope,
                                     const std::vector<RunProcess>& run);

// Findings for the processes: the run's shape (process_findings), worded for a host
// that was attached to ("created below 1234 (node) during the watch").
std::vector<Finding> attach_process_findings(const std::vector<RunProcess>& run, const Snapshot& after,
                                             const AttachScope& scope, const std::string& host_name,
                                             const std::unordered_map<int, int>& forked_by);

// Who holds a checkpoint socket or descriptor, as a report says it: "the process 1234 (node)".
std::string host_label(int pid, const std::string& name);

enum class AttachReap {
    reap,        // proven created below the host during the watch, and not ignored
    ignored,     // a rule ignores it
    host,        // the host itself (or what already ran below it): never
    not_proven,  // neither the fork history nor its live ancestry proves it
};
std::string to_string(AttachReap verdict);

// Whether `attach --reap` may end a process finding. Proof is the fork history (forked
// below the host during the watch; the reaper then checks pid + start time), or its
// ancestry read live now reaching the host with the host's start time.
AttachReap attach_reap_verdict(const Finding& f, const AttachScope& scope, const ForkHistory& forks,
                               const std::vector<LiveProcess>& live_chain);

}  // namespace leakaudit
