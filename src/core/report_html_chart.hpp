// The charts of the HTML report (README "Reports": HTML): one inline SVG per series of
// a cycled run, drawn from the Series alone, so the chart needs no JavaScript, no font
// or image from elsewhere, and no change when the growth verdict changes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/cycles.hpp"
#include "core/finding.hpp"

namespace leakaudit {

// The change per judged cycle of a series: (last judged reading − the reading that ends
// the warm-up) / judged cycles. Readings 1..warmup are warm-up; values[warmup] is where
// judging starts (values[0], the baseline, when warmup is 0). nullopt when fewer than two
// judged readings were taken.
std::optional<double> per_cycle_change(const Series& series, int warmup);

// Whether the chart shows a series as grown: it rose in most judged cycles and ended
// higher than where judging started. The report's growth verdict, when it has one, is
// the authority; this decides only which series get a chart.
bool series_grew(const Series& series, int warmup);

// Whether any two readings of the series differ.
bool series_changed(const Series& series);

// The series to chart: the grown ones, or when none grew, the ones that changed; in
// the run's order.
std::vector<const Series*> charted_series(const CycleRun& cycles);
// The series to chart in a report, and whether they grew (else they only changed): the
// report's growth findings (README "Cycles and growth"), when it has any, say which
// series grew; without them, series_grew decides.
struct ChartChoice {
    std::vector<const Series*> series;
    bool grown = false;
};
ChartChoice choose_charts(const CycleRun& cycles, const std::vector<Finding>& findings);

// "descriptors pipe", "heap_bytes", "listeners process 'exit'".
std::string series_label(const Series& series);

// "+1 per cycle", "+1.0 MiB per cycle", "−2.5 per cycle".
std::string change_text(const Series& series, double per_cycle);

// "12", "1.5 KiB", "3.0 MiB": a reading as the chart's axis and table show it.
std::string reading_text(const Series& series, std::int64_t value);

// <svg class="chart" data-quantity=… data-what=…>: one <circle class="point"> per
// reading taken (baseline and one per cycle, none for a missing one), a line through
// them, labelled axes, the warm-up cycles shaded (<rect class="warmup">), and a title
// naming the quantity and its change per cycle.
std::string series_chart_svg(const Series& series, int warmup);

}  // namespace leakaudit
