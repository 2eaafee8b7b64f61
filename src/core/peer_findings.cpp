// Joins by inode only: a unix socket's peer inode comes from sock_diag (UNIX_DIAG_PEER);
// both ends of a pipe are one inode. Without a peer inode (the /proc/net/unix fallback),
// nothing is folded and the findings stay as they were.
#include "core/peer_findings.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/harness_findings.hpp"
#include "core/process_findings.hpp"
#include "core/run_limits.hpp"

namespace leakaudit {

namespace {

constexpr std::string_view k_connected = "connected to the harness by ";

// The inode on the other end of a harness descriptor, and what to call the link.
struct Link {
    std::uint64_t far_inode = 0;
    std::string what;
};

std::optional<Link> link_of(const Descriptor& d, const Socket* s) {
    if (d.type == FdType::pipe && d.inode) return Link{d.inode, "pipe"};
    if (d.type == FdType::socket && s && s->proto == "unix" && s->peer_inode)
        return Link{s->peer_inode, "unix socket pair"};
    return std::nullopt;
}

// A process's socket and pipe inodes.
std::set<std::uint64_t> inodes_of(const Process& p) {
    std::set<std::uint64_t> out;
    for (const Descriptor& d : p.fds) {
        if ((d.type == FdType::socket || d.type == FdType::pipe) && d.inode) out.insert(d.inode);
    }
    return out;
}

bool foldable(const Finding& f) {
    return (f.kind == Kind::socket || f.kind == Kind::fd) && f.attribution == Attribution::checkpoint && f.fd;
}

std::string process_label(const Process& p) {
    return std::to_string(p.id.pid) + " (" + p.name + ")";
}

// The Node kit's handle of a child process ("child pid 4242: sleep 300"): the same leak
// as the process finding of that pid.
Finding* spawned_child(const Finding& f, std::vector<std::pair<Finding*, std::set<std::uint64_t>>>& processes) {
    if (f.kind != Kind::handle || !f.handle || f.handle->type != "ProcessWrap") return nullptr;
    constexpr std::string_view prefix = "child pid ";
    const std::string& detail = f.handle->detail;
    if (!detail.starts_with(prefix)) return nullptr;
    std::size_t end = detail.find(':', prefix.size());
    std::string pid = detail.substr(prefix.size(), end == std::string::npos ? end : end - prefix.size());
    for (auto& [process, inodes] : processes) {
        if (std::to_string(process->process->id.pid) == pid) return process;
    }
    return nullptr;
}

// The process finding takes the handle's creation site (JSON `site`, annotations' file
// and line) and says where it was spawned; a child out of the harness's group was spawned
// detached, and its hint says so (hint_for_recorded_spawn).
void fold_child_handle(Finding& process, const Finding& handle) {
    if (!process.handle) process.handle = handle.handle;
    process.hint = hint_for_recorded_spawn(process.hint, *handle.handle);
    std::string where = handle.handle->where.site.empty() ? "" : " at " + handle.handle->where.site;
    HeldResource r;
    r.text = std::string("spawned by the harness") + where + (handle.handle->ref ? "" : " (unref'd)");
    process.resources.insert(process.resources.begin(), std::move(r));
}

}  // namespace

void fold_peer_findings(std::vector<Finding>& findings) {
    std::vector<std::pair<Finding*, std::set<std::uint64_t>>> processes;
    for (Finding& f : findings) {
        if (f.kind == Kind::process && f.process) processes.emplace_back(&f, inodes_of(*f.process));
    }
    if (processes.empty()) return;
    std::vector<bool> folded(findings.size(), false);
    for (std::size_t i = 0; i < findings.size(); ++i) {
        Finding& f = findings[i];
        if (!foldable(f)) continue;
        std::optional<Link> link = link_of(*f.fd, f.socket ? &*f.socket : nullptr);
        if (!link) continue;
        for (auto& [process, inodes] : processes) {
            if (!inodes.count(link->far_inode)) continue;
            // The process's own end of the same connection says the same thing: replaced.
            std::erase_if(process->resources, [&](const HeldResource& r) {
                return r.fd && r.fd->inode == link->far_inode && !r.text.starts_with(k_connected);
            });
            HeldResource r;
            r.fd = f.fd;
            r.socket = f.socket;
            r.text = std::string(k_connected) + link->what;
            process->resources.insert(process->resources.begin(), std::move(r));
            folded[i] = true;
            break;
        }
    }
    for (std::size_t i = 0; i < findings.size(); ++i) {
        if (Finding* process = spawned_child(findings[i], processes)) {
            fold_child_handle(*process, findings[i]);
            folded[i] = true;
        }
    }
    std::size_t i = 0;
    std::erase_if(findings, [&](const Finding&) { return folded[i++]; });
}

std::vector<HeldResource> harness_held_resources(const Process& harness, const std::vector<Process>& run,
                                                 const Snapshot& snapshot) {
    SocketIndex sockets(snapshot.sockets);
    std::map<std::uint64_t, const Process*> holder;
    for (const Process& p : run) {
        if (p.id.pid == harness.id.pid) continue;
        for (std::uint64_t inode : inodes_of(p))
            holder.emplace(inode, &p);
    }
    std::vector<HeldResource> held;
    Process rest = harness;
    rest.fds.clear();
    for (const Descriptor& d : harness.fds) {
        const Socket* s = d.type == FdType::socket ? sockets.find(d.inode) : nullptr;
        // Inherited stdio is shared with every child, not a link to one of them.
        std::optional<Link> link = d.fd > 2 ? link_of(d, s) : std::nullopt;
        auto far = link ? holder.find(link->far_inode) : holder.end();
        if (far == holder.end()) {
            rest.fds.push_back(d);
            continue;
        }
        HeldResource r;
        r.fd = d;
        if (s) r.socket = *s;
        r.text = "holds " + link->what + " to child " + process_label(*far->second);
        r.child_pid = far->second->id.pid;
        held.push_back(std::move(r));
    }
    for (HeldResource& r : held_resources(rest, snapshot))
        held.push_back(std::move(r));
    return held;
}

HeldResource held_child(const std::string& description) {
    HeldResource r;
    r.text = "holds " + description;
    constexpr std::string_view prefix = "child ";
    if (!description.starts_with(prefix)) return r;
    int pid = 0;
    std::size_t at = prefix.size();
    for (; at < description.size() && at < prefix.size() + 9 && description[at] >= '0' && description[at] <= '9'; ++at)
        pid = pid * 10 + (description[at] - '0');
    bool ends = at == description.size() || description[at] == ' ';
    if (pid > 0 && ends && at > prefix.size()) r.child_pid = pid;
    return r;
}

namespace {

bool is_hang(const Finding& f) {
    return f.kind == Kind::harness && f.attribution == Attribution::harness && f.severity == Severity::error;
}

// "it kept the harness alive until --timeout, when the harness was killed".
std::string kept_alive_text(const HarnessOutcome& o) {
    if (o.exit_timed_out)
        return "it kept the harness from exiting after stopped until --exit-timeout, when the harness was killed";
    bool ci = o.timeout.source == TimeoutSource::ci_default;
    return "it kept the harness alive until " + (ci ? describe_timeout(o.timeout) : std::string("--timeout")) +
           ", when the harness was killed";
}

// The harness's end of a link to `process` (a hang resource), as fold_peer_findings puts
// a checkpoint finding's: the process's own view of it goes; said once.
void take_link(Finding& process, const HeldResource& held) {
    std::optional<Link> link = held.fd ? link_of(*held.fd, held.socket ? &*held.socket : nullptr) : std::nullopt;
    if (!link) return;
    bool known = std::any_of(process.resources.begin(), process.resources.end(), [&](const HeldResource& r) {
        return r.fd && r.fd->inode == held.fd->inode && r.text.starts_with(k_connected);
    });
    if (known) return;  // folded from the checkpoint already
    std::erase_if(process.resources, [&](const HeldResource& r) {
        return r.fd && r.fd->inode == link->far_inode && !r.text.starts_with(k_connected);
    });
    HeldResource r = held;
    r.text = std::string(k_connected) + link->what;
    process.resources.insert(process.resources.begin(), std::move(r));
}

}  // namespace

// A listening socket the hung harness holds, and the server the kit reported on its port.
bool serves(const Finding& handle, const HeldResource& held) {
    if (!held.socket || held.socket->state != "listen" || held.socket->local_port <= 0) return false;
    return handle.handle->detail.ends_with(":" + std::to_string(held.socket->local_port));
}

void fold_hang_into_leaks(std::vector<Finding>& findings, const HarnessOutcome& outcome,
                          const std::vector<std::string>& command) {
    if (!outcome.timed_out && !outcome.exit_timed_out) return;
    auto hang = std::find_if(findings.begin(), findings.end(), is_hang);
    if (hang == findings.end()) return;
    std::map<int, std::size_t> process_at;
    std::vector<std::size_t> handles;  // the kit's ref'd handles: each keeps the loop alive
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (f.severity == Severity::ignore) continue;  // a rule said it is fine: it explains nothing
        if (f.kind == Kind::process && f.process) process_at.emplace(f.process->id.pid, i);
        if (f.kind == Kind::handle && f.handle && f.handle->ref && f.attribution == Attribution::node_kit)
            handles.push_back(i);
    }
    if (hang->resources.empty() && handles.empty()) return;  // nothing known keeps it alive
    for (const HeldResource& r : hang->resources) {
        bool child = r.child_pid && process_at.count(*r.child_pid);
        // A Node child (a test runner's test file) kept alive by a handle reported in it.
        bool explained = std::any_of(handles.begin(), handles.end(), [&](std::size_t i) {
            return serves(findings[i], r) || (r.child_pid && findings[i].owner_pid == r.child_pid);
        });
        if (!child && !explained) return;  // something no finding explains may keep it alive
    }
    std::string why = kept_alive_text(outcome);
    std::string runner_hint = force_exit_hint(command);
    auto tell = [&](Finding& f) {
        f.message += "; " + why;
        f.hint += runner_hint;
        HeldResource said;
        said.text = why;
        f.resources.push_back(std::move(said));
    };
    std::set<int> told;
    for (const HeldResource& r : hang->resources) {
        if (!r.child_pid || !process_at.count(*r.child_pid)) continue;
        Finding& process = findings[process_at.at(*r.child_pid)];
        take_link(process, r);
        if (told.insert(*r.child_pid).second) tell(process);
    }
    for (std::size_t i : handles)
        tell(findings[i]);
    findings.erase(hang);
}

std::vector<std::string> counted_texts(const std::vector<HeldResource>& held) {
    std::vector<std::string> order;
    std::map<std::string, int> count;
    for (const HeldResource& r : held) {
        std::string what = r.text.starts_with("holds ") ? r.text.substr(6) : r.text;
        if (count[what]++ == 0) order.push_back(what);
    }
    std::vector<std::string> out;
    for (const std::string& what : order)
        out.push_back(count[what] > 1 ? std::to_string(count[what]) + " × " + what : what);
    return out;
}

}  // namespace leakaudit
