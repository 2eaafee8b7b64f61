// The decisions are what core/diff reads of each part: new_processes and descends_from
// read every process's numbers; process_findings and the checkpoint read the new
// processes' and the hosts' descriptors, and the sockets of those by inode; add_held
// reads the descriptors of the --pid tree; tmp_findings reads BEFORE's entries by
// (path, device, inode) and AFTER's new ones (and those sharing a new one's path).
#include "core/diff_compact.hpp"

#include <algorithm>

namespace leakaudit {

namespace {

bool is_host(const Process& p, const DiffScope& scope) {
    return std::find(scope.pids.begin(), scope.pids.end(), p.id.pid) != scope.pids.end();
}

// What add_held reads: a socket's inode, or a descriptor's absolute target.
bool says_held_path(const Descriptor& d) {
    return d.type == FdType::socket || (!d.target.empty() && d.target[0] == '/');
}

}  // namespace

ProcessKeep keep_in_before(const Process& p, const DiffScope& scope) {
    return is_host(p, scope) ? ProcessKeep::whole : ProcessKeep::identity;
}

ProcessKeep keep_in_after(const Process& p, bool in_before, const DiffScope& scope) {
    if (!in_before || is_host(p, scope)) return ProcessKeep::whole;
    return scope.pids.empty() ? ProcessKeep::identity : ProcessKeep::held;
}

void reduce_process(Process& p, ProcessKeep keep) {
    if (keep == ProcessKeep::whole) return;
    p.user = std::string();
    p.name = std::string();
    p.exe = std::string();
    p.cmdline = std::vector<std::string>();
    p.run_id.reset();
    if (keep == ProcessKeep::identity) {
        p.fds = std::vector<Descriptor>();
        return;
    }
    std::erase_if(p.fds, [](const Descriptor& d) { return !says_held_path(d); });
    for (Descriptor& d : p.fds) {
        d.anon_kind = std::string();
        if (d.type == FdType::socket) d.target = std::string();
    }
    p.fds.shrink_to_fit();
}

void CompactBefore::begin(SnapshotList list) {
    if (list == SnapshotList::processes) {
        m_snapshot.processes.clear();
        m_ids.clear();
    }
    if (list == SnapshotList::tmp) m_tmp.clear();
}

void CompactBefore::add(Process&& p) {
    m_ids.insert(p.id);
    reduce_process(p, keep_in_before(p, m_scope));
    m_snapshot.processes.push_back(std::move(p));
}

Snapshot CompactBefore::take(Snapshot root) {
    root.processes = std::move(m_snapshot.processes);
    return root;
}

void CompactBefore::restart() {
    m_snapshot = Snapshot();
    m_ids.clear();
    m_tmp.clear();
}

void CompactBefore::add(Socket&&) {}  // a diff reads AFTER's sockets only

void CompactBefore::add(TmpEntry&& e) {
    m_tmp.add(e.path, e.dev, e.inode);
}

void CompactAfter::begin(SnapshotList list) {
    if (list == SnapshotList::processes) {
        m_snapshot.processes.clear();
        m_socket_inodes.clear();
        m_processes_read = true;
        m_processes_late = m_processes_late || m_sockets_dropped;
    }
    if (list == SnapshotList::sockets) {
        m_snapshot.sockets.clear();
        m_sockets_dropped = false;
    }
    if (list == SnapshotList::tmp) {
        m_snapshot.tmp.clear();
        m_dropped_paths.clear();
    }
}

void CompactAfter::add(Process&& p) {
    reduce_process(p, keep_in_after(p, m_before.has(p.id), m_scope));
    for (const Descriptor& d : p.fds) {
        if (d.type == FdType::socket) m_socket_inodes.insert(d.inode);
    }
    m_snapshot.processes.push_back(std::move(p));
}

void CompactAfter::add(Socket&& s) {
    if (m_processes_read && !m_socket_inodes.count(s.inode)) {
        m_sockets_dropped = true;
        return;
    }
    m_snapshot.sockets.push_back(std::move(s));
}

void CompactAfter::add(TmpEntry&& e) {
    if (m_before.tmp_keys().contains(e)) {
        m_dropped_paths.push_back(path_hash(e.path));
        return;
    }
    m_snapshot.tmp.push_back(std::move(e));
}

void CompactAfter::restart() {
    m_snapshot = Snapshot();
    m_processes_read = m_sockets_dropped = m_processes_late = false;
    m_socket_inodes.clear();
    m_dropped_paths.clear();
}

Snapshot CompactAfter::take(Snapshot root) {
    root.processes = std::move(m_snapshot.processes);
    root.sockets = std::move(m_snapshot.sockets);
    root.tmp = std::move(m_snapshot.tmp);
    return root;
}

bool CompactAfter::exact() const {
    if (m_processes_late) return false;
    std::vector<std::uint64_t> dropped = m_dropped_paths;
    std::sort(dropped.begin(), dropped.end());
    return std::none_of(m_snapshot.tmp.begin(), m_snapshot.tmp.end(), [&](const TmpEntry& e) {
        return std::binary_search(dropped.begin(), dropped.end(), path_hash(e.path));
    });
}

}  // namespace leakaudit
