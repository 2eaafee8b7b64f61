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

}  // namespace leakaudit
