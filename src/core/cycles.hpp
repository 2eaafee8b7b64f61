// Repeated start/stop cycles (`run --cycles N`, README "Cycles and growth"): what the
// harness held at the first `started` and at each `stopped`, one series per quantity.
// The growth verdict over these series lives beside them in the core.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace leakaudit {

// What a series counts. leakaudit measures the first five itself (from /proc and the
// run's evidence); the rest come from the harness's `metrics` events (the Node kit's).
enum class Quantity {
    descriptors,   // the harness's descriptors of one type (`what`: pipe, socket, file, …)
    sockets,       // the harness's sockets in one protocol and state (`what`: "tcp listen")
    threads,       // the harness's threads
    children,      // live processes below the harness
    temp_entries,  // temp entries of the run that exist now
    handles,       // live async handles of one type (`what`: Timeout, TCPServerWrap, …)
    listeners,     // listeners on one emitter and event (`what`: "process 'exit'")
    heap_bytes,    // V8 heap used after a forced GC
    rss_bytes,     // resident set size
    value,         // a harness-defined number (`what`: its name in `metrics.values`)
};

struct QuantityInfo {
    Quantity quantity;
    std::string_view name;  // in JSON, rules and reports
    bool bytes;             // an amount of memory (judged with a byte tolerance), else a count
};

inline constexpr QuantityInfo k_quantities[] = {
    {Quantity::descriptors, "descriptors", false}, {Quantity::sockets, "sockets", false},
    {Quantity::threads, "threads", false},         {Quantity::children, "children", false},
    {Quantity::temp_entries, "temp_entries", false}, {Quantity::handles, "handles", false},
    {Quantity::listeners, "listeners", false},     {Quantity::heap_bytes, "heap_bytes", true},
    {Quantity::rss_bytes, "rss_bytes", true},      {Quantity::value, "value", false},
};

constexpr bool quantities_in_enum_order() {
    for (std::size_t i = 0; i < std::size(k_quantities); ++i) {
        if (static_cast<std::size_t>(k_quantities[i].quantity) != i) return false;
    }
    return true;
}
static_assert(quantities_in_enum_order(), "k_quantities has one row per Quantity, in order");

constexpr const QuantityInfo& quantity_info(Quantity q) {
    return k_quantities[static_cast<std::size_t>(q)];
}

// One measured quantity over the cycles. values[0] is the baseline at the first `started`;
// values[i] (i >= 1) is the reading at the i-th `stopped`. A reading that was not taken
// (the harness sent no metrics that time) repeats nothing: it is k_missing.
struct Series {
    static constexpr std::int64_t k_missing = INT64_MIN;
    Quantity quantity = Quantity::descriptors;
    std::string what;  // the sub-kind ("pipe", "tcp listen", "Timeout", "process 'exit'"), or ""
    std::vector<std::int64_t> values;
    std::string site;  // where the newest of them was created, when the harness said (kit)
    // Per cycle (index as `values`), the resources that appeared since the previous
    // reading, as short texts ("pipe:[123456]", "/tmp/x-abc"): what makes up a growth.
    std::vector<std::vector<std::string>> appeared;
};

// The cycles of one run, in the report (JSON `cycles`, HTML charts, text table).
struct CycleRun {
    int requested = 0;  // --cycles N (0: the harness cycled on its own)
    int warmup = 0;     // cycles not judged (--warmup)
    int completed = 0;  // `stopped` events seen
    std::vector<Series> series;
};

}  // namespace leakaudit
