// The latest creation of a path decides, as in core/tmp_evidence: a path the run created
// and a neighbour re-created is the neighbour's, and is not looked at.
#include "core/event_after.hpp"

#include <map>

namespace leakaudit {

bool born_before(const TmpEntry& entry, std::int64_t since_ms) {
    return entry.birth_ms < since_ms;
}

Snapshot existed_before(const Snapshot& after, std::int64_t since_ms, std::uint64_t since_ticks) {
    Snapshot before;
    before.watched = after.watched;
    for (const TmpEntry& e : after.tmp) {
        if (born_before(e, since_ms)) before.tmp.push_back(e);
    }
    for (const Process& p : after.processes) {
        if (p.id.start_ticks < since_ticks) before.processes.push_back(p);
    }
    return before;
}

namespace {

std::string parent_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? std::string() : path.substr(0, slash);
}

// `path` and every ancestor of it that was created during the run.
void add_with_created_ancestors(const std::string& path, const std::map<std::string, const CreatedEntry*>& latest,
                                std::set<std::string>& out) {
    for (std::string p = path; !p.empty() && latest.count(p); p = parent_of(p)) {
        if (!out.insert(p).second) return;  // its ancestors are in already
    }
}

}  // namespace

std::vector<std::string> paths_to_look_at(const WatchRecord& record, const std::vector<RunProcess>& run,
                                          const std::set<std::string>& held_by_run) {
    std::map<std::string, const CreatedEntry*> latest;
    for (const CreatedEntry& c : record.created)
        latest[c.path] = &c;
    std::set<std::string> out;
    for (const auto& [path, created] : latest) {
        if (creator_of(*created, record.forks, run) != Creator::other) add_with_created_ancestors(path, latest, out);
    }
    // A held path is new when it, or a folder above it, was created during the run.
    for (const std::string& held : held_by_run) {
        for (std::string p = held; !p.empty(); p = parent_of(p)) {
            if (latest.count(p)) add_with_created_ancestors(p, latest, out);
        }
    }
    return {out.begin(), out.end()};
}

std::vector<TmpEntry> new_entries(std::vector<TmpEntry> looked_at, std::int64_t since_ms) {
    std::erase_if(looked_at, [&](const TmpEntry& e) { return born_before(e, since_ms); });
    return looked_at;
}

}  // namespace leakaudit
