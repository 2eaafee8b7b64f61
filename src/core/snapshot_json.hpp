// Snapshots as versioned JSON ("leakaudit.snapshot/1") for the manual workflow:
// `leakaudit snapshot` writes one, `leakaudit diff` reads it back. Raw bytes survive
// the round trip (invalid UTF-8 is kept in <field>_base64 beside the readable text).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

inline constexpr const char* k_snapshot_schema = "leakaudit.snapshot/1";
inline constexpr int k_snapshot_version = 1;

struct SnapshotMeta {
    std::string tool_version;
    std::string boot_id;  // /proc/sys/kernel/random/boot_id: start times only compare within one boot
    std::string host;
    // Secrets were replaced by `***` when it was written (no --no-redact); a diff then
    // redacts its other side alike, so both compare like for like.
    bool redacted = false;
};

void write_snapshot_json(const Snapshot& snapshot, const SnapshotMeta& meta, std::ostream& out);

// The same document in pieces, so `snapshot` writes each process as soon as its
// descriptors are read and forgets it (ARCHITECTURE.md, "Streaming snapshots"): the
// bytes are those write_snapshot_json writes for the same model.
class SnapshotJsonWriter {
public:
    // Writes everything before the lists: schema, tool, boot, host, time, watched.
    SnapshotJsonWriter(std::ostream& out, const SnapshotMeta& meta, std::int64_t taken_at_ms,
                       const std::vector<std::string>& watched);
    // "processes", "sockets", "tmp", in this order, each begun, filled and ended.
    void begin_list(const char* key);
    void add(std::string_view element);  // from snapshot_element_json
    void end_list();
    // The warnings and the closing brace.
    void finish(const std::vector<std::string>& warnings);
    // Everything after the processes: the lists "sockets" and "tmp" of `snapshot`, then
    // its warnings and the closing brace.
    void finish_after_processes(const Snapshot& snapshot);

private:
    std::ostream& m_out;
    bool m_empty = true;
};

// One element of a list, rendered where the document places it (two levels deep).
std::string snapshot_element_json(const Process& process);
std::string snapshot_element_json(const Socket& socket);
std::string snapshot_element_json(const TmpEntry& entry);

// A snapshot document read back. When it cannot be, the reader's Error has the line
// and column of invalid JSON ("3:13: invalid JSON (unexpected content)" through
// describe()), or only a message for a field ("processes[0]: missing `pid`") or the
// schema ("this snapshot was written by a newer leakaudit ...").
struct SnapshotRead {
    Snapshot snapshot;
    SnapshotMeta meta;
};

// Limits on a snapshot file (README, "Limits"): its size, nesting and number of JSON
// values, in the whole file and in one list element (the exact reader builds one element
// at a time as a JSON tree: this bounds that tree). A root snapshot of a busy machine is
// tens of MiB: 3,000 processes with 50 descriptors each, or 200,000 temp entries, write
// about 65 MiB and 2.2 million values, so the bounds leave room for several times that.
inline constexpr std::size_t k_max_snapshot_bytes = std::size_t{256} * 1024 * 1024;
inline constexpr int k_max_snapshot_depth = 32;
inline constexpr std::size_t k_max_snapshot_values = 32'000'000;
inline constexpr std::size_t k_max_element_values = 2'000'000;  // a process holding 250,000 descriptors
// A FIFO or stdin is held whole in memory before it is read (a regular file is read as it
// is parsed), so a stream has a lower bound.
inline constexpr std::size_t k_max_stream_snapshot_bytes = std::size_t{64} * 1024 * 1024;

// Where the streaming reader puts each list element once it is converted and checked.
// The default keeps them all in SnapshotRead::snapshot; `diff` keeps only what it
// needs (core/diff_compact.hpp). A list key repeated in the document replaces the
// earlier list, so `begin` says "forget what this list gave so far".
enum class SnapshotList { processes, sockets, tmp };

class SnapshotSink {
public:
    virtual ~SnapshotSink() = default;
    virtual void begin(SnapshotList list) = 0;
    virtual void add(Process&& process) = 0;
    virtual void add(Socket&& socket) = 0;
    virtual void add(TmpEntry&& entry) = 0;
    // Forget everything: the fast reader gave up and the exact one reads from the start.
    virtual void restart() = 0;
};

// Never throws; every number is range-checked (a pid of 2^40 or -1 is an error naming
// its place in the document).
// The exact reader streams (nlohmann's SAX interface): only one list element at a time
// is a JSON tree, so memory is the model, not the document. `text` has no size limit
// (its caller bounded it); the chunked and stream readers refuse more than
// k_max_snapshot_bytes. The text and rewindable readers first try the fast path
// (core/snapshot_json_fast.hpp) and run the exact reader only when it gives up: the
// same results and messages, several times faster on a valid file. The plain chunked
// and stream readers are the exact reader alone.
Result<SnapshotRead> read_snapshot_json(std::string_view text);
Result<SnapshotRead> read_snapshot_json(std::istream& in);
// `read` fills `buffer` with up to `size` bytes and returns how many; 0 at the end.
using SnapshotChunkReader = std::function<std::size_t(char* buffer, std::size_t size)>;
Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read);
// The same reads with the lists handed to `sink` (the result's lists stay empty); the
// bounds and every message are the same.
Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read, SnapshotSink& sink);
Result<SnapshotRead> read_snapshot_json(std::string_view text, SnapshotSink& sink);
// Back to the first byte of what `read` reads; false when it cannot.
using SnapshotRewind = std::function<bool()>;
Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read, const SnapshotRewind& rewind);
Result<SnapshotRead> read_snapshot_json(const SnapshotChunkReader& read, const SnapshotRewind& rewind,
                                      SnapshotSink& sink);

}  // namespace leakaudit
