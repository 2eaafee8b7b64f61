// The text report's compact per-cycle table under a `growth` finding (README "Cycles and
// growth"): one row of cycle numbers, one of readings, warm-up set off by `|`.
#pragma once

#include <string>
#include <vector>

#include "core/cycles.hpp"
#include "core/finding.hpp"

namespace leakaudit {

// At most this many readings are shown; longer runs show the first few and the last ones.
inline constexpr std::size_t k_max_table_readings = 24;

// Two lines ("cycle  base 1 2 | 3 …", "pipe      3 4 5 | 6 …"), or none when the run has
// no series for the finding.
std::vector<std::string> growth_table(const CycleRun& run, const Growth& growth);

}  // namespace leakaudit
