// Attribution for attach: like run's (core/attribution.cpp), but the roots are the host
// and what already ran below it, not leakaudit, so there is no subreaper to adopt the
// host's orphans: the fork history stands in for it (README, "Attach to a running host").
#include "core/attach.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/attribution.hpp"
#include "core/process_findings.hpp"

namespace leakaudit {

namespace {

constexpr int k_kthreadd = 2;

bool forked_below(int pid, const ForkHistory& forks) {
    return forks.available && !forks.lost_events && forks.is_run_pid(pid);
}

bool in_tree(const ProcessId& id, const AttachScope& scope) {
    return id == scope.host || scope.host_tree.count(id);
}

const std::string k_child_hint = "a child process outlived stop(): kill it (and wait for it) in onStop()";

}  // namespace

std::vector<RunProcess> attach_processes(const Snapshot& before, const Snapshot& after, const AttachScope& scope,
                                         const ForkHistory& forks) {
    std::set<ProcessId> existed;
    for (const Process& p : before.processes)
        existed.insert(p.id);
    std::set<ProcessId> tree = scope.host_tree;
    tree.insert(scope.host);
    PidIndex index = index_by_pid(after);
    std::vector<RunProcess> run;
    for (const Process& p : after.processes) {
        if (p.is_zombie() || existed.count(p.id) || in_tree(p.id, scope)) continue;
        if (p.id.pid == k_kthreadd || p.ppid == k_kthreadd) continue;
        if (descends_from(p, tree, index) || forked_below(p.id.pid, forks))
            run.push_back({&p, Attribution::descendant});
    }
    std::sort(run.begin(), run.end(), [](const RunProcess& a, const RunProcess& b) {
        return std::pair(a.process->id.start_ticks, a.process->id.pid) <
               std::pair(b.process->id.start_ticks, b.process->id.pid);
    });
    return run;
}

std::vector<RunProcess> temp_holders(const Snapshot& after, const AttachScope& scope,
                                     const std::vector<RunProcess>& run) {
    std::vector<RunProcess> holders = run;
    for (const Process& p : after.processes) {
        if (in_tree(p.id, scope)) holders.push_back({&p, Attribution::descendant});
    }
    return holders;
}

std::string host_label(int pid, const std::string& name) {
    return "the process " + std::to_string(pid) + (name.empty() ? "" : " (" + name + ")");
}

std::vector<Finding> attach_process_findings(const std::vector<RunProcess>& run, const Snapshot& after,
                                             const AttachScope& scope, const std::string& host_name,
                                             const std::unordered_map<int, int>& forked_by) {
    RunRoots roots;
    roots.self = scope.host;
    roots.harness = scope.host;
    std::vector<Finding> findings = process_findings(run, after, roots, AuditPoint::after_exit, forked_by);
    for (Finding& f : findings) {
        const Process& p = *f.process;
        f.message = "process " + std::to_string(p.id.pid) + " (" + p.name + ") is still running: created below " +
                    std::to_string(scope.host.pid) + " (" + host_name + ") during the watch";
        // process_findings takes a process group other than the harness's pid for an
        // escape; a host need not lead its group, so the host's own group is the test.
        if (f.hint.starts_with("a daemon escaped") && p.pgid == scope.host_pgid) f.hint = k_child_hint;
    }
    return findings;
}

std::string to_string(AttachReap verdict) {
    switch (verdict) {
        case AttachReap::reap:
            return "reap";
        case AttachReap::ignored:
            return "a rule ignores it";
        case AttachReap::host:
            return "it is the host, or ran below it before the watch";
        case AttachReap::not_proven:
            return "neither the fork history nor its live ancestry proves it was created below the host during the "
                   "watch";
    }
    return "unknown";
}

AttachReap attach_reap_verdict(const Finding& f, const AttachScope& scope, const ForkHistory& forks,
                               const std::vector<LiveProcess>& live_chain) {
    if (f.kind != Kind::process || !f.process) return AttachReap::not_proven;
    const ProcessId& id = f.process->id;
    if (id.pid == scope.host.pid || in_tree(id, scope)) return AttachReap::host;
    if (f.severity == Severity::ignore) return AttachReap::ignored;
    if (f.attribution != Attribution::descendant) return AttachReap::not_proven;
    if (forked_below(id.pid, forks)) return AttachReap::reap;
    std::vector<ProcessId> hosts(scope.host_tree.begin(), scope.host_tree.end());
    hosts.push_back(scope.host);
    return live_descendant_of(live_chain, id, hosts) ? AttachReap::reap : AttachReap::not_proven;
}

}  // namespace leakaudit
