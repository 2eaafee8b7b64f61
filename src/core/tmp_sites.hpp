// Where a leaked temp entry was made (README "Node kit", "Temp folders"): the Node kit
// records the temp folders its processes make and the children they spawn, each with its
// site (kits/node/PROTOCOL.md, "Creation records"); this joins those records with the
// temp findings the walk or the creation watch found. A record alone is never a finding:
// it only explains one.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/node_kit.hpp"
#include "core/snapshot.hpp"
#include "core/tmp_evidence.hpp"

namespace leakaudit {

// Who created a path, as the creation watch saw it (the latest creation of that path).
struct TmpCreator {
    int pid = 0;
    std::uint64_t start_ticks = 0;  // 0: gone before it was read
};

// The latest creation of each path the creation watch saw.
std::map<std::string, TmpCreator> latest_creators(const std::vector<CreatedEntry>& created);

struct TmpSiteInput {
    std::vector<KitTmpRecord> made;        // from the run's counted kit files
    std::vector<KitChildRecord> children;  // likewise
    std::set<int> kit_pids;                // the Node processes with a counted kit file
    std::map<std::string, TmpCreator> creators;
    const ForkHistory* forks = nullptr;  // the run's forks, also of processes gone since
    const Snapshot* after = nullptr;     // live processes: parent links, names, start times
    // Start ticks to wall-clock milliseconds: boot_ms + ticks * 1000 / ticks_per_second.
    std::int64_t boot_ms = 0;
    std::int64_t ticks_per_second = 100;
};

// Gives each tmp finding without a site the site that explains it, first match wins:
// 1. a kit `tmp` record of its exact path, or of a folder it is inside;
// 2. its creator (the creation watch's, for its path or the folder it is inside) is a
//    child the kit saw spawned (a `child` record with a site), or descends from one (the
//    live process table, then the fork history), the nearest such child winning. A
//    recorded child whose start time is not the spawn's (a reused pid) does not count; nor
//    does a child that is itself a Node process with the kit (it records its own calls),
//    and the walk up stops at one.
void add_tmp_sites(std::vector<Finding>& findings, const TmpSiteInput& input);

// "created by child 4242 (chromium), spawned there", "created by 4250 (mktemp), a
// descendant of child 4242 (sh) spawned there"; empty when the kit's record of the call
// itself is the site. Every report format says it in these words.
std::string made_by_text(const TmpSite& site);

}  // namespace leakaudit
