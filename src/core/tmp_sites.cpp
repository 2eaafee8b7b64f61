#include "core/tmp_sites.hpp"

#include <optional>

#include "core/attribution.hpp"

namespace leakaudit {

namespace {

// A child starts before its spawn() returns and the kit writes the record: a process with
// the child's pid that started much earlier, or after, is another process (a reused pid).
constexpr std::int64_t k_spawn_before_ms = 30'000;
constexpr std::int64_t k_spawn_after_ms = 1'000;  // start ticks are 10 ms; clocks are read apart
constexpr int k_max_hops = 64;                    // a fork history with a loop cannot hang the walk

bool inside(const std::string& path, const std::string& folder) {
    return path == folder || (path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/');
}

// The record of the path or of the nearest folder holding it; the latest of equals.
const KitTmpRecord* made_record(const std::string& path, const std::vector<KitTmpRecord>& made) {
    const KitTmpRecord* found = nullptr;
    for (const KitTmpRecord& r : made) {
        if (inside(path, r.path) && (!found || r.path.size() >= found->path.size())) found = &r;
    }
    return found;
}

// The creator of the path, or of the nearest folder holding it that the watch saw made.
const TmpCreator* creator_of_path(std::string path, const std::map<std::string, TmpCreator>& creators) {
    while (!path.empty() && path != "/") {
        if (auto it = creators.find(path); it != creators.end()) return &it->second;
        std::size_t slash = path.rfind('/');
        if (slash == std::string::npos) return nullptr;
        path.resize(slash);
    }
    return nullptr;
}

class ChildFinder {
public:
    explicit ChildFinder(const TmpSiteInput& in) : m_in(in) {
        if (in.after) m_index = index_by_pid(*in.after);
    }

    // The recorded child that made the entry (creator), or the nearest one it descends from.
    std::optional<TmpSite> find(const TmpCreator& creator) const {
        const Process* live = alive(creator.pid, creator.start_ticks);
        std::optional<std::int64_t> start =
            creator.start_ticks ? std::optional(ms_of(creator.start_ticks)) : std::nullopt;
        if (m_in.kit_pids.count(creator.pid)) return std::nullopt;  // a Node process records its own calls
        if (const KitChildRecord* child = recorded(creator.pid, start)) return site_of(*child, creator.pid, live);
        if (live) {
            if (const KitChildRecord* child = live_ancestor(*live)) return site_of(*child, creator.pid, live);
        }
        if (const KitChildRecord* child = forked_ancestor(creator.pid)) return site_of(*child, creator.pid, live);
        return std::nullopt;
    }

private:
    std::int64_t ms_of(std::uint64_t ticks) const {
        std::int64_t per_second = m_in.ticks_per_second > 0 ? m_in.ticks_per_second : 100;
        return m_in.boot_ms + static_cast<std::int64_t>(ticks) * 1000 / per_second;
    }

    // The live process with that pid, when it is the same process (start ticks agree).
    const Process* alive(int pid, std::uint64_t start_ticks) const {
        auto it = m_index.find(pid);
        if (it == m_index.end() || start_ticks == 0 || it->second->id.start_ticks != start_ticks) return nullptr;
        return it->second;
    }

    // The latest `child` record of pid with a site, whose spawn time fits the start time.
    const KitChildRecord* recorded(int pid, std::optional<std::int64_t> start_ms) const {
        const KitChildRecord* found = nullptr;
        for (const KitChildRecord& c : m_in.children) {
            if (c.pid != pid || c.where.site.empty()) continue;
            if (start_ms && (*start_ms > c.at_ms + k_spawn_after_ms || *start_ms < c.at_ms - k_spawn_before_ms))
                continue;
            found = &c;
        }
        return found;
    }

    // Recorded children alive now that `creator` descends from: the nearest (started last).
    const KitChildRecord* live_ancestor(const Process& creator) const {
        const KitChildRecord* best = nullptr;
        std::uint64_t best_start = 0;
        for (const KitChildRecord& c : m_in.children) {
            auto it = m_index.find(c.pid);
            if (it == m_index.end() || m_in.kit_pids.count(c.pid)) continue;
            const Process& child = *it->second;
            const KitChildRecord* record = recorded(c.pid, ms_of(child.id.start_ticks));
            if (!record || (best && child.id.start_ticks < best_start)) continue;
            if (!descends_from(creator, {child.id}, m_index) || below_kit_process(creator, child)) continue;
            best = record;
            best_start = child.id.start_ticks;
        }
        return best;
    }

    // Whether a Node process with the kit stands between creator and child (it records
    // its own calls: the child's site does not explain what it made).
    bool below_kit_process(const Process& creator, const Process& child) const {
        const Process* current = &creator;
        for (int hops = 0; hops < k_max_hops; ++hops) {
            auto parent = m_index.find(current->ppid);
            if (parent == m_index.end() || parent->second->id == child.id) return false;
            if (m_in.kit_pids.count(parent->first)) return true;
            current = parent->second;
        }
        return false;
    }

    // Up the fork history (processes gone since included), nearest recorded child first.
    const KitChildRecord* forked_ancestor(int pid) const {
        if (!m_in.forks || !m_in.forks->available) return nullptr;
        const ForkHistory& forks = *m_in.forks;
        for (int hops = 0; hops < k_max_hops; ++hops) {
            auto up = forks.forked_by.find(pid);
            if (up == forks.forked_by.end() || !forks.is_run_pid(pid)) return nullptr;
            pid = up->second;
            if (m_in.kit_pids.count(pid) || forks.ambiguous.count(pid)) return nullptr;
            auto live = m_index.find(pid);
            std::optional<std::int64_t> start;
            if (live != m_index.end()) start = ms_of(live->second->id.start_ticks);
            if (const KitChildRecord* child = recorded(pid, start)) return child;
        }
        return nullptr;
    }

    TmpSite site_of(const KitChildRecord& child, int creator_pid, const Process* creator) const {
        TmpSite site;
        site.where = child.where;
        site.child_pid = child.pid;
        site.child_name = child.file;
        if (creator_pid != child.pid) {
            site.creator_pid = creator_pid;
            if (creator) site.creator_name = creator->name;
        }
        return site;
    }

    const TmpSiteInput& m_in;
    PidIndex m_index;
};

}  // namespace

std::map<std::string, TmpCreator> latest_creators(const std::vector<CreatedEntry>& created) {
    std::map<std::string, TmpCreator> out;
    for (const CreatedEntry& c : created)
        out[c.path] = TmpCreator{c.pid, c.start_ticks};
    return out;
}

void add_tmp_sites(std::vector<Finding>& findings, const TmpSiteInput& input) {
    ChildFinder children(input);
    for (Finding& f : findings) {
        if (f.kind != Kind::tmp || !f.tmp || f.made_at) continue;
        if (const KitTmpRecord* made = made_record(f.tmp->path, input.made)) {
            f.made_at = TmpSite{made->where, std::nullopt, {}, std::nullopt, {}};
            continue;
        }
        if (const TmpCreator* creator = creator_of_path(f.tmp->path, input.creators)) {
            if (std::optional<TmpSite> site = children.find(*creator)) f.made_at = std::move(site);
        }
    }
}

std::string made_by_text(const TmpSite& site) {
    if (!site.child_pid) return "";
    std::string child =
        "child " + std::to_string(*site.child_pid) + (site.child_name.empty() ? "" : " (" + site.child_name + ")");
    if (!site.creator_pid) return "created by " + child + ", spawned there";
    std::string creator = site.creator_name.empty()
                              ? "pid " + std::to_string(*site.creator_pid)
                              : std::to_string(*site.creator_pid) + " (" + site.creator_name + ")";
    return "created by " + creator + ", a descendant of " + child + " spawned there";
}

}  // namespace leakaudit
