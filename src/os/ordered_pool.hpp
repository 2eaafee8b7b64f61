// A small thread pool for work whose results must come out in order: `snapshot` reads
// the descriptors of many processes at once, on every core, and writes them in process
// table order (ARCHITECTURE.md, "Streaming snapshots").
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace leakaudit::os {

// Runs produce(i) for every i in [0, count) on up to `threads` threads and hands each
// result to consume(i, result) on the calling thread, in index order. At most `window`
// results wait to be consumed, so memory is bounded by the window, not by `count`.
// An exception from produce or consume is rethrown here once every thread has stopped.
void ordered_parallel(std::size_t count, unsigned threads, std::size_t window,
                      const std::function<std::string(std::size_t)>& produce,
                      const std::function<void(std::size_t, std::string&&)>& consume);

// The threads worth running for /proc reads: the CPUs this process may run on.
unsigned worker_threads();

}  // namespace leakaudit::os
