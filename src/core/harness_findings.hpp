// Findings about the harness itself: it could not start, failed, timed out, or never
// exited after saying `stopped`. These decide exit code 3.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/report.hpp"

namespace leakaudit {

// `still_held`: what the harness held (sockets, children) when it was killed for hanging;
// `kept_alive_by`: what the Node kit said keeps its event loop alive then
// ("setInterval 60000ms at src/plugin.mjs:41").
std::vector<Finding> harness_findings(const HarnessOutcome& outcome, const std::vector<std::string>& command,
                                      const std::vector<HeldResource>& still_held = {},
                                      const std::vector<std::string>& kept_alive_by = {});

// A test runner that waits for every test file's process to exit (node --test, Jest,
// Mocha) without its force-exit flag: "; under node --test, add --test-force-exit …", or
// "" for any other command. Appended to the hint of what kept such a run alive.
std::string force_exit_hint(const std::vector<std::string>& command);

// A warning about the control channel (a malformed line, …): never fatal.
Finding harness_warning(const std::string& message, const std::string& hint);

std::string signal_name(int signal);

}  // namespace leakaudit
