// The temp entries of `snapshot`, walked, redacted and rendered on a thread of their own
// while the processes and sockets are read and written (ARCHITECTURE.md, "Streaming
// snapshots"). At most k_waiting_bytes of rendered text waits for the writer: past that
// the walk pauses, so memory stays bounded however many entries there are.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/redact.hpp"

namespace leakaudit {

class TmpListWriter {
public:
    // Starts the walk of `watch` at once; `redactor` must outlive this object.
    TmpListWriter(std::vector<std::string> watch, bool redact, const Redactor& redactor);
    TmpListWriter(const TmpListWriter&) = delete;
    TmpListWriter& operator=(const TmpListWriter&) = delete;
    ~TmpListWriter();  // stops a walk nobody reads and waits for it

    // Hands each entry's text to `add` in the walk's order, then returns the walk's warnings.
    std::vector<std::string> write(const std::function<void(std::string_view)>& add);

private:
    struct Chunk {
        std::string text;                 // elements, one after another
        std::vector<std::uint32_t> ends;  // where each element ends in `text`
    };
    void produce();
    bool push(Chunk&& chunk);  // false once nobody will read
    void close();

    std::vector<std::string> m_watch;
    bool m_redact;
    const Redactor& m_redactor;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Chunk> m_chunks;
    std::size_t m_waiting_bytes = 0;
    bool m_closed = false;     // the walk is over: no more chunks
    bool m_abandoned = false;  // the reader is gone: the walk stops
    std::vector<std::string> m_warnings;
    std::exception_ptr m_error;
    std::thread m_thread;  // last: started when the rest is ready
};

}  // namespace leakaudit
