// Only the topmost new entry of a new subtree is reported: a plugin's leaked scratch
// folder with 10,000 files is one leak, not 10,001.
#include "core/tmp_findings.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/finding_id.hpp"

namespace leakaudit {

namespace {

std::string parent_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? std::string() : path.substr(0, slash);
}

std::string root_of(const std::string& path, const std::vector<std::string>& roots) {
    for (const std::string& root : roots) {
        if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/')
            return root;
    }
    return "";
}

bool held_within(const std::string& path, const std::set<std::string>& held) {
    auto it = held.lower_bound(path);
    return it != held.end() && (*it == path || (it->size() > path.size() && it->compare(0, path.size(), path) == 0 &&
                                                (*it)[path.size()] == '/'));
}

std::string human_size(std::uint64_t bytes) {
    char buf[32];
    if (bytes < 1024)
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else if (bytes < std::uint64_t{1024} * 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
    else
        std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

std::string describe(const TmpEntry& e) {
    switch (e.type) {
        case EntryType::dir:
            return "temp folder " + e.path + " left behind (" + std::to_string(e.entry_count) +
                   (e.entry_count == 1 ? " entry, " : " entries, ") + human_size(e.size) + ")";
        case EntryType::socket:
            return "unix socket file " + e.path + " left behind";
        case EntryType::symlink:
            return "symlink " + e.path + " -> " + e.link_target + " left behind";
        case EntryType::fifo:
            return "named pipe " + e.path + " left behind";
        default:
            return "temp file " + e.path + " left behind (" + human_size(e.size) + ")";
    }
}

std::string hint_for(const TmpEntry& e) {
    if (e.path.rfind("/dev/shm/", 0) == 0) {
        return "a shared-memory object outlived stop(): shm_unlink()/unlink it when the plugin stops";
    }
    if (e.type == EntryType::socket) return "unlink the socket path after closing the server in onStop()";
    if (e.type == EntryType::dir) {
        return "remove the folder in onStop() (fs.rmSync(dir, {recursive: true}), shutil.rmtree, rm -rf)";
    }
    return "delete the file in onStop(), or create it inside a folder you remove";
}

// The strongest attribution that holds, or none when the entry is not the run's.
Attribution attribute(const TmpEntry& e, const std::string& root, const TmpEvidence& ev) {
    if (ev.mode == TmpMode::diff) {
        if (held_within(e.path, ev.held_by_run)) return Attribution::held_open;
        if (ev.held_only && !ev.owner_uid) return Attribution::none;
        return !ev.owner_uid || e.uid == *ev.owner_uid ? Attribution::new_since_before : Attribution::none;
    }
    auto created = ev.created_by_run.find(e.path);
    if (created != ev.created_by_run.end() && created->second) return Attribution::creator_pid;
    if (held_within(e.path, ev.held_by_run)) return Attribution::held_open;
    if (created != ev.created_by_run.end()) return Attribution::none;  // an unrelated process created it
    if (ev.fully_watched_roots.count(root)) return Attribution::none;  // watched, and no one of the run created it
    bool in_window = e.birth_ms >= ev.window_start_ms - 1000 && e.birth_ms <= ev.window_end_ms + 1000;
    return in_window && e.uid == ev.harness_uid ? Attribution::time_window : Attribution::none;
}

}  // namespace

std::vector<Finding> tmp_findings(const Snapshot& before, const Snapshot& after, const TmpEvidence& evidence) {
    return tmp_findings(TmpKeySet(before.tmp), after, evidence);
}

std::vector<Finding> tmp_findings(const TmpKeySet& before, const Snapshot& after, const TmpEvidence& evidence) {
    std::set<std::string> new_paths;
    for (const TmpEntry& e : after.tmp) {
        if (!before.contains(e)) new_paths.insert(e.path);
    }
    std::vector<Finding> findings;
    for (const TmpEntry& e : after.tmp) {
        if (!new_paths.count(e.path) || new_paths.count(parent_of(e.path))) continue;
        std::string root = root_of(e.path, after.watched);
        Attribution how = attribute(e, root, evidence);
        if (how == Attribution::none) continue;
        Finding f;
        f.kind = Kind::tmp;
        f.tmp = e;
        f.attribution = how;
        f.message = describe(e);
        f.hint = hint_for(e);
        // Relative to its watched folder: the same leak under another TMPDIR is the same leak.
        std::string relative = root.empty() ? e.path : e.path.substr(root.size());
        f.id = make_finding_id(Kind::tmp, {stable_path_key(relative), to_string(e.type)});
        findings.push_back(std::move(f));
    }
    disambiguate_ids(findings);
    return findings;
}

}  // namespace leakaudit
