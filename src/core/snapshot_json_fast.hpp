// The fast path of the snapshot reader (ARCHITECTURE.md, "Reading snapshots"): a document
// that is a valid snapshot is read straight into the model, with no JSON tree and no
// nlohmann lexer. For anything else (a syntax or field error, a float, a repeated key,
// a document over the limits) it returns nullopt, and read_snapshot_json runs the exact
// reader (core/snapshot_json_read.cpp) from the first byte: that one gives every message.
// What it accepts it reads to the same model and lists as the exact reader.
#pragma once

#include <optional>
#include <string_view>

#include "core/snapshot_json.hpp"

namespace leakaudit {

// The lists go to `sink`, the root's fields to the result; nullopt: undecided (the sink
// may hold part of the lists: restart() it before reading again).
std::optional<SnapshotRead> read_snapshot_json_fast(std::string_view text, SnapshotSink& sink);
// At most `limit` bytes of `read` (more: nullopt).
std::optional<SnapshotRead> read_snapshot_json_fast(const SnapshotChunkReader& read, std::size_t limit,
                                                          SnapshotSink& sink);

}  // namespace leakaudit
