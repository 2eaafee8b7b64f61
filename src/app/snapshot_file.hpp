// A snapshot file named on the command line, readable twice: `diff` reads it into its
// compact model first, and reads it whole only when that model cannot decide
// (core/diff_compact.hpp). A FIFO or stdin is read whole the first time and its bytes
// kept for the second read.
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/snapshot_json.hpp"

namespace leakaudit {

class SnapshotFile {
public:
    explicit SnapshotFile(std::string path) : m_path(std::move(path)) {}
    // The lists go to `sink` (nullptr: into the result). Fails naming the file (and line
    // and column).
    Result<SnapshotRead> read(SnapshotSink* sink);
    const std::string& path() const { return m_path; }

private:
    Result<SnapshotRead> parsed(Result<SnapshotRead> r) const;

    std::string m_path;
    std::optional<std::string> m_stream_text;
};

}  // namespace leakaudit
