// One producer (the walk) and one consumer (the snapshot writer), handing over chunks of
// about 64 KiB of rendered entries: a lock per chunk, not per entry.
#include "app/snapshot_tmp.hpp"

#include <utility>

#include "core/redact_report.hpp"
#include "core/tmp_entry_json.hpp"
#include "os/temp_stream.hpp"

namespace leakaudit {
namespace {

constexpr std::size_t k_chunk_bytes = std::size_t{64} << 10;
constexpr std::size_t k_waiting_bytes = std::size_t{4} << 20;

struct Abandoned {};  // thrown out of the walk when nobody will read it: it stops there

}  // namespace

TmpListWriter::TmpListWriter(std::vector<std::string> watch, bool redact, const Redactor& redactor)
    : m_watch(std::move(watch)), m_redact(redact), m_redactor(redactor), m_thread([this] { produce(); }) {}

TmpListWriter::~TmpListWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_abandoned = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void TmpListWriter::produce() {
    try {
        Chunk chunk;
        os::TempScan scan = os::stream_watched(m_watch, [&](TmpEntry& e) {
            if (m_redact) redact_tmp(e, m_redactor);
            append_tmp_entry_json(chunk.text, e);
            chunk.ends.push_back(static_cast<std::uint32_t>(chunk.text.size()));
            if (chunk.text.size() >= k_chunk_bytes) {
                if (!push(std::move(chunk))) throw Abandoned{};
                chunk = Chunk{};
                chunk.text.reserve(k_chunk_bytes + k_chunk_bytes / 4);
            }
        });
        if (!chunk.ends.empty()) push(std::move(chunk));
        std::lock_guard lock(m_mutex);
        m_warnings = std::move(scan.warnings);
    } catch (const Abandoned&) {
        // the snapshot failed before its temp entries were written
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
    }
    close();
}

bool TmpListWriter::push(Chunk&& chunk) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_abandoned || m_waiting_bytes < k_waiting_bytes; });
    if (m_abandoned) return false;
    m_waiting_bytes += chunk.text.size();
    m_chunks.push_back(std::move(chunk));
    lock.unlock();
    m_changed.notify_all();
    return true;
}

void TmpListWriter::close() {
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_all();
}

std::vector<std::string> TmpListWriter::write(const std::function<void(std::string_view)>& add) {
    for (;;) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return !m_chunks.empty() || m_closed; });
        if (m_chunks.empty()) break;
        Chunk chunk = std::move(m_chunks.front());
        m_chunks.pop_front();
        m_waiting_bytes -= chunk.text.size();
        lock.unlock();
        m_changed.notify_all();
        std::string_view text = chunk.text;
        std::uint32_t begin = 0;
        for (std::uint32_t end : chunk.ends) {
            add(text.substr(begin, end - begin));
            begin = end;
        }
    }
    std::lock_guard lock(m_mutex);
    if (m_error) std::rethrow_exception(m_error);
    return std::move(m_warnings);
}

}  // namespace leakaudit
