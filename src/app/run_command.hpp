// `leakaudit run`: audit one harness run, step by step as README ("`run`, step by step") lists them.
#pragma once

#include "app/options.hpp"
#include "core/exit_code.hpp"

namespace leakaudit {

ExitCode run_audit(const RunOptions& options);

}  // namespace leakaudit
