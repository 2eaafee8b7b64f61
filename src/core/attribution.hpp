// Attribution: which processes of the after-snapshot belong to the run.
// A process is the run's when it is new since the before-snapshot, alive, and either
// descends from the harness or from leakaudit (the subreaper adopts the run's orphans,
// so double-forked and setsid daemons stay in its tree), or carries the run's id.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/finding.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

struct RunRoots {
    ProcessId self;                    // leakaudit, the run's child subreaper
    std::optional<ProcessId> harness;  // the harness's identity, if it started
    std::string run_id;                // LEAKAUDIT_RUN_ID given to the harness
};

struct RunProcess {
    const Process* process = nullptr;
    Attribution how = Attribution::descendant;
};

// Their pids: whose descriptors and sockets are read after, for the findings.
std::set<int> pids_of(const std::vector<RunProcess>& processes);

// Processes by pid, pointing into the snapshot they were indexed from.
using PidIndex = std::unordered_map<int, const Process*>;
PidIndex index_by_pid(const Snapshot& snapshot);

// Whether `process`'s parent chain in `index`, each hop started no later than its child
// (a reused pid is nobody's parent), reaches one of `roots`.
bool descends_from(const Process& process, const std::set<ProcessId>& roots, const PidIndex& index);

// Processes of `after` that are the run's, roots excluded, in (start time, pid) order.
std::vector<RunProcess> attribute_processes(const Snapshot& before, const Snapshot& after, const RunRoots& roots);

// Pids of new, live processes of `after` outside the run's tree: the only ones whose
// environment needs reading for the run id (reading all of them would cost a /proc read
// per process on the machine).
std::vector<int> outside_tree_candidates(const Snapshot& before, const Snapshot& after, const RunRoots& roots);

}  // namespace leakaudit
