// A host given with --pid must be the same process (pid and start time) in both
// snapshots; then its new descendants are its leaks, and the sockets and descriptors it
// gained are audited exactly like the `stopped` checkpoint of a run.
#include "core/diff.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/attach.hpp"
#include "core/attribution.hpp"
#include "core/checkpoint_findings.hpp"
#include "core/process_findings.hpp"
#include "core/tmp_findings.hpp"

namespace leakaudit {

namespace {

constexpr int k_kthreadd = 2;

std::set<ProcessId> hosts_in_both(const Snapshot& before, const Snapshot& after, const DiffScope& scope,
                                  std::vector<std::string>& warnings) {
    std::set<ProcessId> hosts;
    for (int pid : scope.pids) {
        const Process* then = before.find_pid(pid);
        const Process* now = after.find_pid(pid);
        if (then && now && then->id == now->id)
            hosts.insert(now->id);
        else
            warnings.push_back("--pid " + std::to_string(pid) + " is not the same running process in both snapshots");
    }
    return hosts;
}

std::vector<RunProcess> new_processes(const Snapshot& before, const Snapshot& after, const DiffScope& scope,
                                      const std::set<ProcessId>& hosts) {
    std::set<ProcessId> existed;
    for (const Process& p : before.processes)
        existed.insert(p.id);
    PidIndex by_pid = index_by_pid(after);
    std::vector<RunProcess> out;
    for (const Process& p : after.processes) {
        if (existed.count(p.id) || p.is_zombie() || p.id.pid == scope.self_pid) continue;
        if (p.ppid == k_kthreadd || p.id.pid == k_kthreadd) continue;  // kernel threads
        if (scope.uid && p.uid != *scope.uid) continue;
        if (!scope.pids.empty()) {
            if (!descends_from(p, hosts, by_pid)) continue;
            out.push_back({&p, Attribution::descendant});
        } else {
            out.push_back({&p, Attribution::new_since_before});
        }
    }
    return out;
}

std::vector<Finding> host_findings(const Snapshot& before, const Snapshot& after, const std::set<ProcessId>& hosts) {
    std::vector<Finding> out;
    for (const ProcessId& id : hosts) {
        const Process* then = before.find(id);
        const Process* now = after.find(id);
        if (!then || !now || !then->fds_scanned || !now->fds_scanned) continue;
        CheckpointInput in{then->fds, now->fds, after.sockets, id.pid, {}, host_label(id.pid, now->name)};
        for (Finding& f : checkpoint_findings(in)) {
            f.attribution = Attribution::held_by_pid;
            out.push_back(std::move(f));
        }
    }
    return out;
}

// Paths a process holds open: files by their path, unix sockets by theirs.
void add_held(const Process& p, const Snapshot& after, TmpEvidence& evidence) {
    SocketIndex sockets(after.sockets);
    for (const Descriptor& d : p.fds) {
        if (d.type == FdType::socket) {
            const Socket* s = sockets.find(d.inode);
            if (s && !s->path.empty()) evidence.held_by_run.insert(s->path);
        } else if (!d.target.empty() && d.target[0] == '/') {
            evidence.held_by_run.insert(d.target);
        }
    }
}

// What --pid left out of the temp entries, said once: how many, and why.
template <class Own>
std::string narrowing_note(const TmpKeySet& before, const Snapshot& after, TmpEvidence evidence, std::size_t kept,
                           Own own) {
    evidence.held_only = false;
    evidence.owner_uid.reset();
    std::vector<Finding> all = tmp_findings(before, after, evidence);
    std::erase_if(all, own);
    std::size_t left_out = all.size() > kept ? all.size() - kept : 0;
    if (left_out == 0) return "";
    return "--pid: " + std::to_string(left_out) + (left_out == 1 ? " new temp entry" : " new temp entries") +
           " left out: not held open by the --pid hosts' tree (a snapshot does not record who created an entry; "
           "`leakaudit attach PID` does)";
}

}  // namespace

DiffResult diff_findings(const Snapshot& before, const Snapshot& after, const DiffScope& scope) {
    return diff_findings(before, TmpKeySet(before.tmp), after, scope);
}

DiffResult diff_findings(const Snapshot& before, const TmpKeySet& before_tmp, const Snapshot& after,
                         const DiffScope& scope) {
    DiffResult result;
    std::set<ProcessId> hosts = hosts_in_both(before, after, scope, result.warnings);
    std::vector<RunProcess> run = new_processes(before, after, scope, hosts);
    RunRoots roots;  // no harness and no subreaper in a diff
    roots.self = ProcessId{scope.self_pid, 0};
    result.findings = process_findings(run, after, roots, AuditPoint::after_exit);
    for (Finding& f : result.findings) {
        f.message = "process " + std::to_string(f.process->id.pid) + " (" + f.process->name +
                    ") is new since the before snapshot";
    }
    for (Finding& f : host_findings(before, after, hosts))
        result.findings.push_back(std::move(f));

    TmpEvidence evidence;
    evidence.mode = TmpMode::diff;
    evidence.owner_uid = scope.uid;
    evidence.window_start_ms = before.taken_at_ms;
    evidence.window_end_ms = after.taken_at_ms;
    for (const RunProcess& rp : run)
        add_held(*rp.process, after, evidence);
    // --pid: the hosts' whole tree in AFTER (what ran before too) says which entries it holds.
    PidIndex by_pid = index_by_pid(after);
    for (const Process& p : after.processes) {
        if (hosts.count(p.id) || descends_from(p, hosts, by_pid)) add_held(p, after, evidence);
    }
    evidence.held_only = !scope.pids.empty();
    auto own = [&](const Finding& f) {
        return std::find(scope.own_paths.begin(), scope.own_paths.end(), f.tmp->path) != scope.own_paths.end();
    };
    std::vector<Finding> tmp = tmp_findings(before_tmp, after, evidence);
    std::erase_if(tmp, own);
    if (evidence.held_only) {
        std::string note = narrowing_note(before_tmp, after, evidence, tmp.size(), own);
        if (!note.empty()) result.warnings.push_back(note);
    }
    for (Finding& f : tmp)
        result.findings.push_back(std::move(f));
    return result;
}

}  // namespace leakaudit
