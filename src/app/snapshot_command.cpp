// `leakaudit snapshot`: the live system as a JSON snapshot, the BEFORE of a later `diff`.
// Streamed (ARCHITECTURE.md, "Streaming snapshots"): each process is written as soon as
// its descriptors are read, so memory follows the largest process, not the machine.
#include "app/snapshot_command.hpp"

#include <sstream>

#include "app/live_snapshot.hpp"
#include "app/print_error.hpp"
#include "app/version.hpp"
#include "core/redact_report.hpp"
#include "core/settings.hpp"
#include "core/snapshot_json.hpp"
#include "os/atomic_write.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

constexpr std::streamoff k_flush_bytes = std::streamoff{1} << 20;

// The writer's text, handed to the file in pieces of about a MiB.
class ChunkedOutput {
public:
    explicit ChunkedOutput(os::OutputFile& file) : m_file(file) {}
    std::ostream& stream() { return m_buffer; }
    void flush_if_full() {
        if (m_buffer.tellp() >= k_flush_bytes) flush();
    }
    void flush() {
        m_file.write(m_buffer.view());
        m_buffer.str({});
    }

private:
    os::OutputFile& m_file;
    std::ostringstream m_buffer;
};

}  // namespace

ExitCode take_snapshot_command(const SnapshotOptions& options) {
    os::OutputFile file(options.output, os::FileMode::snapshot);
    if (file.error()) {
        print_error(*file.error());
        return ExitCode::internal;
    }
    os::SnapshotResult taken = os::take_snapshot({watch_or_default(options.watch)});
    if (!taken.error.empty()) {
        print_error(taken.error);
        return ExitCode::internal;
    }
    Snapshot& s = taken.snapshot;
    bool redact = !options.no_redact;
    Redactor redactor;
    ChunkedOutput out(file);
    SnapshotJsonWriter writer(out.stream(), {LEAKAUDIT_VERSION, os::boot_id(), os::host_name(), redact}, s.taken_at_ms,
                              s.watched);
    writer.begin_list("processes");
    auto render = [&](Process& p) {
        if (redact) redact_process(p, redactor);
        return snapshot_element_json(p);
    };
    os::stream_processes(s.processes, descriptor_pids(s, options.pids), render, [&](std::string&& text) {
        writer.add(text);
        out.flush_if_full();
    });
    writer.end_list();
    s.processes.clear();
    os::add_sockets(s);
    if (redact) redact_snapshot(s, redactor);
    writer.begin_list("sockets");
    for (const Socket& so : s.sockets)
        writer.add(snapshot_element_json(so));
    writer.end_list();
    writer.begin_list("tmp");
    for (const TmpEntry& e : s.tmp)
        writer.add(snapshot_element_json(e));
    writer.end_list();
    writer.finish(s.warnings);
    out.flush();
    if (auto error = file.commit()) {
        print_error(*error);
        return ExitCode::internal;
    }
    return ExitCode::ok;
}

}  // namespace leakaudit
