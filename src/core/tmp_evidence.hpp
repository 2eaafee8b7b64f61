// What the run's watchers saw, as plain data, and the decisions taken on it: which
// creator was the run's, how each new temp entry can be attributed, and which entries
// `--clean-tmp` may delete (README, "Attribution: what counts as the run's").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/attribution.hpp"
#include "core/finding.hpp"
#include "core/tmp_findings.hpp"

namespace leakaudit {

// Every fork below leakaudit seen by the process-events connector during the run.
struct ForkHistory {
    std::unordered_map<int, int> forked_by;  // run pid → the run pid that forked it
    std::unordered_set<int> ambiguous;       // pids used both by the run and by others meanwhile
    bool lost_events = false;                // the socket overflowed: the history is incomplete
    bool available = false;

    // True when `pid` was the run's, and only the run's, during the watch.
    bool is_run_pid(int pid) const { return forked_by.count(pid) && !ambiguous.count(pid); }
};

// One creation (FAN_CREATE or FAN_MOVED_TO) under a watched folder, in event order.
struct CreatedEntry {
    std::string path;               // spelled under the root as given (matches the temp walk)
    int pid = 0;                    // the creating process (thread-group id)
    std::uint64_t start_ticks = 0;  // its start time, read when the event was drained; 0 if gone
    bool is_dir = false;
    std::optional<EntryIdentity> identity;  // nullopt: gone before it could be read
};

enum class Creator { run, other, unknown };

// Whether the run created `created`: the fork history decides when it is complete;
// without it, a creator still alive in the run (same pid and start time) is the run's,
// and anything else is unknown (no claim either way).
Creator creator_of(const CreatedEntry& created, const ForkHistory& forks, const std::vector<RunProcess>& run);

struct WatchRecord {
    ForkHistory forks;
    std::vector<CreatedEntry> created;  // in event order
    std::vector<std::string> watched;   // roots the creation watch marked
    bool complete = false;              // no fanotify overflow, no lost process events
    bool creations_lost = false;        // fanotify overflowed: some creations were not seen
};

// How each new temp entry can be attributed. Only the latest creation of a path counts:
// a path the run created and deleted, then another user created again, is not the run's.
TmpEvidence tmp_evidence(const WatchRecord& record, const std::vector<RunProcess>& run, const Snapshot& after);

enum class CleanVerdict {
    remove,            // the run created it and it is still the same object
    ignored,           // a rule ignores it
    not_proven,        // attributed by held-open or time-window: the run's creation was not seen
    identity_unknown,  // the object at creation could not be identified
    replaced,          // the object there now is not the one the run created
};
std::string to_string(CleanVerdict verdict);

// Whether `--clean-tmp` may delete a temp finding's entry. The os layer checks the
// identity again, through descriptors, at removal.
CleanVerdict clean_verdict(const Finding& tmp_finding, const TmpEvidence& evidence);

}  // namespace leakaudit
