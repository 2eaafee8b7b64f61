// Look-ups on a snapshot; linear scans are fine at the sizes a process table has.
#include "core/snapshot.hpp"

#include <algorithm>
#include <string_view>

namespace leakaudit {

const Process* Snapshot::find(const ProcessId& id) const {
    auto it = std::find_if(processes.begin(), processes.end(), [&](const Process& p) { return p.id == id; });
    return it == processes.end() ? nullptr : &*it;
}

const Process* Snapshot::find_pid(int pid) const {
    auto it = std::find_if(processes.begin(), processes.end(), [&](const Process& p) { return p.id.pid == pid; });
    return it == processes.end() ? nullptr : &*it;
}

SocketIndex::SocketIndex(const std::vector<Socket>& sockets) {
    m_by_inode.reserve(sockets.size());
    for (const Socket& s : sockets)
        m_by_inode.emplace(s.inode, &s);  // the first reading of an inode wins
}

const Socket* SocketIndex::find(std::uint64_t inode) const {
    auto it = m_by_inode.find(inode);
    return it == m_by_inode.end() ? nullptr : it->second;
}

namespace {

// Names in the enums' order, as snapshots and reports spell them.
constexpr std::string_view k_fd_type_names[] = {"file",       "dir",   "pipe",   "socket",
                                                "anon_inode", "memfd", "device", "other"};
constexpr std::string_view k_entry_type_names[] = {"file", "dir", "symlink", "socket", "fifo", "device", "other"};
static_assert(std::size(k_fd_type_names) == static_cast<std::size_t>(FdType::other) + 1);
static_assert(std::size(k_entry_type_names) == static_cast<std::size_t>(EntryType::other) + 1);

}  // namespace

std::string to_string(FdType type) {
    return std::string(k_fd_type_names[static_cast<std::size_t>(type)]);
}

std::string to_string(EntryType type) {
    return std::string(k_entry_type_names[static_cast<std::size_t>(type)]);
}

}  // namespace leakaudit
