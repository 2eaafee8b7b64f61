// What a harness holds that is leakaudit's, not the plugin's (README "`run`, step by
// step" and "Cycles and growth"): LEAKAUDIT_CONTROL_FD and LEAKAUDIT_ACK_FD, the Node
// kit's files, and what it inherited from leakaudit (leakaudit's stdio, a CI runner's
// pipes). Never a leak, never a reading of a cycle.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit {

struct OwnResources {
    std::vector<int> fd_numbers;        // the control and ack descriptors' numbers in the harness
    std::string kit_folder;             // the Node kit's private folder; "" without the kit
    std::vector<Descriptor> inherited;  // leakaudit's own descriptors, matched by inode and target
};

// `fds` without leakaudit's own: its descriptor numbers, what it holds too, files below
// the kit's folder.
std::vector<Descriptor> without_own(std::vector<Descriptor> fds, const OwnResources& own);

// The kit's folder itself or a path below it; never true without a kit ("").
bool in_kit_folder(std::string_view path, const std::string& kit_folder);

}  // namespace leakaudit
