// Reports and snapshots are written where the user asked, by what is at the path
// (core/output_target.hpp): a regular file (or none) through a temp file beside it and
// rename(2), so a CI job never archives half a report; a FIFO, a character device or
// "-" in place, never replaced.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

enum class FileMode {
    report,    // created 0666 & ~umask, like any file a shell redirection creates
    snapshot,  // created 0600: a snapshot lists every process's open files
};

// Fails with an error naming the path and the reason.
Result<void> write_output_file(const std::string& path, const std::string& content, FileMode mode);

// The same, written piece by piece (`snapshot` streams its JSON): opened at once (a FIFO
// without a reader, a refused target are errors before anything is read), written as it
// comes, and for a regular file renamed into place only by commit(); destroyed without
// commit(), the temp file is removed and the target untouched.
class OutputFile {
public:
    OutputFile(const std::string& path, FileMode mode);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    // Failed with the first error (naming the path and the reason); write() and commit()
    // keep it.
    const Result<void>& status() const { return m_status; }
    bool write(std::string_view bytes);
    Result<void> commit();

private:
    std::string m_path;
    std::string m_temp;  // set while a temp file waits to be renamed
    UniqueFd m_fd;
    Result<void> m_status;
};

}  // namespace leakaudit::os
