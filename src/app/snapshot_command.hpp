// `leakaudit snapshot`: the manual workflow's first step (then start and stop the plugin
// by hand, and `leakaudit diff`, app/diff_command.hpp).
#pragma once

#include "app/options.hpp"
#include "core/exit_code.hpp"

namespace leakaudit {

ExitCode take_snapshot_command(const SnapshotOptions& options);

}  // namespace leakaudit
