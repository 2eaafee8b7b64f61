// The snapshot model: plain values describing the machine's state at one moment.
// Readers in src/os fill it; the core diffs and attributes it without touching the OS.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace leakaudit {

// A pid alone is not an identity: pids are reused. The start time (clock ticks since
// boot, /proc/PID/stat field 22) makes it one.
struct ProcessId {
    int pid = 0;
    std::uint64_t start_ticks = 0;
    auto operator<=>(const ProcessId&) const = default;
};

enum class FdType { file, dir, pipe, socket, anon_inode, memfd, device, other };

struct Descriptor {
    int fd = -1;
    FdType type = FdType::other;
    std::string target;       // readlink of /proc/PID/fd/N, raw bytes
    std::uint64_t inode = 0;  // socket/pipe inode, or the file's inode
    std::string anon_kind;    // "eventfd", "timerfd", "inotify", "[eventpoll]"… for anon inodes
    std::uint32_t flags = 0;  // open flags from fdinfo
    auto operator<=>(const Descriptor&) const = default;
};

struct Process {
    ProcessId id;
    int ppid = 0;
    int pgid = 0;
    int sid = 0;
    std::uint32_t uid = 0;
    std::string user;                   // name of uid, or the number when it has none
    std::string name;                   // comm
    std::string exe;                    // readlink of /proc/PID/exe; empty when unreadable
    std::vector<std::string> cmdline;   // raw bytes per argument
    char state = '?';                   // R, S, D, Z, T…
    std::int64_t started_at_ms = 0;     // wall clock (Unix ms) derived from start_ticks
    std::optional<std::string> run_id;  // LEAKAUDIT_RUN_ID from its environment, when read
    std::vector<Descriptor> fds;        // filled only for processes whose descriptors were scanned
    bool fds_scanned = false;

    bool is_zombie() const { return state == 'Z' || state == 'X'; }
};

struct Socket {
    std::uint64_t inode = 0;
    std::string proto;   // tcp, tcp6, udp, udp6, unix, …
    std::string state;   // listen, established, …
    std::string local;   // "127.0.0.1:41234", "[::1]:80"
    std::string remote;  // peer address, empty when none
    int local_port = 0;
    int remote_port = 0;
    std::string path;  // unix: filesystem path or "@abstract"
    std::uint64_t peer_inode = 0;
    std::uint64_t netns = 0;
};

enum class EntryType { file, dir, symlink, socket, fifo, device, other };

struct TmpEntry {
    std::string path;  // raw bytes
    EntryType type = EntryType::other;
    std::uint64_t dev = 0;
    std::uint64_t inode = 0;
    std::uint32_t uid = 0;
    std::uint64_t size = 0;         // for a folder: total bytes of the files inside
    std::uint64_t entry_count = 0;  // for a folder: number of entries inside (recursive)
    std::int64_t birth_ms = 0;      // statx btime when available, else ctime
    std::string link_target;        // for symlinks
};

struct Snapshot {
    std::int64_t taken_at_ms = 0;
    std::vector<Process> processes;
    std::vector<Socket> sockets;
    std::vector<TmpEntry> tmp;
    std::vector<std::string> watched;   // watched folders the tmp entries came from
    std::vector<std::string> warnings;  // things that could not be read, said once each

    const Process* find(const ProcessId& id) const;
    const Process* find_pid(int pid) const;
};

// The sockets of a snapshot by inode: how a socket descriptor (socket:[INODE]) is
// matched to what the socket readers saw. Points into `sockets`, which must outlive it.
class SocketIndex {
public:
    explicit SocketIndex(const std::vector<Socket>& sockets);
    // The socket with this inode, or nullptr when no reader could describe it.
    const Socket* find(std::uint64_t inode) const;

private:
    std::unordered_map<std::uint64_t, const Socket*> m_by_inode;
};

std::string to_string(FdType type);
std::string to_string(EntryType type);

}  // namespace leakaudit
