// Two walks with the same rules as os/temp_walk.cpp (openat with O_NOFOLLOW, one
// filesystem per root, the same depth bound): a counting walk that keeps one total per
// folder, then the streaming walk that writes each entry with its folder's total.
#include "os/temp_stream.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "os/temp_entry_stat.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {
namespace {

constexpr int k_stat_flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;

bool is_dot(const char* name) {
    return std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0;
}

// A folder below `dirfd`, opened as the walks open it; empty when it is not to be
// walked (gone, swapped for a symlink, or on another filesystem since).
UniqueFd open_folder(int dirfd, const char* name, dev_t root_dev) {
    UniqueFd child(::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (child && (::fstat(child.get(), &st) != 0 || st.st_dev != root_dev)) return UniqueFd(-1);
    return child;
}

// The counting walk: no paths, no entries, one FolderTotals per folder.
class Counter {
public:
    Counter(FolderTotalsTable& table, const WalkOptions& options, dev_t root_dev)
        : m_table(table), m_options(options), m_root_dev(root_dev) {}

    // The totals of the folder `name` in `dirfd` at `depth`, recorded with those below it.
    FolderTotals count_folder(int dirfd, const char* name, std::size_t depth) {
        if (depth > m_options.max_depth) return {};
        UniqueFd child = open_folder(dirfd, name, m_root_dev);
        if (!child) return {};
        return count_inside(std::move(child), depth);
    }

    FolderTotals count_inside(UniqueFd dir_fd, std::size_t depth) {
        int raw = dir_fd.get();
        DirPtr dir(::fdopendir(dir_fd.release()));
        FolderTotals totals;
        if (!dir) {
            ::close(raw);
            return totals;
        }
        while (dirent* ent = ::readdir(dir.get())) {
            if (!is_dot(ent->d_name)) add(::dirfd(dir.get()), ent->d_name, depth, totals);
        }
        return totals;
    }

private:
    void add(int dirfd, const char* name, std::size_t depth, FolderTotals& totals) {
        struct statx stx {};
        if (::statx(dirfd, name, k_stat_flags, STATX_TYPE | STATX_SIZE | STATX_INO, &stx) != 0) return;
        EntryType type = entry_type(stx.stx_mode);
        if (type == EntryType::file) totals.size += stx.stx_size;
        totals.count += 1;
        dev_t dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
        if (type != EntryType::dir || dev != m_root_dev) return;  // mount points: listed only
        FolderTotals inner = count_folder(dirfd, name, depth + 1);
        m_table[{dev, stx.stx_ino}] = inner;
        totals.size += inner.size;
        totals.count += inner.count;
    }

    FolderTotalsTable& m_table;
    const WalkOptions& m_options;
    dev_t m_root_dev;
};

// The streaming walk: scan_watched's Walker, but each entry leaves as soon as it is read.
class Streamer {
public:
    Streamer(TempScan& scan, const FolderTotalsTable& counted, const std::function<void(TmpEntry&&)>& emit,
             const WalkOptions& options, dev_t root_dev)
        : m_scan(scan), m_counted(counted), m_emit(emit), m_options(options), m_root_dev(root_dev) {}

    void walk(UniqueFd dir_fd, const std::string& path, std::size_t depth) {
        int raw = dir_fd.get();
        DirPtr dir(::fdopendir(dir_fd.release()));
        if (!dir) {
            ::close(raw);
            warn(path, "cannot list");
            return;
        }
        errno = 0;
        while (dirent* ent = ::readdir(dir.get())) {
            if (!is_dot(ent->d_name)) visit(::dirfd(dir.get()), path, ent->d_name, depth);
            errno = 0;
        }
        if (errno != 0) warn(path, "listing stopped");
    }

private:
    void visit(int dirfd, const std::string& dir_path, const char* name, std::size_t depth) {
        std::string path = join_path(dir_path, name);
        if (m_options.before_stat) m_options.before_stat(path);
        struct statx stx {};
        if (::statx(dirfd, name, k_stat_flags, STATX_BASIC_STATS | STATX_BTIME, &stx) != 0) {
            note_failure(path, "cannot stat");
            return;
        }
        TmpEntry entry = entry_from_statx(path, stx);
        if (entry.type == EntryType::symlink) entry.link_target = read_link(dirfd, name);
        bool folder = entry.type == EntryType::dir && entry.dev == m_root_dev;  // mount points: listed only
        if (folder) {
            FolderTotals totals = totals_of(dirfd, name, entry, depth + 1);
            entry.size = totals.size;
            entry.entry_count = totals.count;
        }
        m_emit(std::move(entry));
        if (folder) descend(dirfd, path, name, depth + 1);
    }

    FolderTotals totals_of(int dirfd, const char* name, const TmpEntry& entry, std::size_t depth) {
        auto it = m_counted.find({entry.dev, entry.inode});
        if (it != m_counted.end()) return it->second;
        FolderTotalsTable late;  // created since the counting walk
        return Counter(late, m_options, m_root_dev).count_folder(dirfd, name, depth);
    }

    void descend(int dirfd, const std::string& path, const char* name, std::size_t depth) {
        if (depth > m_options.max_depth) {
            m_scan.warnings.push_back("not descended, deeper than " + std::to_string(m_options.max_depth) +
                                      " levels: " + path);
            return;
        }
        UniqueFd child(::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!child) {
            note_failure(path, "cannot open");  // ELOOP/ENOTDIR: swapped mid-walk, not followed
            return;
        }
        struct stat st {};
        if (::fstat(child.get(), &st) != 0 || st.st_dev != m_root_dev) return;  // raced with a mount
        walk(std::move(child), path, depth);
    }

    void note_failure(const std::string& path, const char* what) {
        if (errno == ENOENT)
            ++m_scan.vanished;  // deleted since readdir: not worth a warning
        else
            warn(path, what);
    }

    void warn(const std::string& path, const std::string& what) {
        m_scan.warnings.push_back(what + " " + path + ": " + std::strerror(errno));
    }

    TempScan& m_scan;
    const FolderTotalsTable& m_counted;
    const std::function<void(TmpEntry&&)>& m_emit;
    const WalkOptions& m_options;
    dev_t m_root_dev;
};

// The root opened as scan_watched opens it (following a symlinked root), or a warning.
UniqueFd open_root(const std::string& root, dev_t& dev, std::vector<std::string>* warnings) {
    UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) {
        if (warnings) warnings->push_back("cannot open watched folder " + root + ": " + std::strerror(errno));
        return UniqueFd(-1);
    }
    dev = st.st_dev;
    return fd;
}

}  // namespace

FolderTotalsTable count_watched(const std::vector<std::string>& roots, const WalkOptions& options) {
    FolderTotalsTable table;
    for (const std::string& root : roots) {
        dev_t dev = 0;
        UniqueFd fd = open_root(root, dev, nullptr);
        if (fd) Counter(table, options, dev).count_inside(std::move(fd), 0);
    }
    return table;
}

TempScan stream_watched(const std::vector<std::string>& roots, const FolderTotalsTable& counted,
                        const std::function<void(TmpEntry&&)>& emit, const WalkOptions& options) {
    TempScan scan;
    for (const std::string& root : roots) {
        dev_t dev = 0;
        UniqueFd fd = open_root(root, dev, &scan.warnings);
        if (fd) Streamer(scan, counted, emit, options, dev).walk(std::move(fd), root, 0);
    }
    return scan;
}

}  // namespace leakaudit::os
