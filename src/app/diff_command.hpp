// `leakaudit diff`: the manual workflow's last step (snapshot, start and stop the plugin
// by hand, then diff against the live system or a second snapshot).
#pragma once

#include "app/options.hpp"
#include "core/exit_code.hpp"

namespace leakaudit {

ExitCode diff_command(const DiffOptions& options);

}  // namespace leakaudit
