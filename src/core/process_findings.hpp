// Turns the run's leftover processes into findings: one per process, with its place
// in the run's tree, the sockets and files it holds, and a hint on how to fix it.
#pragma once

#include <unordered_map>
#include <vector>

#include "core/attribution.hpp"
#include "core/finding.hpp"

namespace leakaudit {

// When the audit happens: after the harness exited, or at its `stopped` checkpoint.
enum class AuditPoint { after_exit, at_stopped };

// `forked_by` (child pid → the run pid that forked it, from the fork history; may be
// empty) names the real parent of a process the subreaper adopted.
std::vector<Finding> process_findings(const std::vector<RunProcess>& run, const Snapshot& after, const RunRoots& roots,
                                      AuditPoint point, const std::unordered_map<int, int>& forked_by = {});

// "holds 127.0.0.1:8080 listening" for each socket or file worth naming.
std::vector<HeldResource> held_resources(const Process& process, const Snapshot& snapshot);

std::string describe_socket(const Socket& socket);

// The hint of a process that left the harness's process group with nothing recorded of
// how: a double fork or setsid, as a daemon does.
inline constexpr std::string_view k_escaped_hint =
    "a daemon escaped with setsid/double-fork: keep its pid (or a pidfile) and terminate it in onStop()";

// A process's hint once the Node kit recorded its spawn (`spawn`, its ProcessWrap handle,
// core/peer_findings.hpp): the process the plugin spawned is the one left over, so a
// process out of the harness's group was spawned with `detached: true`, not
// daemonized; the fix is to keep the ChildProcess and kill its group. Other hints stay.
std::string hint_for_recorded_spawn(const std::string& hint, const Handle& spawn);

}  // namespace leakaudit
