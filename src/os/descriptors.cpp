// /proc/PID/fd reader. Everything is relative to directory fds (htop's approach): a pid
// that vanishes mid-read just yields nullopt, and no path is rebuilt per descriptor.
#include "os/descriptors.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>

#include "os/unique_fd.hpp"

namespace leakaudit::os {
namespace {

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::uint64_t parse_u64(std::string_view text) {
    std::uint64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

// "socket:[123]" → ("socket", 123); false when the target has another shape.
bool split_bracket_inode(std::string_view target, std::string_view& kind, std::uint64_t& inode) {
    std::size_t open = target.find(":[");
    if (open == std::string_view::npos || target.back() != ']') return false;
    kind = target.substr(0, open);
    inode = parse_u64(target.substr(open + 2, target.size() - open - 3));
    return true;
}

// "[eventfd]" and "inotify" both name a kind; brackets are the kernel's spelling, not ours.
std::string anon_kind_of(std::string_view rest) {
    if (rest.size() >= 2 && rest.front() == '[' && rest.back() == ']') rest = rest.substr(1, rest.size() - 2);
    return std::string(rest);
}

FdType type_from_mode(mode_t mode, FdType by_name) {
    if (S_ISDIR(mode)) return FdType::dir;
    if (S_ISCHR(mode) || S_ISBLK(mode)) return FdType::device;
    if (S_ISFIFO(mode)) return FdType::pipe;
    if (S_ISSOCK(mode)) return FdType::socket;
    return by_name == FdType::memfd ? FdType::memfd : FdType::file;
}

// Path targets: one stat through the magic link gives the real type and inode.
void refine_with_stat(int fd_dirfd, const char* name, Descriptor& desc) {
    struct stat st {};
    if (::fstatat(fd_dirfd, name, &st, 0) != 0) return;  // closed meanwhile: keep the name guess
    desc.type = type_from_mode(st.st_mode, desc.type);
    desc.inode = st.st_ino;
}

// Paths need a stat for their inode and to tell a folder from a file. Devices are
// already known by name, and every process holds a few (stdio), so they skip it.
bool needs_stat(const Descriptor& desc) {
    return !desc.target.empty() && desc.target.front() == '/' && desc.type != FdType::device;
}

std::optional<std::uint32_t> read_flags(int proc_dirfd, int pid, int fd) {
    std::array<char, 64> path{};
    std::snprintf(path.data(), path.size(), "%d/fdinfo/%d", pid, fd);
    UniqueFd info(::openat(proc_dirfd, path.data(), O_RDONLY | O_CLOEXEC));
    if (!info) return std::nullopt;
    std::array<char, 512> buf{};  // flags: is on the second line; the rest is not needed
    ssize_t n = ::read(info.get(), buf.data(), buf.size());
    if (n <= 0) return std::nullopt;
    return parse_fdinfo_flags(std::string_view(buf.data(), static_cast<std::size_t>(n)));
}

}  // namespace

UniqueFd open_proc_root(const char* path) {
    return UniqueFd(::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

Descriptor classify_fd_link(int fd, std::string_view target) {
    Descriptor desc;
    desc.fd = fd;
    desc.target = std::string(target);
    if (target.empty()) return desc;
    if (target.front() == '/') {
        if (target.starts_with("/memfd:"))
            desc.type = FdType::memfd;
        else if (target.starts_with("/dev/") && !target.starts_with("/dev/shm/"))
            desc.type = FdType::device;
        else
            desc.type = FdType::file;
        return desc;
    }
    if (target.starts_with("anon_inode:")) {
        desc.type = FdType::anon_inode;
        desc.anon_kind = anon_kind_of(target.substr(11));
        return desc;
    }
    std::string_view kind;
    if (split_bracket_inode(target, kind, desc.inode)) {
        if (kind == "socket")
            desc.type = FdType::socket;
        else if (kind == "pipe")
            desc.type = FdType::pipe;
        else
            desc.anon_kind = std::string(kind);  // net:[…], mnt:[…], pidfd… stay "other"
    }
    return desc;
}

std::optional<std::uint32_t> parse_fdinfo_flags(std::string_view fdinfo) {
    std::size_t at = fdinfo.find("flags:");
    if (at == std::string_view::npos) return std::nullopt;
    std::size_t begin = fdinfo.find_first_not_of(" \t", at + 6);
    if (begin == std::string_view::npos) return std::nullopt;
    std::uint32_t flags = 0;
    const char* first = fdinfo.data() + begin;
    auto [end, ec] = std::from_chars(first, fdinfo.data() + fdinfo.size(), flags, 8);
    if (ec != std::errc() || end == first) return std::nullopt;
    return flags;
}

std::optional<std::vector<Descriptor>> read_descriptors(int proc_dirfd, int pid, FdFlags flags) {
    std::array<char, 32> path{};
    std::snprintf(path.data(), path.size(), "%d/fd", pid);
    int raw = ::openat(proc_dirfd, path.data(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (raw < 0) return std::nullopt;  // vanished (ENOENT) or not ours (EACCES)
    DirPtr dir(::fdopendir(raw));
    if (!dir) {
        ::close(raw);
        return std::nullopt;
    }
    int fd_dirfd = ::dirfd(dir.get());
    bool is_self = pid == ::getpid();
    std::vector<Descriptor> out;
    std::array<char, 4097> link{};
    while (dirent* ent = ::readdir(dir.get())) {
        std::optional<int> fd = parse_int(ent->d_name);
        if (!fd || (is_self && *fd == fd_dirfd)) continue;  // ".", "..", our own listing fd
        ssize_t n = ::readlinkat(fd_dirfd, ent->d_name, link.data(), link.size());
        if (n < 0) continue;  // closed between readdir and readlink
        Descriptor desc = classify_fd_link(*fd, std::string_view(link.data(), static_cast<std::size_t>(n)));
        if (needs_stat(desc)) refine_with_stat(fd_dirfd, ent->d_name, desc);
        if (flags == FdFlags::read) desc.flags = read_flags(proc_dirfd, pid, *fd).value_or(0);
        out.push_back(std::move(desc));
    }
    std::sort(out.begin(), out.end(), [](const Descriptor& a, const Descriptor& b) { return a.fd < b.fd; });
    return out;
}

}  // namespace leakaudit::os
