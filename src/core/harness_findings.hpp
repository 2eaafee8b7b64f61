// Findings about the harness itself: it could not start, failed, timed out, or never
// exited after saying `stopped`. These decide exit code 3.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/report.hpp"

namespace leakaudit {

// `still_held`: what the harness held when it was killed for not exiting after `stopped`.
std::vector<Finding> harness_findings(const HarnessOutcome& outcome, const std::vector<std::string>& command,
                                      const std::vector<HeldResource>& still_held = {});

// A warning about the control channel (a malformed line, …): never fatal.
Finding harness_warning(const std::string& message, const std::string& hint);

std::string signal_name(int signal);

}  // namespace leakaudit
