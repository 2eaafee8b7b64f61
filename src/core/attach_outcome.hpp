// What `leakaudit attach PID` watched and how the watch ended, as the report carries it
// (README, "Attach to a running host").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/snapshot.hpp"

namespace leakaudit {

// What ended the watch and made attach report.
enum class AttachEnd {
    enter,            // a newline on attach's standard input
    signal,           // SIGINT, SIGTERM or SIGHUP
    host_exited,      // PID exited (with --until-exit: after --grace for what it left)
    control_stopped,  // PID (or its harness) wrote {"event":"stopped"} to --control
};

struct AttachEndName {
    AttachEnd end;
    std::string_view name;  // in the JSON report
    std::string_view text;  // in the text report's summary line
};
inline constexpr AttachEndName k_attach_end_names[] = {
    {AttachEnd::enter, "enter", "Enter"},
    {AttachEnd::signal, "signal", "a signal"},
    {AttachEnd::host_exited, "host-exited", "the host's exit"},
    {AttachEnd::control_stopped, "stopped", "stopped on the control channel"},
};

inline const AttachEndName& attach_end_name(AttachEnd end) {
    return k_attach_end_names[static_cast<std::size_t>(end)];
}

struct AttachOutcome {
    ProcessId host;         // PID, with its start time when attach began
    std::string host_name;  // its comm
    AttachEnd ended_by = AttachEnd::enter;
    bool host_exited = false;     // PID was gone at report time
    bool saw_started = false;     // the control channel said `started`: the window began there
    std::string control_path;     // --control FIFO, empty when none
    bool fork_history = false;    // the process-events connector followed forks below PID
    bool creation_watch = false;  // fanotify named the creator of each temp entry
};

}  // namespace leakaudit
