// The walk of the watched folders for `snapshot`, streamed: each entry is handed on as
// soon as it is read, in the order (parents before children) and with the folder totals
// scan_watched gives, so memory does not grow with the number of entries.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/snapshot.hpp"
#include "os/temp_walk.hpp"

namespace leakaudit::os {

struct FolderTotals {
    std::uint64_t size = 0;   // bytes of the files inside, recursively
    std::uint64_t count = 0;  // entries inside, recursively
};

// The totals of every folder under the roots, by (device, inode): one entry per folder,
// not per file. A folder's totals must be known before its entry is written, and its
// entry comes before its contents, so they are counted by a first walk that keeps
// nothing else (ARCHITECTURE.md, "Streaming snapshots").
using FolderTotalsTable = std::map<std::pair<std::uint64_t, std::uint64_t>, FolderTotals>;
FolderTotalsTable count_watched(const std::vector<std::string>& roots, const WalkOptions& options = {});

// Walks the roots as scan_watched does and hands each entry to `emit` in scan_watched's
// order. A folder's totals come from `counted`, or are counted on the spot for a folder
// created since. Warnings and the vanished count are scan_watched's; `entries` stays empty.
TempScan stream_watched(const std::vector<std::string>& roots, const FolderTotalsTable& counted,
                        const std::function<void(TmpEntry&&)>& emit, const WalkOptions& options = {});

}  // namespace leakaudit::os
