// A regular file is parsed as it is read (core/snapshot_json.hpp); a FIFO or stdin is
// read whole first, up to the limit, so its size is the first thing checked.
#include "app/snapshot_file.hpp"

#include <unistd.h>

#include "os/input_file.hpp"

namespace leakaudit {

namespace {

Result<SnapshotRead> parse(std::string_view text, SnapshotSink* sink) {
    return sink ? read_snapshot_json(text, *sink) : read_snapshot_json(text);
}

}  // namespace

Result<SnapshotRead> SnapshotFile::read(SnapshotSink* sink) {
    if (m_stream_text) return parsed(parse(*m_stream_text, sink));
    Result<os::OpenedInput, os::InputError> input =
        os::open_input_file(m_path, k_max_snapshot_bytes, os::Streams::allow);
    if (!input) return unexpected("snapshot " + m_path + " " + input.error().reason);
    if (input->stream) {
        Result<std::string, os::InputError> whole = os::read_opened(*input, k_max_stream_snapshot_bytes);
        if (!whole) return unexpected("snapshot " + m_path + " " + whole.error().reason);
        m_stream_text = std::move(*whole);
        return parsed(parse(*m_stream_text, sink));
    }
    std::optional<Error> read_error;
    SnapshotChunkReader chunks = [&](char* buffer, std::size_t size) -> std::size_t {
        Result<std::size_t> n = os::read_some(input->fd, buffer, size);
        if (!n) read_error = n.error();
        return n ? *n : 0;
    };
    // The fast reader gives up on an invalid file; the exact one then reads it again.
    SnapshotRewind rewind = [&] { return ::lseek(input->fd, 0, SEEK_SET) == 0; };
    Result<SnapshotRead> r = sink ? read_snapshot_json(chunks, rewind, *sink) : read_snapshot_json(chunks, rewind);
    if (read_error) return unexpected("snapshot " + m_path + " " + read_error->message);
    return parsed(std::move(r));
}

// "FILE:line:col: message", or "FILE:message" for a field or schema error.
Result<SnapshotRead> SnapshotFile::parsed(Result<SnapshotRead> r) const {
    if (!r) return unexpected(m_path + ":" + describe(r.error()));
    return r;
}

}  // namespace leakaudit
