// `leakaudit attach PID`: watches a plugin host that is already running, from now on,
// while the user loads and unloads the plugin by hand; reports when asked (README,
// "Attach to a running host").
#pragma once

#include "app/options.hpp"
#include "core/exit_code.hpp"

namespace leakaudit {

ExitCode attach_command(const AttachOptions& options);

}  // namespace leakaudit
