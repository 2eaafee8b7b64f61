// The walk of the watched folders for `snapshot`, streamed: each entry is handed on in the
// order (parents before children) and with the folder totals scan_watched gives, without
// a TmpEntry per entry kept.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/snapshot.hpp"
#include "os/temp_walk.hpp"

namespace leakaudit::os {

// Walks the roots once, as scan_watched does, and hands each entry to `emit` in
// scan_watched's order, with the same totals, warnings and vanished count; `entries`
// stays empty. The entry handed on is scratch, reused for the next one. A folder's entry
// carries the totals of its contents and comes before them, so what is inside a folder
// directly under a root waits, packed, until the folder has been read: memory follows
// the largest such folder, not the machine (ARCHITECTURE.md, "Streaming snapshots").
TempScan stream_watched(const std::vector<std::string>& roots, const std::function<void(TmpEntry&)>& emit,
                        const WalkOptions& options = {});

}  // namespace leakaudit::os
