// Findings of kind `growth` from the run's cycles (README "Cycles and growth"): one per
// series the verdict of core/growth.hpp says grows, with what made up the growth; and what
// the report says when the harness cycled less than asked or too little to judge.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/cycles.hpp"
#include "core/finding.hpp"
#include "core/growth.hpp"

namespace leakaudit {

// At most this many appeared resources on one finding; the rest are counted.
inline constexpr std::size_t k_max_growth_appeared = 10;

std::vector<Finding> growth_findings(const CycleRun& run, const GrowthTolerances& tolerances);

// A harness warning when it completed fewer cycles than --cycles asked; none otherwise.
std::vector<Finding> cycle_count_findings(const CycleRun& run);

// Report warnings: too few cycles after warm-up to judge any growth.
std::vector<std::string> cycle_warnings(const CycleRun& run);

// "1", "0.5", "1.0 MiB", "512 KiB", "3 B": a per-cycle amount or a reading in its unit.
std::string format_amount(Quantity quantity, double amount);

// The file (relative to the harness's folder) and line of a `site` like
// "src/plugin.mjs:41:7" or "start (src/plugin.mjs:41:7) ← main (…)", for annotations;
// nullopt for absolute paths, URLs and sites without a line.
struct SiteLine {
    std::string file;
    int line = 0;
};
std::optional<SiteLine> site_line(const std::string& site);

// "descriptors (pipe)", "heap_bytes", "listeners (process 'exit')".
std::string series_label(Quantity quantity, const std::string& what);

}  // namespace leakaudit
