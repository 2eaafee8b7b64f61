// Ancestry is walked by pid but each hop is checked by identity (pid, start time):
// a process whose ancestor's pid was reused by an unrelated process is not the run's.
#include "core/attribution.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace leakaudit {

namespace {

bool is_root(const ProcessId& id, const RunRoots& roots) {
    return id == roots.self || (roots.harness && id == *roots.harness);
}

// Calls visit(process, descends) for each new, live, non-root process of `after`.
template <class Visit>
void for_each_new_process(const Snapshot& before, const Snapshot& after, const RunRoots& roots, Visit visit) {
    std::set<ProcessId> existed;
    for (const Process& p : before.processes)
        existed.insert(p.id);
    PidIndex index = index_by_pid(after);
    std::set<ProcessId> root_ids{roots.self};
    if (roots.harness) root_ids.insert(*roots.harness);
    for (const Process& p : after.processes) {
        if (p.is_zombie() || existed.count(p.id) || is_root(p.id, roots)) continue;
        visit(p, descends_from(p, root_ids, index));
    }
}

}  // namespace

std::vector<int> outside_tree_candidates(const Snapshot& before, const Snapshot& after, const RunRoots& roots) {
    std::vector<int> pids;
    for_each_new_process(before, after, roots, [&](const Process& p, bool in_tree) {
        if (!in_tree) pids.push_back(p.id.pid);
    });
    return pids;
}

std::vector<RunProcess> attribute_processes(const Snapshot& before, const Snapshot& after, const RunRoots& roots) {
    std::vector<RunProcess> run;
    for_each_new_process(before, after, roots, [&](const Process& p, bool in_tree) {
        if (in_tree)
            run.push_back({&p, Attribution::descendant});
        else if (!roots.run_id.empty() && p.run_id == roots.run_id)
            run.push_back({&p, Attribution::run_id});
    });
    std::sort(run.begin(), run.end(), [](const RunProcess& a, const RunProcess& b) {
        return std::pair(a.process->id.start_ticks, a.process->id.pid) <
               std::pair(b.process->id.start_ticks, b.process->id.pid);
    });
    return run;
}

std::set<int> pids_of(const std::vector<RunProcess>& processes) {
    std::set<int> pids;
    for (const RunProcess& rp : processes)
        pids.insert(rp.process->id.pid);
    return pids;
}

PidIndex index_by_pid(const Snapshot& snapshot) {
    PidIndex index;
    index.reserve(snapshot.processes.size());
    for (const Process& p : snapshot.processes)
        index.emplace(p.id.pid, &p);
    return index;
}

bool descends_from(const Process& process, const std::set<ProcessId>& roots, const PidIndex& index) {
    const Process* current = &process;
    // A parent always started before its child; the hop limit guards against a torn table.
    for (std::size_t hops = 0; hops <= index.size(); ++hops) {
        auto parent = index.find(current->ppid);
        if (parent == index.end() || parent->second->id.start_ticks > current->id.start_ticks) return false;
        if (roots.count(parent->second->id)) return true;
        current = parent->second;
    }
    return false;
}

}  // namespace leakaudit
