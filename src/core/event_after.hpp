// The after-state of an event-driven run (core/audit_mode): which created paths are
// looked at, which of them are new, and the before-state a fallback builds by birth time.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/attribution.hpp"
#include "core/snapshot.hpp"
#include "core/tmp_evidence.hpp"

namespace leakaudit {

// Entries with a birth before `since_ms` existed before the run (or were made before it
// could act): never new. Birth times come from a coarse clock, so `since_ms` is taken
// a little before the harness starts.
bool born_before(const TmpEntry& entry, std::int64_t since_ms);

// For the fallback after a lost event: a before-state built from the after-state by
// birth time (entries) and start time (processes), so the usual diff judges what is new.
Snapshot existed_before(const Snapshot& after, std::int64_t since_ms, std::uint64_t since_ticks);

// The paths worth looking at after an event-driven run: the latest creation of each path
// whose creator was the run's or unknown, each path a run process holds open or holds
// something inside, and the created ancestors of those (a new folder hides what is new
// inside it). Entries a neighbour created and no run process holds are never read.
std::vector<std::string> paths_to_look_at(const WatchRecord& record, const std::vector<RunProcess>& run,
                                          const std::set<std::string>& held_by_run);

// The after-state of an event-driven run from what was looked at: entries born during
// the run only (a pre-existing entry renamed back into place is not new).
std::vector<TmpEntry> new_entries(std::vector<TmpEntry> looked_at, std::int64_t since_ms);

}  // namespace leakaudit
