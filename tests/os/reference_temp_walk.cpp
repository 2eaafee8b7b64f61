// The walk as it was before os/temp_walker.cpp (readdir on a DIR stream, statx with
// STATX_BASIC_STATS), kept verbatim as the reference the new walk must equal: same
// entries, order, totals, warnings and vanished count (tests/os/temp_walker_test.cpp).
#include "reference_temp_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "os/temp_entry_stat.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::test {
namespace {

using namespace leakaudit::os;

struct Totals {
    std::uint64_t size = 0;
    std::uint64_t count = 0;
};

class Walker {
public:
    Walker(TempScan& scan, const WalkOptions& options, dev_t root_dev)
        : m_scan(scan), m_options(options), m_root_dev(root_dev) {}

    Totals walk(UniqueFd dir_fd, const std::string& path, std::size_t depth) {
        int raw = dir_fd.get();
        DirPtr dir(::fdopendir(dir_fd.release()));
        Totals totals;
        if (!dir) {
            ::close(raw);
            warn(path, "cannot list");
            return totals;
        }
        errno = 0;
        while (dirent* ent = ::readdir(dir.get())) {
            if (std::strcmp(ent->d_name, ".") != 0 && std::strcmp(ent->d_name, "..") != 0)
                visit(::dirfd(dir.get()), path, ent->d_name, depth, totals);
            errno = 0;
        }
        if (errno != 0) warn(path, "listing stopped");
        return totals;
    }

    // One entry and, for a folder, everything inside it.
    void visit_one(int dirfd, const std::string& dir_path, const char* name, std::size_t depth) {
        Totals ignored;
        visit(dirfd, dir_path, name, depth, ignored);
    }

private:
    void visit(int dirfd, const std::string& dir_path, const char* name, std::size_t depth, Totals& totals) {
        std::string path = join_path(dir_path, name);
        if (m_options.before_stat) m_options.before_stat(path);
        struct statx stx {};
        int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;
        if (::statx(dirfd, name, flags, STATX_BASIC_STATS | STATX_BTIME, &stx) != 0) {
            note_failure(path, "cannot stat");
            return;
        }
        std::size_t index = m_scan.entries.size();
        m_scan.entries.push_back(entry_from_statx(path, stx));
        TmpEntry& entry = m_scan.entries[index];
        if (entry.type == EntryType::symlink) entry.link_target = read_link(dirfd, name);
        if (entry.type == EntryType::file) totals.size += entry.size;
        totals.count += 1;
        if (entry.type != EntryType::dir || entry.dev != m_root_dev) return;  // mount points: listed only
        Totals inner = descend(dirfd, path, name, depth + 1);
        m_scan.entries[index].size = inner.size;  // `entry` may dangle: descend grew the vector
        m_scan.entries[index].entry_count = inner.count;
        totals.size += inner.size;
        totals.count += inner.count;
    }

    Totals descend(int dirfd, const std::string& path, const char* name, std::size_t depth) {
        if (depth > m_options.max_depth) {
            m_scan.warnings.push_back("not descended, deeper than " + std::to_string(m_options.max_depth) +
                                      " levels: " + path);
            return {};
        }
        UniqueFd child(::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!child) {
            note_failure(path, "cannot open");  // ELOOP/ENOTDIR: swapped mid-walk, not followed
            return {};
        }
        struct stat st {};
        if (::fstat(child.get(), &st) != 0 || st.st_dev != m_root_dev) return {};  // raced with a mount
        return walk(std::move(child), path, depth);
    }

    void note_failure(const std::string& path, const char* what) {
        if (errno == ENOENT)
            ++m_scan.vanished;  // deleted since readdir: not worth a warning
        else if (errno == EACCES && std::strcmp(what, "cannot open") == 0)
            m_denied.push_back(path);  // another user's private folder: folded by finish()
        else
            warn(path, what);
    }

public:
    // One warning for the folders that could not be opened for lack of permission: a run
    // as a user other than root meets every other user's private folder in /tmp, and a
    // note per folder would bury the report (README, "When it degrades").
    void finish(const std::string& root) {
        if (m_denied.size() == 1) {
            m_scan.warnings.push_back("cannot open " + m_denied.front() + ": " + std::strerror(EACCES));
        } else if (m_denied.size() > 1) {
            std::string note = "cannot open " + std::to_string(m_denied.size()) + " folders under " + root + " (" +
                               std::strerror(EACCES) + ": other users' private folders): not audited, such as ";
            std::size_t shown = std::min<std::size_t>(m_denied.size(), k_denied_examples);
            for (std::size_t i = 0; i < shown; ++i)
                note += (i == 0 ? "" : ", ") + m_denied[i];
            if (m_denied.size() > shown) note += " and " + std::to_string(m_denied.size() - shown) + " more";
            m_scan.warnings.push_back(std::move(note));
        }
        m_denied.clear();
    }

private:
    static constexpr std::size_t k_denied_examples = 3;

    void warn(const std::string& path, const std::string& what) {
        m_scan.warnings.push_back(what + " " + path + ": " + std::strerror(errno));
    }

    TempScan& m_scan;
    const WalkOptions& m_options;
    dev_t m_root_dev;
    std::vector<std::string> m_denied;  // folders not opened: EACCES
};

void scan_root(const std::string& root, const WalkOptions& options, TempScan& scan) {
    // The root itself may be a symlink (/tmp -> /private/tmp style); following it is fine.
    UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) {
        scan.warnings.push_back("cannot open watched folder " + root + ": " + std::strerror(errno));
        return;
    }
    Walker walker(scan, options, st.st_dev);
    walker.walk(std::move(fd), root, 0);
    walker.finish(root);
}

}  // namespace

os::TempScan reference_scan_watched(const std::vector<std::string>& roots, const os::WalkOptions& options) {
    os::TempScan scan;
    for (const std::string& root : roots)
        scan_root(root, options, scan);
    return scan;
}

}  // namespace leakaudit::test
