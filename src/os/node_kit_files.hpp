// The Node kit's folder on disk (kits/node/PROTOCOL.md): created 0700 for one run,
// read with bounds (per file and per run), asked for a dump, removed at the end. Only
// reads and acts: what the files mean is decided in core/node_kit.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace leakaudit::os {

struct KitDir {
    std::string path;
    bool created_parent = false;  // /run/leakaudit, made by this run
};

// `/run/leakaudit/<run id>` as root, else `$XDG_RUNTIME_DIR/leakaudit-<run id>`, else a
// mkdtemp under /tmp; mode 0700. Or why none could be made.
Result<KitDir> create_kit_dir(const std::string& run_id);

// One `<pid>.jsonl` as read: its text (the whole file, or its first line and its last
// bytes when it is larger than the bound), and its process's start time if alive.
struct RawKitFile {
    int pid = 0;
    std::string text;
    bool truncated = false;
    std::optional<std::int64_t> start_ms;  // Unix ms; nullopt when the pid is gone
};

struct KitReadLimits {
    std::size_t per_file = 8u << 20;
    std::size_t per_run = 64u << 20;
    std::size_t max_files = 4096;
};

// Regular files named `<pid>.jsonl`, owned by this user, opened without following links.
// `skipped` counts files left unread because a bound was reached.
std::vector<RawKitFile> read_kit_files(const std::string& dir, const KitReadLimits& limits, int& skipped);

// Creates `dump-request` in the folder, then waits until every pid in `live` has its
// `<pid>.dumped` marker (or has exited), or `patience` has passed. True when all answered.
bool request_dump(const std::string& dir, const std::vector<int>& live, std::chrono::milliseconds patience);

// Removes the folder's files and the folder, or says why not.
Result<void> remove_kit_dir(const KitDir& dir);

}  // namespace leakaudit::os
