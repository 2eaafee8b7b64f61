// Not Boost's remove_all: Boost 1.74 reopens subfolders by path, so a folder swapped for
// a symlink mid-removal (renameat2 RENAME_EXCHANGE) was followed outside the entry.
#include "os/clean_tmp.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "os/unique_fd.hpp"

namespace leakaudit::os {

namespace {

constexpr int k_dir_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
constexpr int k_max_depth = 4096;

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

std::vector<std::string> split(const std::string& relative) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    while (at <= relative.size()) {
        std::size_t slash = relative.find('/', at);
        if (slash == std::string::npos) slash = relative.size();
        if (slash > at) parts.push_back(relative.substr(at, slash - at));
        at = slash + 1;
    }
    return parts;
}

std::vector<std::string> names_in(int dir_fd) {
    std::vector<std::string> names;
    UniqueFd copy(::openat(dir_fd, ".", k_dir_flags));
    DIR* dir = copy ? ::fdopendir(copy.get()) : nullptr;
    if (!dir) return names;
    copy.release();
    while (dirent* d = ::readdir(dir)) {
        std::string name = d->d_name;
        if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(dir);
    return names;
}

// Empties the folder open as `dir_fd`: subfolders are opened without following links
// and must be the very folder just stat'ed, on the same filesystem. It removes what it
// can and returns the first error it met.
Result<void> empty_folder(int dir_fd, dev_t dev, int depth) {
    if (depth > k_max_depth) return unexpected("too deeply nested");
    Result<void> outcome;
    auto keep_first = [&](Result<void> step) {
        if (outcome && !step) outcome = std::move(step);
    };
    for (const std::string& name : names_in(dir_fd)) {
        struct stat st {};
        if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != dev) continue;  // a mount point: never crossed
            UniqueFd child(::openat(dir_fd, name.c_str(), k_dir_flags));
            struct stat opened {};
            if (!child || ::fstat(child.get(), &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != dev)
                continue;  // swapped meanwhile: leave it
            keep_first(empty_folder(child.get(), dev, depth + 1));
            if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0)
                keep_first(unexpected(errno_text("cannot remove folder " + name)));
        } else if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
            keep_first(unexpected(errno_text("cannot remove " + name)));
        }
    }
    return outcome;
}

// The folder holding the entry, opened level by level from the root.
Result<UniqueFd> open_parent(const std::string& root, const std::vector<std::string>& parts) {
    UniqueFd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) return unexpected(errno_text("cannot open " + root));
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        dir.reset(::openat(dir.get(), parts[i].c_str(), k_dir_flags));
        if (!dir) return unexpected(errno_text("cannot open " + parts[i] + " without following links"));
    }
    return dir;
}

}  // namespace

Result<void> remove_entry(const RemovalTarget& target) {
    std::vector<std::string> parts = split(target.relative);
    for (const std::string& part : parts) {
        if (part == "." || part == "..") return unexpected("refusing a path with . or ..");
    }
    if (parts.empty()) return unexpected("refusing to remove the watched folder itself");
    Result<UniqueFd> parent_dir = open_parent(target.root, parts);
    if (!parent_dir) return unexpected(parent_dir.error());
    UniqueFd parent = std::move(*parent_dir);
    const char* name = parts.back().c_str();
    struct stat st {};
    if (::fstatat(parent.get(), name, &st, AT_SYMLINK_NOFOLLOW) != 0) return unexpected(errno_text("cannot stat it"));
    if (static_cast<std::uint64_t>(st.st_dev) != target.dev || static_cast<std::uint64_t>(st.st_ino) != target.inode)
        return unexpected("it is no longer the entry the run created (device/inode changed)");
    if (!S_ISDIR(st.st_mode)) {
        if (::unlinkat(parent.get(), name, 0) != 0) return unexpected(errno_text("unlink"));
        return {};
    }
    UniqueFd dir(::openat(parent.get(), name, k_dir_flags));
    struct stat opened {};
    if (!dir || ::fstat(dir.get(), &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev)
        return unexpected("it was swapped while being opened");
    if (Result<void> emptied = empty_folder(dir.get(), st.st_dev, 0); !emptied) return emptied;
    if (::unlinkat(parent.get(), name, AT_REMOVEDIR) != 0) return unexpected(errno_text("rmdir"));
    return {};
}

}  // namespace leakaudit::os
