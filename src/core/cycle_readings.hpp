// What leakaudit read of the harness at each `started`/`stopped` of a cycling run, and
// the `metrics` the harness sent before it, turned into one Series per quantity
// (core/cycles.hpp). Baseline = the first `started`; reading i = the i-th `stopped`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/cycles.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

// One count the harness reported in a `metrics` event (README "The control channel").
struct MetricCount {
    std::string what;  // handle type, "<emitter> '<event>'", or a `values` key
    std::int64_t count = 0;
    std::string site;  // where the newest was created, when known
};

// A `metrics` event: every field optional.
struct HarnessMetrics {
    std::optional<std::int64_t> heap_used_bytes;
    std::optional<std::int64_t> rss_bytes;
    std::vector<MetricCount> handles;
    std::vector<MetricCount> listeners;
    std::vector<MetricCount> values;
};

// A resource leakaudit saw the harness hold, under its series' `what`, with a short text
// that identifies it across readings ("pipe:[123]", "tcp listen 127.0.0.1:4000").
struct SeenResource {
    Quantity quantity = Quantity::descriptors;
    std::string what;
    std::string identity;
};

// The harness at one event. `threads` is nullopt when it could not be read.
struct HarnessReading {
    std::vector<SeenResource> resources;  // descriptors, sockets, children, temp entries
    std::optional<std::int64_t> threads;
    std::optional<HarnessMetrics> metrics;  // the latest `metrics` before the event
};

// The run's children at a reading, as "PID NAME": every live process below leakaudit
// (`run`, parents first) but the harness itself; zombies are gone already.
std::vector<std::string> live_children(const std::vector<Process>& run, int harness_pid);

// The resources a reading of descriptors, sockets (the harness's, joined by inode),
// children ("PID NAME") and temp entries (paths) makes. Pure: the OS side reads them.
std::vector<SeenResource> seen_resources(const std::vector<Descriptor>& fds, const std::vector<Socket>& sockets,
                                         const std::vector<std::string>& children,
                                         const std::vector<std::string>& temp_entries);

// Appends readings and keeps the series, bounded: at most k_max_cycles readings after
// the baseline and k_max_series series; what is past them is counted, not kept.
class CycleRecorder {
public:
    static constexpr int k_max_cycles = 1000;
    static constexpr std::size_t k_max_series = 2000;
    static constexpr std::size_t k_max_appeared = 20;  // per series and cycle
    static constexpr std::size_t k_max_text = 256;     // bytes of a `what`, site or identity

    // The first reading is the baseline; each later one ends a cycle.
    void add(const HarnessReading& reading);
    int readings() const { return m_readings; }
    long long dropped_readings() const { return m_dropped_readings; }
    long long dropped_series() const { return m_dropped_series; }

    // The series sorted by quantity and `what`; `completed` as counted by the caller.
    CycleRun run(int requested, int warmup, int completed) const;

private:
    using Key = std::pair<Quantity, std::string>;
    Series* series_for(const Key& key, bool measured_here);
    void set_value(const Key& key, std::int64_t value, const std::string& site);
    void fill_absent(bool has_metrics);

    int m_readings = 0;
    long long m_dropped_readings = 0;
    long long m_dropped_series = 0;
    std::vector<bool> m_had_metrics;  // per reading
    std::map<Key, Series> m_series;
    std::map<Key, std::map<std::string, int>> m_previous;  // identities (and how many) at the previous reading
};

}  // namespace leakaudit
