// Turns the run's leftover processes into findings: one per process, with its place
// in the run's tree, the sockets and files it holds, and a hint on how to fix it.
#pragma once

#include <vector>

#include "core/attribution.hpp"
#include "core/finding.hpp"

namespace leakaudit {

// When the audit happens: after the harness exited, or at its `stopped` checkpoint.
enum class AuditPoint { after_exit, at_stopped };

std::vector<Finding> process_findings(const std::vector<RunProcess>& run, const Snapshot& after,
                                      const RunRoots& roots, AuditPoint point);

// "holds 127.0.0.1:8080 listening" for each socket or file worth naming.
std::vector<HeldResource> held_resources(const Process& process, const Snapshot& snapshot);

std::string describe_socket(const Socket& socket);

}  // namespace leakaudit
