// Temp entries the run left under the watched folders. A new folder is one finding with
// its size and entry count. Each finding says how it was attributed, strongest first:
//   creator-pid  fanotify saw the run's process create it (the fork history proves the
//                pid was the run's, even if it exited at once);
//   held-open    a process of the run holds it (or something inside it) open;
//   time-window  created during the run by the harness's user, when nothing stronger
//                was available for its folder (no fanotify, queue overflow).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/finding_id.hpp"
#include "core/tmp_keys.hpp"

namespace leakaudit {

// In a run, creation evidence decides; in a diff there is none, so every new entry
// counts ("new-since-before"), narrowed to one owner when --user is given.
enum class TmpMode { run, diff };

// The object a path named when it was created: device and inode, read through the
// creation event's directory handle.
struct EntryIdentity {
    std::uint64_t dev = 0;
    std::uint64_t inode = 0;
    friend bool operator==(const EntryIdentity&, const EntryIdentity&) = default;
};

struct TmpEvidence {
    TmpMode mode = TmpMode::run;
    std::optional<std::uint32_t> owner_uid;  // diff --user
    // diff --pid: only entries the hosts' tree holds open (held-open) are reported, plus,
    // with --user, that user's new entries; a snapshot does not record creators.
    bool held_only = false;
    std::map<std::string, bool> created_by_run;  // path → was its latest creator the run's
    // path → the object the run created there (latest creation by the run; nullopt: unread)
    std::map<std::string, std::optional<EntryIdentity>> run_created;
    std::set<std::string> fully_watched_roots;  // roots where every creation was seen
    std::set<std::string> held_by_run;          // paths open in the run's processes
    std::int64_t window_start_ms = 0;
    std::int64_t window_end_ms = 0;
    std::uint32_t harness_uid = 0;
};

std::vector<Finding> tmp_findings(const Snapshot& before, const Snapshot& after, const TmpEvidence& evidence);
// The same, with BEFORE's entries as their identities only (`diff`'s compact model).
std::vector<Finding> tmp_findings(const TmpKeySet& before, const Snapshot& after, const TmpEvidence& evidence);

}  // namespace leakaudit
