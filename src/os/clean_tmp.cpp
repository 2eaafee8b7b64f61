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
// and must be the very folder just stat'ed, on the same filesystem.
void empty_folder(int dir_fd, dev_t dev, int depth, std::string& error) {
    if (depth > k_max_depth) {
        error = "too deeply nested";
        return;
    }
    for (const std::string& name : names_in(dir_fd)) {
        struct stat st {};
        if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != dev) continue;  // a mount point: never crossed
            UniqueFd child(::openat(dir_fd, name.c_str(), k_dir_flags));
            struct stat opened {};
            if (!child || ::fstat(child.get(), &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != dev)
                continue;  // swapped meanwhile: leave it
            empty_folder(child.get(), dev, depth + 1, error);
            if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0 && error.empty())
                error = errno_text("cannot remove folder " + name);
        } else if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT && error.empty()) {
            error = errno_text("cannot remove " + name);
        }
    }
}

// The folder holding the entry, opened level by level from the root.
UniqueFd open_parent(const std::string& root, const std::vector<std::string>& parts, std::string& error) {
    UniqueFd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir) error = errno_text("cannot open " + root);
    for (std::size_t i = 0; dir && i + 1 < parts.size(); ++i) {
        dir.reset(::openat(dir.get(), parts[i].c_str(), k_dir_flags));
        if (!dir) error = errno_text("cannot open " + parts[i] + " without following links");
    }
    return dir;
}

}  // namespace

std::string remove_entry(const RemovalTarget& target) {
    std::vector<std::string> parts = split(target.relative);
    for (const std::string& part : parts) {
        if (part == "." || part == "..") return "refusing a path with . or ..";
    }
    if (parts.empty()) return "refusing to remove the watched folder itself";
    std::string error;
    UniqueFd parent = open_parent(target.root, parts, error);
    if (!parent) return error;
    const char* name = parts.back().c_str();
    struct stat st {};
    if (::fstatat(parent.get(), name, &st, AT_SYMLINK_NOFOLLOW) != 0) return errno_text("cannot stat it");
    if (static_cast<std::uint64_t>(st.st_dev) != target.dev || static_cast<std::uint64_t>(st.st_ino) != target.inode)
        return "it is no longer the entry the run created (device/inode changed)";
    if (!S_ISDIR(st.st_mode)) return ::unlinkat(parent.get(), name, 0) == 0 ? "" : errno_text("unlink");
    UniqueFd dir(::openat(parent.get(), name, k_dir_flags));
    struct stat opened {};
    if (!dir || ::fstat(dir.get(), &opened) != 0 || opened.st_ino != st.st_ino || opened.st_dev != st.st_dev)
        return "it was swapped while being opened";
    empty_folder(dir.get(), st.st_dev, 0, error);
    if (!error.empty()) return error;
    return ::unlinkat(parent.get(), name, AT_REMOVEDIR) == 0 ? "" : errno_text("rmdir");
}

}  // namespace leakaudit::os
