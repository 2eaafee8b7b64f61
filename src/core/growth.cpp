// Pure arithmetic on one series; slopes are computed in long double over at most a
// thousand readings (half a million pairs), so rounding never decides a verdict of counts.
#include "core/growth.hpp"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace leakaudit {

namespace {

struct Point {
    long double x;
    long double y;
};

// Theil–Sen slope: the median of the slopes between every two readings. Robust: a
// one-time jump (a cache filled once) moves a few pairs, not the median, where a
// least-squares line would tilt; 0 with fewer than two points.
double median_slope(const std::vector<Point>& points) {
    std::vector<long double> slopes;
    for (std::size_t i = 0; i < points.size(); ++i) {
        for (std::size_t j = i + 1; j < points.size(); ++j)
            slopes.push_back((points[j].y - points[i].y) / (points[j].x - points[i].x));
    }
    if (slopes.empty()) return 0;
    std::size_t mid = slopes.size() / 2;
    std::nth_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid), slopes.end());
    long double upper = slopes[mid];
    if (slopes.size() % 2 == 1) return static_cast<double>(upper);
    long double lower = *std::max_element(slopes.begin(), slopes.begin() + static_cast<std::ptrdiff_t>(mid));
    return static_cast<double>((lower + upper) / 2);
}

}  // namespace

std::optional<std::int64_t> default_tolerance(Quantity quantity, const GrowthTolerances& tolerances) {
    switch (quantity) {
        case Quantity::heap_bytes:
            return tolerances.heap_bytes;
        case Quantity::rss_bytes:
            return tolerances.rss_bytes;
        default:
            return 0;
    }
}

GrowthVerdict judge_growth(const Series& series, int warmup, std::optional<std::int64_t> tolerance) {
    GrowthVerdict v;
    const std::vector<std::int64_t>& values = series.values;
    std::size_t start = warmup < 0 ? 0 : static_cast<std::size_t>(warmup);
    std::vector<Point> points;
    bool have_first = false;
    for (std::size_t i = start; i < values.size(); ++i) {
        if (values[i] == Series::k_missing) continue;
        points.push_back({static_cast<long double>(i), static_cast<long double>(values[i])});
        if (!have_first) {
            v.first = values[i];
            v.first_index = static_cast<int>(i);
            have_first = true;
        }
        v.last = values[i];
        if (i == start || values[i - 1] == Series::k_missing) continue;
        ++v.judged;
        if (values[i] > values[i - 1]) ++v.rising;
    }
    v.per_cycle = median_slope(points);
    if (!tolerance) return v;
    if (v.judged < k_min_judged_cycles) {
        v.outcome = GrowthOutcome::too_few_cycles;
        return v;
    }
    bool most_rising = 2 * v.rising > v.judged;
    bool trend = v.per_cycle > static_cast<double>(*tolerance) && v.last > v.first;
    v.outcome = most_rising && trend ? GrowthOutcome::grows : GrowthOutcome::steady;
    return v;
}

}  // namespace leakaudit
