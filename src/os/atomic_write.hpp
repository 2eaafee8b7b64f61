// Reports are written atomically: a temp file beside the target, then rename(2), so a
// CI job never archives half a report.
#pragma once

#include <optional>
#include <string>

namespace leakaudit::os {

// Returns the error, or nothing on success. "-" writes to stdout.
std::optional<std::string> write_file_atomically(const std::string& path, const std::string& content);

}  // namespace leakaudit::os
