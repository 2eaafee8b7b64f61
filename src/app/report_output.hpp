// Writes a finished report where the user asked: text for people, JSON for archives.
#pragma once

#include "app/options.hpp"
#include "core/redact.hpp"
#include "core/report.hpp"

namespace leakaudit {

// Returns 4 when a report file could not be written, else the report's exit code.
// Unless --no-redact, secrets (built-in patterns plus `extra` from [settings]) are
// redacted here, once, for every output: ids were computed before.
int emit_report(const Report& report, const OutputOptions& output, const RedactPatterns& extra);

}  // namespace leakaudit
