// Scans watched folders (/tmp, /dev/shm…) into TmpEntry values, with per-folder totals,
// so the core can diff before/after and report a new folder as one finding.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit::os {

struct TempScan {
    // Every entry under the roots (the roots themselves excluded), parents before
    // children. A dir's size/entry_count are the recursive totals of its contents.
    std::vector<TmpEntry> entries;
    std::vector<std::string> warnings;  // unreadable folders, missing roots, depth cut-offs
    std::size_t vanished = 0;           // entries deleted between readdir and stat: normal in /tmp
};

struct WalkOptions {
    // Each level of depth holds one open descriptor; a hostile tree must not exhaust them.
    std::size_t max_depth = 256;
    // Test seam: called with an entry's path just before it is stat'ed (or opened), so a
    // test can delete it there and drive the "vanished mid-walk" path deterministically.
    std::function<void(const std::string& path)> before_stat;
};

// Walks each root without following symlinks and without crossing into other
// filesystems (a mount point below a root is listed, not descended).
TempScan scan_watched(const std::vector<std::string>& roots, const WalkOptions& options = {});

// Only the entries at `paths` (each under one of `roots`; others are skipped), read as the
// walk reads them: each level opened from its root with O_NOFOLLOW on the root's
// filesystem, a folder with everything inside it. Gone entries are left out.
TempScan look_up_entries(const std::vector<std::string>& roots, const std::vector<std::string>& paths,
                         const WalkOptions& options = {});

// Whether the root's filesystem reports birth times (statx STATX_BTIME).
bool has_birth_time(const std::string& root);

}  // namespace leakaudit::os
