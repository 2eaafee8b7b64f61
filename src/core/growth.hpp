// The growth verdict over one Series (README "Cycles and growth"): a quantity grows when
// it rose in most judged cycles AND its trend over them exceeds the tolerance of its kind.
// Warm-up cycles are not judged (psleak's warm-up); "rose in most cycles" is leakage's
// consecutive-growth count made robust to one noisy cycle; the trend is the Theil–Sen
// slope (median of pairwise slopes), so one jump or one dip does not decide alone.
#pragma once

#include <cstdint>
#include <optional>

#include "core/cycles.hpp"

namespace leakaudit {

// Tolerances per cycle, in each quantity's unit. Counts (descriptors, sockets, threads,
// children, temp entries, handles, listeners, values) have exactly 0: one per cycle is a
// leak. Bytes come from [settings] (`growth-heap-tolerance`, `growth-rss-tolerance`).
struct GrowthTolerances {
    std::int64_t heap_bytes = std::int64_t{512} * 1024;
    // RSS keeps freed pages, JIT code and allocator arenas: recorded in every report, but
    // judged only when a tolerance is set.
    std::optional<std::int64_t> rss_bytes;
};

// Fewer judged cycles than this: no verdict (three +1 steps are a pattern, one is not).
inline constexpr int k_min_judged_cycles = 3;

enum class GrowthOutcome {
    grows,           // rose in most judged cycles and the trend exceeds the tolerance
    steady,          // judged, did not grow
    too_few_cycles,  // fewer than k_min_judged_cycles cycles with both readings after warm-up
    not_judged,      // no tolerance for this quantity (rss_bytes by default)
};

struct GrowthVerdict {
    GrowthOutcome outcome = GrowthOutcome::not_judged;
    double per_cycle = 0;    // Theil–Sen slope over the judged readings
    int judged = 0;          // cycles after warm-up whose reading and the previous one exist
    int rising = 0;          // of those, the cycles in which the value rose
    std::int64_t first = 0;  // first present reading from the end of warm-up on
    std::int64_t last = 0;   // last present reading
    int first_index = 0;     // the reading `first` came from (0: baseline, i: i-th stopped)
};

// The tolerance of a quantity, nullopt when it is not judged.
std::optional<std::int64_t> default_tolerance(Quantity quantity, const GrowthTolerances& tolerances);

// Judges values[warmup..]: values[warmup] is the harness at the end of the last warm-up
// cycle (the baseline when warmup is 0). Missing readings (Series::k_missing) are skipped.
GrowthVerdict judge_growth(const Series& series, int warmup, std::optional<std::int64_t> tolerance);

}  // namespace leakaudit
