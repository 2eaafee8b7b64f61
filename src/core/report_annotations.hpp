// GitHub Actions annotations (--annotations github, or GITHUB_ACTIONS=true): one
// workflow command per finding, so leaks show on the run's summary page and the PR.
#pragma once

#include <ostream>

#include "core/report.hpp"

namespace leakaudit {

// `::error title=...::message` for error findings, `::warning` for warnings and
// `::notice` for info; ignored findings are not annotated.
void write_github_annotations(const Report& report, std::ostream& out);

}  // namespace leakaudit
