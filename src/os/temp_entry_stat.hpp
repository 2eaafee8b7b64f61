// What the walks of the watched folders share: one statx result as a TmpEntry, a
// symlink's target, a child's path (os/temp_walk.cpp collects, os/temp_stream.cpp streams).
#pragma once

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <string>

#include "core/snapshot.hpp"

namespace leakaudit::os {

inline EntryType entry_type(mode_t mode) {
    if (S_ISREG(mode)) return EntryType::file;
    if (S_ISDIR(mode)) return EntryType::dir;
    if (S_ISLNK(mode)) return EntryType::symlink;
    if (S_ISSOCK(mode)) return EntryType::socket;
    if (S_ISFIFO(mode)) return EntryType::fifo;
    if (S_ISCHR(mode) || S_ISBLK(mode)) return EntryType::device;
    return EntryType::other;
}

inline std::int64_t statx_ms(const statx_timestamp& ts) {
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Fills every field of `entry` but its path from one statx result; a folder's size and
// entry_count are left 0 (its contents' totals come later).
inline void fill_from_statx(TmpEntry& entry, const struct statx& stx) {
    entry.type = entry_type(stx.stx_mode);
    entry.dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
    entry.inode = stx.stx_ino;
    entry.uid = stx.stx_uid;
    entry.size = entry.type == EntryType::dir ? 0 : stx.stx_size;  // a dir's size is its contents'
    entry.entry_count = 0;
    // tmpfs has no btime on older kernels; ctime is the closest "appeared at" then.
    entry.birth_ms = (stx.stx_mask & STATX_BTIME) ? statx_ms(stx.stx_btime) : statx_ms(stx.stx_ctime);
    entry.link_target.clear();
}

inline TmpEntry entry_from_statx(std::string path, const struct statx& stx) {
    TmpEntry entry;
    entry.path = std::move(path);
    fill_from_statx(entry, stx);
    return entry;
}

// What a TmpEntry keeps, and nothing else: the kernel need not fill the rest (the
// device comes with every statx).
constexpr unsigned k_entry_statx_mask = STATX_TYPE | STATX_INO | STATX_UID | STATX_SIZE | STATX_CTIME | STATX_BTIME;

// A symlink's target into `out`, its capacity kept (empty when it cannot be read).
inline void read_link_into(int dirfd, const char* name, std::string& out) {
    std::array<char, 4096> buf;
    ssize_t n = ::readlinkat(dirfd, name, buf.data(), buf.size());
    out.assign(buf.data(), n < 0 ? 0 : static_cast<std::size_t>(n));
}

inline std::string read_link(int dirfd, const char* name) {
    std::array<char, 4096> buf{};
    ssize_t n = ::readlinkat(dirfd, name, buf.data(), buf.size());
    return n < 0 ? std::string() : std::string(buf.data(), static_cast<std::size_t>(n));
}

inline std::string join_path(const std::string& dir, const char* name) {
    return dir.ends_with('/') ? dir + name : dir + "/" + name;
}

}  // namespace leakaudit::os
