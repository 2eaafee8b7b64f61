// Folders are opened with openat(parent, name, O_NOFOLLOW) rather than by path (as
// Boost's recursive_directory_iterator does): /tmp is world-writable, and a folder swapped
// for a symlink mid-walk must not lead a root-run scan elsewhere. Each folder is listed
// with getdents64 into a buffer kept for its depth (no DIR stream: no fcntl, fstat and
// buffer allocation per folder), and each entry costs one statx.
#include "os/temp_walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "os/temp_entry_stat.hpp"

namespace leakaudit::os {
namespace {

constexpr std::size_t k_dirents_bytes = std::size_t{32} << 10;  // glibc's readdir buffer size
constexpr std::size_t k_denied_examples = 3;
constexpr int k_stat_flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT;

bool is_dot(const char* name) {
    return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

}  // namespace

TreeWalk::TreeWalk(TempScan& scan, WalkSink& sink, const WalkOptions& options, dev_t root_dev)
    : m_scan(scan), m_sink(sink), m_options(options), m_root_dev(root_dev) {}

WalkTotals TreeWalk::walk_root(UniqueFd fd, const std::string& root) {
    m_path = root;
    return list(fd.get(), 0);
}

void TreeWalk::visit_one(int dirfd, const std::string& dir_path, const char* name, std::size_t depth) {
    m_path = dir_path;
    WalkTotals ignored;
    visit(dirfd, name, depth, ignored);
}

char* TreeWalk::buffer_at(std::size_t depth) {
    while (m_buffers.size() <= depth)
        m_buffers.push_back(std::make_unique<char[]>(k_dirents_bytes));
    return m_buffers[depth].get();
}

WalkTotals TreeWalk::list(int fd, std::size_t depth) {
    char* buf = buffer_at(depth);  // stays put: the vector holds pointers to the buffers
    WalkTotals totals;
    for (;;) {
        ssize_t got = ::getdents64(fd, buf, k_dirents_bytes);
        if (got == 0) break;
        if (got < 0) {
            warn("listing stopped");
            break;
        }
        for (ssize_t at = 0; at < got;) {
            const auto* ent = reinterpret_cast<const dirent64*>(buf + at);
            at += ent->d_reclen;
            if (!is_dot(ent->d_name)) visit(fd, ent->d_name, depth, totals);
        }
    }
    return totals;
}

// The entry `name` of `dirfd` into m_entry (its path is m_path); false when it is gone.
bool TreeWalk::read_entry(int dirfd, const char* name) {
    if (m_options.before_stat) m_options.before_stat(m_path);
    struct statx stx;
    if (::statx(dirfd, name, k_stat_flags, k_entry_statx_mask, &stx) != 0) {
        note_failure("cannot stat");
        return false;
    }
    m_entry.path.assign(m_path);
    fill_from_statx(m_entry, stx);
    if (m_entry.type == EntryType::symlink) read_link_into(dirfd, name, m_entry.link_target);
    return true;
}

void TreeWalk::visit(int dirfd, const char* name, std::size_t depth, WalkTotals& totals) {
    std::size_t parent_length = m_path.size();
    if (!m_path.ends_with('/')) m_path += '/';
    m_path += name;
    if (read_entry(dirfd, name)) {
        EntryType type = m_entry.type;
        bool walkable = type == EntryType::dir && m_entry.dev == m_root_dev;  // mount points: listed only
        if (type == EntryType::file) totals.size += m_entry.size;
        totals.count += 1;
        m_sink.entry(m_entry);
        if (type == EntryType::dir) {
            WalkTotals inner = walkable ? descend(dirfd, name, depth + 1) : WalkTotals{};
            m_sink.folder_done(inner);
            totals.size += inner.size;
            totals.count += inner.count;
        }
    }
    m_path.resize(parent_length);
}

WalkTotals TreeWalk::descend(int dirfd, const char* name, std::size_t depth) {
    if (depth > m_options.max_depth) {
        m_scan.warnings.push_back("not descended, deeper than " + std::to_string(m_options.max_depth) +
                                  " levels: " + m_path);
        return {};
    }
    UniqueFd child(::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!child) {
        note_failure("cannot open");  // ELOOP/ENOTDIR: swapped mid-walk, not followed
        return {};
    }
    struct stat st {};
    if (::fstat(child.get(), &st) != 0 || st.st_dev != m_root_dev) return {};  // raced with a mount
    return list(child.get(), depth);
}

void TreeWalk::note_failure(const char* what) {
    if (errno == ENOENT)
        ++m_scan.vanished;  // deleted since it was listed: not worth a warning
    else if (errno == EACCES && std::strcmp(what, "cannot open") == 0)
        m_denied.push_back(m_path);  // another user's private folder: folded by finish()
    else
        warn(what);
}

void TreeWalk::warn(const std::string& what) {
    m_scan.warnings.push_back(what + " " + m_path + ": " + std::strerror(errno));
}

// One warning for the folders that could not be opened for lack of permission: a run as
// a user other than root meets every other user's private folder in /tmp, and a note per
// folder would bury the report (README, "When it degrades").
void TreeWalk::finish(const std::string& root) {
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

UniqueFd open_watched_root(const std::string& root, dev_t& dev, std::vector<std::string>* warnings) {
    // The root itself may be a symlink (/tmp -> /private/tmp style); following it is fine.
    UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0) {
        if (warnings) warnings->push_back("cannot open watched folder " + root + ": " + std::strerror(errno));
        return UniqueFd();
    }
    dev = st.st_dev;
    return fd;
}

}  // namespace leakaudit::os
