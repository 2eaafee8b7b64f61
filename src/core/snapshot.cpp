// Look-ups on a snapshot; linear scans are fine at the sizes a process table has.
#include "core/snapshot.hpp"

#include <algorithm>

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

std::string to_string(FdType type) {
    switch (type) {
        case FdType::file:
            return "file";
        case FdType::dir:
            return "dir";
        case FdType::pipe:
            return "pipe";
        case FdType::socket:
            return "socket";
        case FdType::anon_inode:
            return "anon_inode";
        case FdType::memfd:
            return "memfd";
        case FdType::device:
            return "device";
        case FdType::other:
            break;
    }
    return "other";
}

std::string to_string(EntryType type) {
    switch (type) {
        case EntryType::file:
            return "file";
        case EntryType::dir:
            return "dir";
        case EntryType::symlink:
            return "symlink";
        case EntryType::socket:
            return "socket";
        case EntryType::fifo:
            return "fifo";
        case EntryType::device:
            return "device";
        case EntryType::other:
            break;
    }
    return "other";
}

}  // namespace leakaudit
