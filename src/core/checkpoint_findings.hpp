// The `stopped` checkpoint: sockets and descriptors the harness holds after its plugin
// stopped that it did not hold when the plugin started; and handles it reported.
#pragma once

#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

struct CheckpointInput {
    std::vector<Descriptor> at_started;
    std::vector<Descriptor> at_stopped;
    std::vector<Socket> sockets;  // the socket table at `stopped`
    int owner_pid = 0;
    int control_fd = -1;  // LEAKAUDIT_CONTROL_FD: leakaudit's own pipe, never a leak
    // Who holds them, as the message says it: "" is "the harness" (run); diff and attach
    // name the host ("the process 1234 (node)").
    std::string owner_label;
};

std::vector<Finding> checkpoint_findings(const CheckpointInput& input);

std::vector<Finding> handle_findings(const std::vector<Handle>& handles);

}  // namespace leakaudit
