// The status line a long run prints to stderr every 30 s (README "`run`, step by step"):
// which harness, how long it has run, and what it holds now, so a hung CI job is never
// silent. Built here from plain values; src/app/run_status.cpp reads them and prints.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/kit_summary.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

struct RunNow {
    std::vector<std::string> command;  // the harness's command line (redacted here)
    int harness_pid = 0;
    std::int64_t age_ms = 0;
    // The harness and the run's other live processes, with their descriptors.
    std::vector<Process> processes;
    std::vector<Socket> sockets;                  // the socket table now, joined to descriptors by inode
    std::optional<std::int64_t> timeout_left_ms;  // nullopt: no timeout
    int reported_handles = 0;                     // handles the harness reported on the control channel so far
    std::vector<KitSummary> kit;                  // the Node kit's live summaries, one per Node process
};

// "leakaudit: still running after 1m00s: node harness.mjs plugin.mjs (pid 4242) ·
// listening on 127.0.0.1:34307 · 1 live process: 4250 sleep · holds 1 setInterval 60000ms
// (plugins/leak-interval.mjs:12) · --timeout in 9m00s" (core/kit_summary.hpp for "holds").
// One line, no newline, terminal escapes and secrets taken out.
std::string status_line(const RunNow& now);

// "45s", "1m00s", "1h02m": an age for people, to the second.
std::string age_text(std::int64_t ms);

}  // namespace leakaudit
