// fanotify creation watch. A filesystem mark sees every creation on the root's
// filesystem (nested folders included, which inode marks would not: a run's entry inside
// an existing folder of /tmp is a finding too), so each event's directory handle is
// resolved to a path and kept only when it lies under a root. A folder found outside
// every root is remembered by its handle, so another job's build on the same disk costs
// a lookup per creation, not three system calls.
#include "os/creation_watch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "os/process_table.hpp"

namespace leakaudit::os {
namespace {

// FAN_MOVED_TO too: an atomic write (write a temp name, rename it into place) creates
// the final entry by a rename, and the renamer is its creator.
constexpr unsigned k_events = FAN_CREATE | FAN_MOVED_TO | FAN_ONDIR;

// Folders outside the roots remembered at once (each a short key); past it, forget all.
constexpr std::size_t k_max_outside_folders = 65536;

std::uint64_t fsid_bits(const void* fsid) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, fsid, sizeof bits);
    return bits;
}

std::string canonical_path(const std::string& path) {
    std::array<char, PATH_MAX> buf{};
    return ::realpath(path.c_str(), buf.data()) ? std::string(buf.data()) : path;
}

std::string reason_for_init(int err) {
    switch (err) {
        case EPERM:
            return "fanotify needs CAP_SYS_ADMIN (run as root)";
        case EINVAL:
            return "this kernel lacks FAN_REPORT_DFID_NAME (needs Linux 5.9)";
        case ENOSYS:
            return "this kernel has no fanotify";
        default:
            return std::string("fanotify_init: ") + std::strerror(err);
    }
}

std::string reason_for_mark(const std::string& root, int err) {
    if (err == ENODEV || err == EOPNOTSUPP || err == EXDEV)
        return root + ": its filesystem cannot report file handles to fanotify (" + std::strerror(err) + ")";
    return root + ": fanotify_mark: " + std::strerror(err);
}

}  // namespace

