// The whole walk and the look-up of chosen paths, both kept as TmpEntry values; the walk
// itself (never following a symlink) is os/temp_walker.cpp's.
#include "os/temp_walk.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "os/temp_walker.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {
namespace {

// Every entry kept, in the walk's order; a folder's totals filled in when it is done.
class CollectSink : public WalkSink {
public:
    explicit CollectSink(std::vector<TmpEntry>& entries) : m_entries(entries) {}

    void entry(TmpEntry& entry) override {
        m_entries.push_back(entry);
        if (entry.type == EntryType::dir) m_open.push_back(m_entries.size() - 1);
    }

    void folder_done(const WalkTotals& totals) override {
        TmpEntry& folder = m_entries[m_open.back()];
        m_open.pop_back();
        folder.size = totals.size;
        folder.entry_count = totals.count;
    }

private:
    std::vector<TmpEntry>& m_entries;
    std::vector<std::size_t> m_open;  // folders whose contents are being read, outermost first
};

void scan_root(const std::string& root, const WalkOptions& options, TempScan& scan) {
    dev_t dev = 0;
    UniqueFd fd = open_watched_root(root, dev, &scan.warnings);
    if (!fd) return;
    CollectSink sink(scan.entries);
    TreeWalk walk(scan, sink, options, dev);
    walk.walk_root(std::move(fd), root);
    walk.finish(root);
}

const std::string* root_of(const std::vector<std::string>& roots, const std::string& path) {
    for (const std::string& root : roots) {
        bool inside =
            path.size() > root.size() && path.starts_with(root) && (root.ends_with('/') || path[root.size()] == '/');
        if (inside) return &root;
    }
    return nullptr;
}

bool under_any(const std::string& path, const std::set<std::string>& folders) {
    for (std::size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0;
         slash = path.rfind('/', slash - 1)) {
        if (folders.count(path.substr(0, slash))) return true;
    }
    return false;
}

// Opens the folders between `root_fd` and the last part of `relative`, never following a
// symlink nor leaving the root's filesystem; the last part's name is left in `name`.
UniqueFd open_parent(int root_fd, dev_t root_dev, const std::string& relative, std::string& name, std::size_t& depth) {
    UniqueFd dir(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
    std::size_t at = 0;
    depth = 0;
    for (std::size_t slash; (slash = relative.find('/', at)) != std::string::npos; at = slash + 1) {
        std::string part = relative.substr(at, slash - at);
        if (part.empty()) continue;
        UniqueFd next(::openat(dir.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        struct stat st {};
        if (!next || ::fstat(next.get(), &st) != 0 || st.st_dev != root_dev) return UniqueFd();
        dir = std::move(next);
        ++depth;
    }
    name = relative.substr(at);
    return dir;
}

}  // namespace

TempScan look_up_entries(const std::vector<std::string>& roots, const std::vector<std::string>& paths,
                         const WalkOptions& options) {
    TempScan scan;
    std::set<std::string> folders;  // looked up with their contents already
    std::vector<std::string> sorted(paths.begin(), paths.end());
    std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) {
        return std::count(a.begin(), a.end(), '/') < std::count(b.begin(), b.end(), '/');
    });
    for (const std::string& path : sorted) {
        const std::string* root = root_of(roots, path);
        if (!root || under_any(path, folders)) continue;
        UniqueFd root_fd(::open(root->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        struct stat st {};
        if (!root_fd || ::fstat(root_fd.get(), &st) != 0) continue;
        std::string name;
        std::size_t depth = 0;
        std::string relative = path.substr(root->size() + (root->ends_with('/') ? 0 : 1));
        UniqueFd parent = open_parent(root_fd.get(), st.st_dev, relative, name, depth);
        if (!parent || name.empty() || depth > options.max_depth) continue;
        std::size_t before = scan.entries.size();
        CollectSink sink(scan.entries);
        TreeWalk walk(scan, sink, options, st.st_dev);
        walk.visit_one(parent.get(), path.substr(0, path.size() - name.size() - 1), name.c_str(), depth);
        walk.finish(*root);
        if (scan.entries.size() > before && scan.entries[before].type == EntryType::dir) folders.insert(path);
    }
    return scan;
}

bool has_birth_time(const std::string& root) {
    struct statx stx {};
    return ::statx(AT_FDCWD, root.c_str(), AT_NO_AUTOMOUNT, STATX_BTIME, &stx) == 0 && (stx.stx_mask & STATX_BTIME);
}

TempScan scan_watched(const std::vector<std::string>& roots, const WalkOptions& options) {
    TempScan scan;
    for (const std::string& root : roots)
        scan_root(root, options, scan);
    return scan;
}

}  // namespace leakaudit::os
