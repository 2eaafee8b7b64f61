// Events only when both watchers cover everything; the first missing piece is the reason.
#include "core/audit_mode.hpp"

namespace leakaudit {

std::string to_string(AuditMode mode) {
    switch (mode) {
        case AuditMode::events:
            return "events";
        case AuditMode::walk:
            return "walk";
        case AuditMode::walk_after_events:
            return "walk-after-events";
    }
    return "walk";
}

std::string to_string(WalkReason reason) {
    switch (reason) {
        case WalkReason::none:
            return "";
        case WalkReason::forced:
            return "forced by LEAKAUDIT_FORCE_WALK";
        case WalkReason::no_fork_history:
            return "no process-events connector";
        case WalkReason::no_creation_watch:
            return "no creation watch";
        case WalkReason::root_unwatched:
            return "a watched folder is not covered by the creation watch";
        case WalkReason::no_birth_time:
            return "a watched folder's filesystem has no birth time";
        case WalkReason::watch_overflowed:
            return "the creation watch overflowed";
        case WalkReason::fork_events_lost:
            return "process events were lost";
    }
    return "";
}

AuditState plan_audit(const WatcherState& w) {
    WalkReason why = w.forced_walk                  ? WalkReason::forced
                     : !w.forks_available           ? WalkReason::no_fork_history
                     : !w.creation_watch            ? WalkReason::no_creation_watch
                     : !w.every_root_watched        ? WalkReason::root_unwatched
                     : !w.every_root_has_birth_time ? WalkReason::no_birth_time
                                                    : WalkReason::none;
    return {why == WalkReason::none ? AuditMode::events : AuditMode::walk, why};
}

AuditState after_audit(const AuditState& planned, bool watch_overflowed, bool fork_events_lost) {
    if (planned.mode != AuditMode::events) return planned;
    if (watch_overflowed) return {AuditMode::walk_after_events, WalkReason::watch_overflowed};
    if (fork_events_lost) return {AuditMode::walk_after_events, WalkReason::fork_events_lost};
    return planned;
}

}  // namespace leakaudit
