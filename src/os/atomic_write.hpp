// Reports and snapshots are written where the user asked, by what is at the path
// (core/output_target.hpp): a regular file (or none) through a temp file beside it and
// rename(2), so a CI job never archives half a report; a FIFO, a character device or
// "-" in place, never replaced.
#pragma once

#include <optional>
#include <string>

namespace leakaudit::os {

enum class FileMode {
    report,    // created 0666 & ~umask, like any file a shell redirection creates
    snapshot,  // created 0600: a snapshot lists every process's open files
};

// Returns the error (naming the path and the reason), or nothing on success.
std::optional<std::string> write_output_file(const std::string& path, const std::string& content, FileMode mode);

}  // namespace leakaudit::os
