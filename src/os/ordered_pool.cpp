// Workers claim the next index while it is within `window` of the consumer, and park
// their result in a slot; the calling thread takes slots in order.
#include "os/ordered_pool.hpp"

#include <sched.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace leakaudit::os {

namespace {

class OrderedRun {
public:
    OrderedRun(std::size_t count, std::size_t window, const std::function<std::string(std::size_t)>& produce)
        : m_count(count), m_slots(window), m_produce(produce) {}

    void work() {
        for (;;) {
            std::size_t i = 0;
            {
                std::unique_lock lock(m_mutex);
                m_space.wait(lock, [this] { return m_stop || m_next >= m_count || m_next < m_taken + m_slots.size(); });
                if (m_stop || m_next >= m_count) return;
                i = m_next++;
            }
            std::string result;
            try {
                result = m_produce(i);
            } catch (...) {
                std::lock_guard lock(m_mutex);
                if (!m_error) m_error = std::current_exception();
                m_stop = true;
            }
            std::lock_guard lock(m_mutex);
            m_slots[i % m_slots.size()] = std::move(result);
            m_ready.notify_all();
        }
    }

    // The result of index i, once it is there; nullopt when a worker failed.
    std::optional<std::string> take(std::size_t i) {
        std::unique_lock lock(m_mutex);
        std::optional<std::string>& slot = m_slots[i % m_slots.size()];
        m_ready.wait(lock, [&] { return m_stop || slot.has_value(); });
        if (m_stop) return std::nullopt;
        std::string result = std::move(*slot);
        slot.reset();
        m_taken = i + 1;
        m_space.notify_all();
        return result;
    }

    void stop() {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_space.notify_all();
        m_ready.notify_all();
    }

    std::exception_ptr error() {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    std::size_t m_count;
    std::vector<std::optional<std::string>> m_slots;
    const std::function<std::string(std::size_t)>& m_produce;
    std::mutex m_mutex;
    std::condition_variable m_space, m_ready;
    std::size_t m_next = 0, m_taken = 0;
    bool m_stop = false;
    std::exception_ptr m_error;
};

}  // namespace

void ordered_parallel(std::size_t count, unsigned threads, std::size_t window,
                      const std::function<std::string(std::size_t)>& produce,
                      const std::function<void(std::size_t, std::string&&)>& consume) {
    OrderedRun run(count, std::max<std::size_t>(window, 1), produce);
    std::vector<std::thread> workers;
    std::exception_ptr consume_error;
    try {
        for (unsigned t = 0; t < std::max(threads, 1U); ++t)
            workers.emplace_back([&run] { run.work(); });
        for (std::size_t i = 0; i < count; ++i) {
            std::optional<std::string> result = run.take(i);
            if (!result) break;
            consume(i, std::move(*result));
        }
    } catch (...) {
        consume_error = std::current_exception();
    }
    run.stop();
    for (std::thread& w : workers)
        w.join();
    if (consume_error) std::rethrow_exception(consume_error);
    if (std::exception_ptr e = run.error()) std::rethrow_exception(e);
}

unsigned worker_threads() {
    cpu_set_t set;
    CPU_ZERO(&set);
    int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
    if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::clamp(cpus, 1, 16));
}

}  // namespace leakaudit::os