CreationWatch::CreationWatch(std::vector<std::string> roots, const std::string& proc_root)
    : m_proc(::open(proc_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    for (std::string& given : roots) {
        Root root;
        root.canonical = canonical_path(given);
        root.given = std::move(given);
        m_roots.push_back(std::move(root));
    }
}

CreationWatch::~CreationWatch() {
    stop();
}

Result<void> CreationWatch::init_group(bool bounded_queue) {
    // An unlimited queue keeps a burst of creations from being dropped; it also needs
    // CAP_SYS_ADMIN, like filesystem marks, so without it we can only fail later anyway.
    unsigned flags = FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK;
    if (!bounded_queue) m_fan.reset(::fanotify_init(flags | FAN_UNLIMITED_QUEUE, O_RDONLY | O_LARGEFILE | O_CLOEXEC));
    if (!m_fan && (bounded_queue || errno == EPERM))
        m_fan.reset(::fanotify_init(flags, O_RDONLY | O_LARGEFILE | O_CLOEXEC));
    if (!m_fan) return unexpected(reason_for_init(errno));
    return {};
}

bool CreationWatch::mark_root(Root& root) {
    // Not O_PATH: open_by_handle_at rejects an O_PATH mount fd with EBADF.
    root.mount_fd.reset(::open(root.given.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    struct statfs fs {};
    if (!root.mount_fd || ::fstatfs(root.mount_fd.get(), &fs) != 0) {
        m_warnings.push_back(root.given + ": " + std::strerror(errno));
        return false;
    }
    root.fsid = fsid_bits(&fs.f_fsid);
    if (::fanotify_mark(m_fan.get(), FAN_MARK_ADD | FAN_MARK_FILESYSTEM, k_events, AT_FDCWD, root.given.c_str()) != 0) {
        m_warnings.push_back(reason_for_mark(root.given, errno));
        return false;
    }
    m_watched.push_back(root.given);
    return true;
}

Result<void> CreationWatch::start(WatchMode mode) {
    if (!m_proc) return unexpected(std::string("cannot open the proc root: ") + std::strerror(errno));
    if (Result<void> group = init_group(mode == WatchMode::stalled); !group) return group;
    m_stalled = mode == WatchMode::stalled;
    for (Root& root : m_roots)
        mark_root(root);
    if (m_watched.empty()) {
        m_fan.reset();
        std::string reason = "no watched folder can be watched";
        for (const std::string& warning : m_warnings)
            reason += "; " + warning;
        return unexpected(reason);
    }
    if (mode == WatchMode::thread) {
        m_stop_event.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (!m_stop_event) return unexpected(std::string("eventfd: ") + std::strerror(errno));
        m_thread = std::thread([this] { reader_loop(); });
    }
    return {};
}

void CreationWatch::reader_loop() {
    std::array<pollfd, 2> fds{pollfd{m_fan.get(), POLLIN, 0}, pollfd{m_stop_event.get(), POLLIN, 0}};
    for (;;) {
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
        if (fds[0].revents & POLLIN) drain();
        if (fds[1].revents & POLLIN) return;  // stop() drains what is left after the join
    }
}

std::vector<CreatedEntry> CreationWatch::created_since(std::size_t from) {
    drain();
    std::lock_guard<std::mutex> lock(m_mutex);
    if (from >= m_entries.size()) return {};
    return {m_entries.begin() + static_cast<std::ptrdiff_t>(from), m_entries.end()};
}

void CreationWatch::drain() {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_fan || m_stalled) return;
    alignas(fanotify_event_metadata) std::array<char, 65536> buf;
    for (;;) {
        ssize_t n = ::read(m_fan.get(), buf.data(), buf.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // EAGAIN: queue empty
        handle_buffer(buf.data(), static_cast<std::size_t>(n));
    }
}

void CreationWatch::handle_buffer(const char* data, std::size_t length) {
    std::size_t at = 0;
    while (at + sizeof(fanotify_event_metadata) <= length) {
        fanotify_event_metadata meta{};
        std::memcpy(&meta, data + at, sizeof meta);
        if (meta.event_len < sizeof meta || at + meta.event_len > length) return;
        if (meta.mask & FAN_Q_OVERFLOW) m_overflowed = true;
        // A folder moved (from anywhere on the filesystem) may now lie under a root, with
        // folders below it that were outside: judge every folder afresh.
        if ((meta.mask & FAN_MOVED_TO) && (meta.mask & FAN_ONDIR)) m_outside.clear();
        const char* info = data + at + meta.metadata_len;
        const char* end = data + at + meta.event_len;
        while (info + sizeof(fanotify_event_info_header) <= end) {
            fanotify_event_info_header header{};
            std::memcpy(&header, info, sizeof header);
            if (header.len == 0) break;
            if (header.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME)
                handle_dfid_name(info, meta.pid, (meta.mask & FAN_ONDIR) != 0);
            info += header.len;
        }
        at += meta.event_len;
    }
}

void CreationWatch::handle_dfid_name(const char* info, int pid, bool is_dir) {
    const char* fsid = info + offsetof(fanotify_event_info_fid, fsid);
    const char* handle = info + offsetof(fanotify_event_info_fid, handle);
    std::uint32_t handle_bytes = 0;
    std::memcpy(&handle_bytes, handle, sizeof handle_bytes);
    if (handle_bytes > MAX_HANDLE_SZ) return;
    const char* name = handle + sizeof(file_handle) + handle_bytes;
    // The root's index, then the handle (its length, type and bytes) as it came.
    std::string key(sizeof(std::size_t), '\0');
    key.append(handle, sizeof(file_handle) + handle_bytes);
    for (std::size_t i = 0; i < m_roots.size(); ++i) {
        const Root& root = m_roots[i];
        if (!root.mount_fd || root.fsid != fsid_bits(fsid)) continue;
        std::memcpy(key.data(), &i, sizeof i);
        if (known_outside(key)) continue;  // another job's folder, seen before
        std::optional<EntryIdentity> identity;
        std::optional<std::string> path = resolve(root, handle, name, identity);
        if (!path) continue;  // folder already deleted: its entries cannot be leftovers
        if (path->empty()) {
            note_outside(key);
            continue;
        }
        m_entries.push_back(
            CreatedEntry{*path, pid, read_start_ticks(pid, m_proc.get()).value_or(0), is_dir, identity});
        return;
    }
}

void CreationWatch::note_outside(std::string key) {
    if (m_outside.size() >= k_max_outside_folders) m_outside.clear();
    m_outside.insert(std::move(key));
}

// The entry's path under a root ("" when its folder lies outside every root), with the
// identity of what `name` is there now; nullopt when the folder is gone.
std::optional<std::string> CreationWatch::resolve(const Root& root, const char* handle, const char* name,
                                                  std::optional<EntryIdentity>& identity) const {
    std::uint32_t handle_bytes = 0;
    std::memcpy(&handle_bytes, handle, sizeof handle_bytes);
    alignas(file_handle) std::array<char, sizeof(file_handle) + MAX_HANDLE_SZ> copy{};
    std::memcpy(copy.data(), handle, sizeof(file_handle) + handle_bytes);  // events are not aligned
    UniqueFd dir(
        ::open_by_handle_at(root.mount_fd.get(), reinterpret_cast<file_handle*>(copy.data()), O_PATH | O_CLOEXEC));
    if (!dir) return std::nullopt;
    // The directory handle → its current path, via a descriptor's magic link.
    std::array<char, 32> link{};
    std::snprintf(link.data(), link.size(), "self/fd/%d", dir.get());
    std::array<char, PATH_MAX> target{};
    ssize_t n = ::readlinkat(m_proc.get(), link.data(), target.data(), target.size());
    if (n <= 0 || target[0] != '/') return std::nullopt;
    std::string folder(target.data(), static_cast<std::size_t>(n));
    std::string path = under_roots(folder == "/" ? folder + name : folder + "/" + name);
    if (path.empty()) return path;
    // Through the event's own folder, so a path swapped meanwhile cannot mislead it.
    struct stat st {};
    if (::fstatat(dir.get(), name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        identity = EntryIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
    return path;
}

// Keeps paths under a root, respelled with the root as given; "" for anything else.
std::string CreationWatch::under_roots(const std::string& canonical_path) const {
    for (const Root& root : m_roots) {
        const std::string& prefix = root.canonical;
        bool inside = canonical_path.size() > prefix.size() && canonical_path.starts_with(prefix) &&
                      (prefix.ends_with('/') || canonical_path[prefix.size()] == '/');
        if (!inside) continue;
        std::string rest = canonical_path.substr(prefix.size());
        if (rest.front() == '/' && root.given.ends_with('/')) rest.erase(0, 1);
        return root.given + rest;
    }
    return "";
}

std::vector<CreatedEntry> CreationWatch::stop() {
    if (m_thread.joinable()) {
        std::uint64_t one = 1;
        // Cannot fail: the counter is written once, far from its limit.
        ssize_t written = ::write(m_stop_event.get(), &one, sizeof one);
        (void)written;
        m_thread.join();
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stalled = false;
    }
    drain();
    std::lock_guard<std::mutex> lock(m_mutex);
    m_fan.reset();
    return std::move(m_entries);
}

}  // namespace leakaudit::os
