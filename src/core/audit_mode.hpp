// How `run` reads the machine before and after the harness (README, "Performance: what
// a run costs"). With both watchers whole (fanotify and the process-events connector, as
// root) the run's events are the source of truth: nothing is walked before, and at the
// end only the entries created and the processes forked during the run are looked at.
// Otherwise every watched folder and the whole process table are read twice, as without
// root. A watcher that loses events mid-run falls back to one full read after, where
// what is new is told by birth time (core/event_after). The decisions are here; os reads.
#pragma once

#include <string>

namespace leakaudit {

enum class AuditMode {
    events,             // before: nothing walked; after: only what the watchers saw created
    walk,               // full walk and process table before and after
    walk_after_events,  // events planned, a watcher lost some: full read after, new by birth time
};

// Why a run is not event-driven (none when it is).
enum class WalkReason {
    none,
    forced,           // LEAKAUDIT_FORCE_WALK=1 (a knob for tests)
    no_fork_history,  // no process-events connector (not root)
    no_creation_watch,
    root_unwatched,    // a watched folder could not be marked by fanotify
    no_birth_time,     // a watched folder's filesystem has no birth time (statx btime)
    watch_overflowed,  // FAN_Q_OVERFLOW during the run
    fork_events_lost,  // ENOBUFS on the connector during the run
};

std::string to_string(AuditMode mode);
std::string to_string(WalkReason reason);

// What the run knows about its watchers when it starts.
struct WatcherState {
    bool forced_walk = false;
    bool forks_available = false;
    bool creation_watch = false;
    bool every_root_watched = false;
    bool every_root_has_birth_time = false;
};

struct AuditState {
    AuditMode mode = AuditMode::walk;
    WalkReason reason = WalkReason::none;
};

// The plan at the start: events only when nothing is missing.
AuditState plan_audit(const WatcherState& watchers);

// The mode of the after-state, once it is known whether a watcher lost events.
AuditState after_audit(const AuditState& planned, bool watch_overflowed, bool fork_events_lost);

}  // namespace leakaudit
