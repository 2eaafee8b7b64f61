// `leakaudit snapshot`: the live system as a JSON snapshot, the BEFORE of a later `diff`.
// Streamed (ARCHITECTURE.md, "Streaming snapshots"): each process is written as soon as
// its descriptors are read, each socket as the kernel reports it and each temp entry as it
// is walked, so memory follows the largest process, not the machine.
#include "app/snapshot_command.hpp"

#include <functional>
#include <ostream>
#include <streambuf>

#include "app/live_snapshot.hpp"
#include "app/print_error.hpp"
#include "app/snapshot_tmp.hpp"
#include "app/version.hpp"
#include "core/redact_report.hpp"
#include "core/settings.hpp"
#include "core/snapshot_json.hpp"
#include "os/atomic_write.hpp"
#include "os/descriptors.hpp"
#include "os/sockets.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

namespace {

constexpr std::size_t k_flush_bytes = std::size_t{1} << 20;

// The writer's text, handed to the file in pieces of about a MiB. It is kept in one
// string whose capacity outlives each piece: an ostringstream emptied with str({})
// regrows (copying) from nothing for every piece.
class ChunkedOutput : private std::streambuf {
public:
    explicit ChunkedOutput(os::OutputFile& file) : m_file(file), m_stream(this) { m_text.reserve(2 * k_flush_bytes); }
    std::ostream& stream() { return m_stream; }
    void flush_if_full() {
        if (m_text.size() >= k_flush_bytes) flush();
    }
    void flush() {
        m_file.write(m_text);
        m_text.clear();
    }

private:
    int_type overflow(int_type c) override {
        if (!traits_type::eq_int_type(c, traits_type::eof())) m_text.push_back(traits_type::to_char_type(c));
        return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        m_text.append(s, static_cast<std::size_t>(n));
        return n;
    }

    os::OutputFile& m_file;
    std::string m_text;
    std::ostream m_stream;
};

// Our namespace's sockets, each written as the kernel reports it; their warnings.
std::vector<std::string> write_sockets(bool redact, const Redactor& redactor,
                                       const std::function<void(std::string&&)>& add) {
    os::UniqueFd proc = os::open_proc_root();
    if (!proc) return {};
    os::SocketStream streamed = os::stream_sockets(proc.get(), [&](Socket&& so) {
        if (redact) redact_socket(so, redactor);
        add(snapshot_element_json(so));
    });
    return std::move(streamed.warnings);
}

}  // namespace

ExitCode take_snapshot_command(const SnapshotOptions& options) {
    os::OutputFile file(options.output, os::FileMode::snapshot);
    if (!file.status()) {
        print_error(file.status().error());
        return ExitCode::internal;
    }
    std::vector<std::string> watch = watch_or_default(options.watch);
    bool redact = !options.no_redact;
    Redactor redactor;
    // The temp entries are walked and rendered while the processes are read (app/snapshot_tmp.hpp).
    TmpListWriter tmp(watch, redact, redactor);
    Result<Snapshot> taken = os::take_snapshot({});
    if (!taken) {
        print_error(taken.error());
        return ExitCode::internal;
    }
    Snapshot& s = *taken;
    ChunkedOutput out(file);
    SnapshotJsonWriter writer(out.stream(), {LEAKAUDIT_VERSION, os::boot_id(), os::host_name(), redact}, s.taken_at_ms,
                              watch);
    auto add = [&](std::string&& text) {
        writer.add(text);
        out.flush_if_full();
    };
    writer.begin_list("processes");
    auto render = [&](Process& p) {
        if (redact) redact_process(p, redactor);
        return snapshot_element_json(p);
    };
    os::stream_processes(s.processes, descriptor_pids(s, options.pids), render, add);
    writer.end_list();
    std::vector<Process>().swap(s.processes);
    writer.begin_list("sockets");
    std::vector<std::string> socket_warnings = write_sockets(redact, redactor, add);
    writer.end_list();
    writer.begin_list("tmp");
    std::vector<std::string> warnings = tmp.write([&](std::string_view element) {
        writer.add(element);
        out.flush_if_full();
    });
    writer.end_list();
    // In the order the whole-snapshot reader gave them: the walk's, then the sockets'.
    warnings.insert(warnings.end(), socket_warnings.begin(), socket_warnings.end());
    if (redact) {
        for (std::string& w : warnings)
            if (!w.empty()) w = redactor.text(w);
    }
    writer.finish(warnings);
    out.flush();
    if (Result<void> written = file.commit(); !written) {
        print_error(written.error());
        return ExitCode::internal;
    }
    return ExitCode::ok;
}

}  // namespace leakaudit
