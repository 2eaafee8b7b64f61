// The one walk of the watched folders that scan_watched, stream_watched and
// look_up_entries share (ARCHITECTURE.md, "The temp walk"): getdents64 on descriptors
// opened with openat(parent, name, O_NOFOLLOW), one statx per entry asking only for the
// fields a TmpEntry keeps, the path built in one reused buffer. What is done with each
// entry is the sink's.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/snapshot.hpp"
#include "os/temp_walk.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

struct WalkTotals {
    std::uint64_t size = 0;   // bytes of the files inside, recursively
    std::uint64_t count = 0;  // entries inside, recursively
};

class WalkSink {
public:
    virtual ~WalkSink() = default;
    // Each entry as soon as it is read, parents before their contents. `entry` is the
    // walk's scratch, reused for the next one. A folder's size and entry_count are 0 here.
    virtual void entry(TmpEntry& entry) = 0;
    // Every folder handed to entry() comes back here once all its contents have been
    // (innermost first), with their totals: zero for a mount point, a folder not opened
    // or one past the depth bound.
    virtual void folder_done(const WalkTotals& totals) = 0;
};

class TreeWalk {
public:
    TreeWalk(TempScan& scan, WalkSink& sink, const WalkOptions& options, dev_t root_dev);

    // Everything inside the folder `fd` (a watched root, at depth 0).
    WalkTotals walk_root(UniqueFd fd, const std::string& root);
    // One entry of the folder `dirfd` (whose path is `dir_path`) and what is inside it.
    void visit_one(int dirfd, const std::string& dir_path, const char* name, std::size_t depth);
    // The folders that could not be opened for lack of permission, as one warning.
    void finish(const std::string& root);

private:
    WalkTotals list(int fd, std::size_t depth);
    void visit(int dirfd, const char* name, std::size_t depth, WalkTotals& totals);
    WalkTotals descend(int dirfd, const char* name, std::size_t depth);
    bool read_entry(int dirfd, const char* name);
    char* buffer_at(std::size_t depth);
    void note_failure(const char* what);
    void warn(const std::string& what);

    TempScan& m_scan;
    WalkSink& m_sink;
    const WalkOptions& m_options;
    dev_t m_root_dev;
    std::string m_path;                              // the current entry's path; a folder's while it is listed
    TmpEntry m_entry;                                // scratch handed to the sink
    std::vector<std::unique_ptr<char[]>> m_buffers;  // one getdents64 buffer per depth
    std::vector<std::string> m_denied;               // folders not opened: EACCES
};

// Opens a watched root as every walk does (following a symlinked root) and its device,
// or a warning in `warnings` when given.
UniqueFd open_watched_root(const std::string& root, dev_t& dev, std::vector<std::string>* warnings);

}  // namespace leakaudit::os
