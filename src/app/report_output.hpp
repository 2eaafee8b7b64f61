// Writes a finished report where the user asked: text for people, JSON for archives.
#pragma once

#include "app/options.hpp"
#include "core/redact.hpp"
#include "core/report.hpp"

namespace leakaudit {

// Unless --no-redact, secrets (built-in patterns plus `extra` from [settings]) are
// redacted here, once, for every output: ids were computed before. Writes the files,
// then the text report whose summary line says the final exit code: ExitCode::internal
// when a file could not be written.
ExitCode emit_report(const Report& report, const OutputOptions& output, const RedactPatterns& extra);

}  // namespace leakaudit
