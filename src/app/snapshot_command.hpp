// `leakaudit snapshot` and `leakaudit diff`: the manual workflow (snapshot, start and stop
// the plugin by hand, then diff against the live system).
#pragma once

#include "app/options.hpp"
#include "core/exit_code.hpp"

namespace leakaudit {

ExitCode take_snapshot_command(const SnapshotOptions& options);
ExitCode diff_command(const DiffOptions& options);

}  // namespace leakaudit
