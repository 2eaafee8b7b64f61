// Pure decisions over what the watchers recorded; src/app/run_evidence.cpp only gathers.
#include "core/tmp_evidence.hpp"

#include <algorithm>
#include <map>

namespace leakaudit {

Creator creator_of(const CreatedEntry& created, const ForkHistory& forks, const std::vector<RunProcess>& run) {
    if (forks.available && !forks.lost_events && !forks.ambiguous.count(created.pid))
        return forks.is_run_pid(created.pid) ? Creator::run : Creator::other;
    bool alive_in_run = std::any_of(run.begin(), run.end(), [&](const RunProcess& rp) {
        return rp.process->id.pid == created.pid && rp.process->id.start_ticks == created.start_ticks;
    });
    return alive_in_run ? Creator::run : Creator::unknown;
}

namespace {

// Latest creation wins: an unknown creator withdraws any earlier claim, since what is
// there now may be someone else's.
void record_creations(const WatchRecord& record, const std::vector<RunProcess>& run, TmpEvidence& ev) {
    for (const CreatedEntry& c : record.created) {
        Creator who = creator_of(c, record.forks, run);
        ev.run_created.erase(c.path);
        if (who == Creator::unknown) {
            ev.created_by_run.erase(c.path);
            continue;
        }
        ev.created_by_run[c.path] = who == Creator::run;
        if (who == Creator::run) ev.run_created[c.path] = c.identity;
    }
}

void record_held(const std::vector<RunProcess>& run, const Snapshot& after, TmpEvidence& ev) {
    SocketIndex sockets(after.sockets);
    for (const RunProcess& rp : run) {
        for (const Descriptor& d : rp.process->fds) {
            if (d.type == FdType::socket) {
                const Socket* s = sockets.find(d.inode);
                if (s && !s->path.empty()) ev.held_by_run.insert(s->path);
            } else if (!d.target.empty() && d.target[0] == '/') {
                ev.held_by_run.insert(d.target);
            }
        }
    }
}

}  // namespace

TmpEvidence tmp_evidence(const WatchRecord& record, const std::vector<RunProcess>& run, const Snapshot& after) {
    TmpEvidence ev;
    record_creations(record, run, ev);
    if (record.complete) ev.fully_watched_roots.insert(record.watched.begin(), record.watched.end());
    record_held(run, after, ev);
    return ev;
}

std::string to_string(CleanVerdict verdict) {
    switch (verdict) {
        case CleanVerdict::remove:
            return "remove";
        case CleanVerdict::ignored:
            return "a rule ignores it";
        case CleanVerdict::not_proven:
            return "its creation by the run was not seen";
        case CleanVerdict::identity_unknown:
            return "the entry the run created could not be identified";
        case CleanVerdict::replaced:
            return "it was replaced since the run created it";
    }
    return "unknown";
}

CleanVerdict clean_verdict(const Finding& f, const TmpEvidence& evidence) {
    if (f.severity == Severity::ignore) return CleanVerdict::ignored;
    if (!f.tmp) return CleanVerdict::not_proven;
    auto claim = evidence.created_by_run.find(f.tmp->path);
    if (claim == evidence.created_by_run.end() || !claim->second) return CleanVerdict::not_proven;
    auto created = evidence.run_created.find(f.tmp->path);
    if (created == evidence.run_created.end() || !created->second) return CleanVerdict::identity_unknown;
    if (*created->second != EntryIdentity{f.tmp->dev, f.tmp->inode}) return CleanVerdict::replaced;
    return CleanVerdict::remove;
}

}  // namespace leakaudit
