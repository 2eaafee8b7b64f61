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
    // LEAKAUDIT_CONTROL_FD and LEAKAUDIT_ACK_FD: leakaudit's own pipes. No descriptor on
    // them is a leak, whatever its number (a shell points fd 1 at the control pipe while
    // it writes an event, and fd 0 at the ack pipe while it reads the answer).
    std::vector<int> channel_fds;
    // Who holds them, as the message says it: "" is "the harness" (run); diff and attach
    // name the host ("the process 1234 (node)").
    std::string owner_label;
};

std::vector<Finding> checkpoint_findings(const CheckpointInput& input);

std::vector<Finding> handle_findings(const std::vector<Handle>& handles);

}  // namespace leakaudit
