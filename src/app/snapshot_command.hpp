// `leakaudit snapshot` and `leakaudit diff`: the manual workflow (snapshot, start and stop
// the plugin by hand, then diff against the live system).
#pragma once

#include "app/options.hpp"

namespace leakaudit {

int take_snapshot_command(const SnapshotOptions& options);
int diff_command(const DiffOptions& options);

}  // namespace leakaudit
