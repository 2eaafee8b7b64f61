// GitHub Actions annotations (--annotations github, or GITHUB_ACTIONS=true): one
// workflow command per finding, so leaks show on the run's summary page and the PR.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "core/report.hpp"

namespace leakaudit {

// `::error title=...::message` for error findings, `::warning` for warnings and
// `::notice` for info; ignored findings are not annotated.
void write_github_annotations(const Report& report, std::ostream& out);

// GitHub's escaping (as @actions/core does it): `%`, CR and LF in a command's message;
// also `:` and `,` in a property value. Invalid UTF-8 becomes U+FFFD, and other control
// characters are shown as `\xNN` so they cannot reach the runner's log raw.
enum class AnnotationPart { message, property };
std::string escape_workflow_command(std::string_view bytes, AnnotationPart part);

}  // namespace leakaudit
