// A regular file is parsed as it is read (core/snapshot_json.hpp); a FIFO or stdin is
// read whole first, up to the limit, so its size is the first thing checked.
#include "app/snapshot_file.hpp"

#include "app/print_error.hpp"
#include "os/input_file.hpp"

namespace leakaudit {

namespace {

SnapshotReadResult parse(std::string_view text, SnapshotSink* sink) {
    return sink ? read_snapshot_json(text, *sink) : read_snapshot_json(text);
}

}  // namespace

std::optional<SnapshotReadResult> SnapshotFile::read(SnapshotSink* sink) {
    std::string read_error;
    SnapshotReadResult r;
    if (m_stream_text) {
        r = parse(*m_stream_text, sink);
    } else {
        os::OpenedInput input = os::open_input_file(m_path, k_max_snapshot_bytes, os::Streams::allow);
        if (input.ok() && !input.stream) {
            SnapshotChunkReader chunks = [&](char* buffer, std::size_t size) {
                return os::read_some(input.fd, buffer, size, read_error);
            };
            r = sink ? read_snapshot_json(chunks, *sink) : read_snapshot_json(chunks);
        } else {
            os::InputFile whole = os::read_opened(input, k_max_snapshot_bytes);
            read_error = whole.error;
            if (read_error.empty()) {
                m_stream_text = std::move(whole.text);
                r = parse(*m_stream_text, sink);
            }
        }
    }
    if (!read_error.empty()) {
        print_error("snapshot " + m_path + " " + read_error);
        return std::nullopt;
    }
    if (!r.ok()) {
        print_error(m_path + ":" + r.error);
        return std::nullopt;
    }
    return r;
}

}  // namespace leakaudit
