// Findings from the Node kit's reports: `handle` findings with their creation site, and
// `listener` findings; what keeps a hung harness alive, in one line; and whether a kit
// file is the run's at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/node_kit.hpp"

namespace leakaudit {

// A counted kit file: the process that wrote it and its last report.
struct KitProcess {
    KitHello hello;
    KitReport report;
    bool is_harness = false;  // the process leakaudit started (not a child of it)
};

std::vector<Finding> kit_findings(const std::vector<KitProcess>& processes);

// "setInterval 60000ms at src/plugin.mjs:41", one per ref'd handle (they keep a loop
// alive), at most a handful and then "N more". Empty when the kit reported none.
std::vector<std::string> kept_alive_by(const std::vector<KitProcess>& processes);

// What leakaudit knows about the process behind a kit file, read when the file was read.
struct KitOrigin {
    std::optional<std::int64_t> start_ms;  // its start time, when it was alive
    bool is_harness = false;               // pid and start time are the harness's
    bool fork_history = false;             // the fork history of the run is available
    bool forked_in_run = false;            // ... and it says the run forked this pid
};

// A file counts only when its process is provably the run's: the harness itself; alive
// and started after the run began (pid + start time, so a reused pid is not); or gone
// and forked by the run (the fork history). Without a fork history a process that is
// gone is counted on its token alone: only the run's environment carried it.
bool kit_file_counts(const KitHello& hello, const KitOrigin& origin, std::int64_t run_started_ms);

// Exit and signal events of `process`: a listener there outlives any plugin.
bool is_process_lifetime_event(const std::string& emitter, const std::string& event);

}  // namespace leakaudit
