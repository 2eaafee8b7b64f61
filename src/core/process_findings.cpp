// The id of a process finding hashes its command line and those of its in-run
// ancestors: the same leak at the same place in the tree gets the same id every run,
// while pids and start times (different every run) stay out of it.
#include "core/process_findings.hpp"

#include <algorithm>
#include <map>

#include "core/finding_id.hpp"

namespace leakaudit {

namespace {

std::optional<int> parent_in_run(const Process& p, const std::map<int, const Process*>& run, const RunRoots& roots,
                                 const std::unordered_map<int, int>& forked_by) {
    if (run.count(p.ppid)) return p.ppid;
    // Adopted, but the fork history knows which of the run's processes started it.
    auto forker = forked_by.find(p.id.pid);
    if (p.ppid == roots.self.pid && forker != forked_by.end() && forker->second != roots.self.pid) {
        return forker->second;
    }
    if (roots.harness && p.ppid == roots.harness->pid) return p.ppid;
    // Adopted by the subreaper: its own parent is gone, and only the run could have started it.
    if (p.ppid == roots.self.pid && roots.harness) return roots.harness->pid;
    return std::nullopt;
}

std::vector<std::string> tree_path(const Process& p, const std::map<int, const Process*>& run) {
    std::vector<std::string> path{stable_command_key(p.cmdline.empty() ? std::vector{p.name} : p.cmdline)};
    const Process* current = &p;
    for (std::size_t hops = 0; hops < run.size(); ++hops) {
        auto parent = run.find(current->ppid);
        if (parent == run.end()) break;
        current = parent->second;
        path.push_back(stable_command_key(current->cmdline.empty() ? std::vector{current->name} : current->cmdline));
    }
    return path;
}

bool holds_listener(const std::vector<HeldResource>& resources) {
    return std::any_of(resources.begin(), resources.end(),
                       [](const HeldResource& r) { return r.socket && r.socket->state == "listen"; });
}

std::string hint_for(const Process& p, const RunProcess& rp, const std::vector<HeldResource>& held,
                     const RunRoots& roots) {
    if (holds_listener(held)) {
        return "a server process outlived stop(): close its server and kill the process (and wait "
               "for it) in onStop()";
    }
    if (rp.how == Attribution::run_id) {
        return "started with the run's environment but outside its process tree (a service manager or "
               "another daemon launched it): stop it explicitly in onStop()";
    }
    // The harness runs in a process group of its own: leaving it takes setsid or setpgid.
    if (roots.harness && p.pgid != roots.harness->pid) return std::string(k_escaped_hint);
    return "a child process outlived stop(): kill it (and wait for it) in onStop()";
}

}  // namespace

std::string describe_socket(const Socket& s) {
    std::string where = s.path.empty() ? s.local : s.path;
    if (s.proto == "unix" && where.empty()) where = "(unnamed)";
    std::string text = s.proto + " " + where;
    if (!s.remote.empty()) text += " -> " + s.remote;
    if (!s.state.empty()) text += " " + s.state;
    return text;
}

std::string hint_for_recorded_spawn(const std::string& hint, const Handle& spawn) {
    if (hint != k_escaped_hint) return hint;
    std::string how = spawn.ref ? "detached: true" : "detached: true and unref()";
    return "a child spawned with " + how +
           " outlives the plugin: keep the ChildProcess and kill it (process.kill(-child.pid) for its group) in "
           "onStop()";
}

std::vector<HeldResource> held_resources(const Process& process, const Snapshot& snapshot) {
    SocketIndex sockets(snapshot.sockets);
    std::vector<HeldResource> held;
    for (const Descriptor& d : process.fds) {
        HeldResource r;
        r.fd = d;
        if (d.type == FdType::socket) {
            const Socket* s = sockets.find(d.inode);
            if (!s) continue;  // a socket no reader could describe
            r.socket = *s;
            r.text = "holds " + describe_socket(*s);
        } else if (d.type == FdType::file || d.type == FdType::dir || d.type == FdType::memfd) {
            // Inherited stdio is the harness's business, not the leaked process's; a
            // process's own /proc and /sys files say nothing about what it leaks.
            if (d.fd <= 2 || d.target.starts_with("/proc/") || d.target.starts_with("/sys/")) continue;
            r.text = "holds " + d.target;
        } else {
            continue;
        }
        held.push_back(std::move(r));
    }
    return held;
}

std::vector<Finding> process_findings(const std::vector<RunProcess>& run, const Snapshot& after, const RunRoots& roots,
                                      AuditPoint point, const std::unordered_map<int, int>& forked_by) {
    std::map<int, const Process*> by_pid;
    for (const RunProcess& rp : run)
        by_pid.emplace(rp.process->id.pid, rp.process);

    std::vector<Finding> findings;
    for (const RunProcess& rp : run) {
        const Process& p = *rp.process;
        Finding f;
        f.kind = Kind::process;
        f.id = make_finding_id(Kind::process, tree_path(p, by_pid));
        f.attribution = rp.how;
        f.process = p;
        f.parent_in_run = parent_in_run(p, by_pid, roots, forked_by);
        f.resources = held_resources(p, after);
        f.message = "process " + std::to_string(p.id.pid) + " (" + p.name + ") is still running " +
                    (point == AuditPoint::at_stopped ? "after the harness said stopped" : "after the harness exited");
        f.hint =
            by_pid.count(p.ppid) && !holds_listener(f.resources)
                ? "part of a leaked process tree: end the tree's root in onStop() (and wait for it); its helpers go "
                  "with it"
                : hint_for(p, rp, f.resources, roots);
        findings.push_back(std::move(f));
    }
    disambiguate_ids(findings);
    return findings;
}

}  // namespace leakaudit
