// The bytes of a snapshot document as the streaming reader (snapshot_json_read.cpp)
// takes them: read in chunks, bounded, and counted in lines and columns for messages.
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>

#include "core/snapshot_json.hpp"

namespace leakaudit {

// The bytes of the document, read in chunks and counted, with the line and column of the
// last few bytes kept for error messages (an error is always at the lexer's last bytes).
// Lines and columns are counted per chunk, when the lexer has taken all of it (and at
// drain() for the last one), not per byte: the lexer's per-byte path stays short.
class ChunkSource {
public:
    ChunkSource(const SnapshotChunkReader& read, std::size_t limit) : m_read(read), m_limit(limit) {}

    bool at_end() {
        if (m_pos < m_len) return false;
        if (m_eof) return true;
        refill();
        return m_pos >= m_len;
    }
    char peek() const { return m_buffer[m_pos]; }
    void take() {
        ++m_pos;
        ++m_total;
    }
    // Reads what is left, up to the limit: whether the document ended where the lexer
    // stopped, and whether it is larger than the limit (the first error before).
    void drain() {
        account(m_pos);
        m_counted = true;
        m_taken = m_total;
        while (!at_end()) {
            m_total += m_len - m_pos;
            m_pos = m_len;
        }
    }
    bool over_limit() const { return m_over; }
    std::size_t total_read() const { return m_total + (m_len - m_pos); }

    // `message` placed at the line and column of byte `offset` (less `back` columns),
    // which is among the last few read (or the next one); after drain().
    Error error_at(std::string message, std::size_t offset, std::size_t back = 0) const {
        // What the lexer took, not what drain() read after it: an error in the middle of a
        // large file is among the last bytes taken.
        std::size_t taken = m_counted ? m_taken : m_total;
        std::pair<std::size_t, std::size_t> at{m_line, m_col};
        if (offset < taken && taken - offset <= m_recent.size()) at = m_recent[offset % m_recent.size()];
        if (offset < taken && taken - offset > m_recent.size()) at = {1, 1};
        std::size_t col = at.second > back ? at.second - back : 1;
        // A document is at most k_max_snapshot_bytes (256 MiB): its lines and columns fit.
        return Error{std::move(message), {}, static_cast<int>(at.first), static_cast<int>(col)};
    }

private:
    // Lines and columns over the first `taken` bytes of the buffer, and the place of each
    // of its last few bytes.
    void account(std::size_t taken) {
        std::size_t bulk = taken > m_recent.size() ? taken - m_recent.size() : 0;
        const char* at = m_buffer.data();
        const char* end = at + bulk;
        while (const void* newline = std::memchr(at, '\n', static_cast<std::size_t>(end - at))) {
            ++m_line;
            m_col = 1;
            at = static_cast<const char*>(newline) + 1;
        }
        m_col += static_cast<std::size_t>(end - at);
        for (std::size_t i = bulk; i < taken; ++i) {
            m_recent[(m_chunk_start + i) % m_recent.size()] = {m_line, m_col};
            if (m_buffer[i] == '\n') {
                ++m_line;
                m_col = 1;
            } else {
                ++m_col;
            }
        }
    }

    void refill() {
        if (!m_counted) account(m_len);
        m_chunk_start = m_total;
        m_pos = m_len = 0;
        if (m_read_bytes >= m_limit) {
            // One more byte tells a file of exactly the limit from a larger one.
            char probe = 0;
            m_over = m_read(&probe, 1) > 0;
            m_eof = true;
            return;
        }
        std::size_t want = std::min(m_buffer.size(), m_limit - m_read_bytes);
        m_len = m_read(m_buffer.data(), want);
        m_read_bytes += m_len;
        if (m_len == 0) m_eof = true;
    }

    const SnapshotChunkReader& m_read;
    std::size_t m_limit;
    std::array<char, 65536> m_buffer{};
    std::size_t m_pos = 0, m_len = 0, m_read_bytes = 0, m_total = 0;
    std::size_t m_line = 1, m_col = 1;  // of the next byte, once counted
    std::size_t m_chunk_start = 0;      // m_total at the buffer's first byte
    bool m_counted = false;             // drain() counted the taken bytes: stop counting
    std::size_t m_taken = 0;            // m_total when drain() began: the bytes the lexer took
    std::array<std::pair<std::size_t, std::size_t>, 8> m_recent{};
    bool m_eof = false, m_over = false;
};

}  // namespace leakaudit
