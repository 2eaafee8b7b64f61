// The growth verdict (README "Cycles and growth") on plain series: what a user sees as a
// leak over cycles, and what must never be one (warm-up, noise, too few cycles).
#include <catch2/catch.hpp>

#include "core/growth.hpp"

using namespace leakaudit;

namespace {

Series series(Quantity q, std::vector<std::int64_t> values) {
    Series s;
    s.quantity = q;
    s.values = std::move(values);
    return s;
}

constexpr std::int64_t k_mib = 1024 * 1024;
constexpr std::int64_t k_missing = Series::k_missing;

}  // namespace

TEST_CASE("one descriptor more per cycle grows by 1 per cycle", "[growth]") {
    // baseline 3, ten cycles each leaving one more pipe
    Series s = series(Quantity::descriptors, {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    GrowthVerdict v = judge_growth(s, 2, 0);
    CHECK(v.outcome == GrowthOutcome::grows);
    CHECK(v.per_cycle == Approx(1.0));
    CHECK(v.judged == 8);
    CHECK(v.rising == 8);
    CHECK(v.first == 5);
    CHECK(v.last == 13);
    CHECK(v.first_index == 2);
}

TEST_CASE("a one-time jump in a warm-up cycle is not growth", "[growth]") {
    Series s = series(Quantity::descriptors, {3, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    GrowthVerdict v = judge_growth(s, 2, 0);
    CHECK(v.outcome == GrowthOutcome::steady);
    CHECK(v.per_cycle == Approx(0.0));
}

TEST_CASE("a one-time jump is not growth even without warm-up: it rose in one cycle only", "[growth]") {
    Series s = series(Quantity::heap_bytes, {0, 20 * k_mib, 20 * k_mib, 20 * k_mib, 20 * k_mib, 20 * k_mib});
    GrowthVerdict v = judge_growth(s, 0, 512 * 1024);
    CHECK(v.rising == 1);
    CHECK(v.outcome == GrowthOutcome::steady);
}

TEST_CASE("the noisy heap of a clean plugin is not growth", "[growth]") {
    // after a forced GC the heap wobbles by a few hundred KB and drifts a little (JIT code)
    std::int64_t base = 8 * k_mib;
    Series s = series(Quantity::heap_bytes,
                      {base, base + 900'000, base + 950'000, base + 1'010'000, base + 990'000, base + 1'100'000,
                       base + 1'020'000, base + 1'150'000, base + 1'080'000, base + 1'200'000, base + 1'160'000});
    GrowthVerdict v = judge_growth(s, 2, 512 * 1024);
    CHECK(v.outcome == GrowthOutcome::steady);
    CHECK(v.per_cycle < 100'000);
}

TEST_CASE("a heap that keeps 1 MB per cycle grows by about 1 MB per cycle", "[growth]") {
    std::int64_t base = 8 * k_mib;
    std::vector<std::int64_t> values{base};
    std::int64_t noise[] = {30'000, -40'000, 10'000, 60'000, -20'000, 0, 45'000, -35'000, 15'000, 5'000};
    for (int i = 1; i <= 10; ++i)
        values.push_back(base + i * 1'000'000 + noise[i - 1]);
    GrowthVerdict v = judge_growth(series(Quantity::heap_bytes, values), 2, 512 * 1024);
    CHECK(v.outcome == GrowthOutcome::grows);
    CHECK(v.per_cycle == Approx(1'000'000).epsilon(0.05));
    CHECK(v.rising >= 6);
}

TEST_CASE("heap growth under the tolerance is not reported", "[growth]") {
    Series s = series(Quantity::heap_bytes, {0, 100'000, 200'000, 300'000, 400'000, 500'000, 600'000});
    CHECK(judge_growth(s, 2, 512 * 1024).outcome == GrowthOutcome::steady);
    CHECK(judge_growth(s, 2, 50'000).outcome == GrowthOutcome::grows);
}

TEST_CASE("a count that rises in only some cycles is not growth", "[growth]") {
    // up and down again: a pool that recycles
    Series s = series(Quantity::threads, {4, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6});
    GrowthVerdict v = judge_growth(s, 2, 0);
    CHECK(v.outcome == GrowthOutcome::steady);
}

TEST_CASE("missing readings are skipped, not read as zero", "[growth]") {
    Series s = series(Quantity::listeners, {1, 2, k_missing, 4, 5, k_missing, 7, 8, 9, 10, 11});
    GrowthVerdict v = judge_growth(s, 2, 0);
    CHECK(v.outcome == GrowthOutcome::grows);
    CHECK(v.per_cycle == Approx(1.0));
    CHECK(v.judged == 5);  // 4←missing, 5←4, 7←missing, 8←7, 9, 10, 11: cycles 4,7 not judged
    CHECK(v.rising == 5);
    CHECK(v.first == 4);
    CHECK(v.first_index == 3);

    Series all_missing = series(Quantity::heap_bytes, {k_missing, k_missing, k_missing, k_missing, k_missing});
    CHECK(judge_growth(all_missing, 0, 1).outcome == GrowthOutcome::too_few_cycles);
}

TEST_CASE("too few judged cycles give no verdict", "[growth]") {
    Series s = series(Quantity::descriptors, {3, 4, 5, 6, 7});
    CHECK(judge_growth(s, 2, 0).outcome == GrowthOutcome::too_few_cycles);   // 2 judged
    CHECK(judge_growth(s, 1, 0).outcome == GrowthOutcome::grows);            // 3 judged
    CHECK(judge_growth(s, 10, 0).outcome == GrowthOutcome::too_few_cycles);  // warm-up past the end
    CHECK(judge_growth(series(Quantity::descriptors, {}), 0, 0).outcome == GrowthOutcome::too_few_cycles);
}

TEST_CASE("a quantity without tolerance is recorded, not judged", "[growth]") {
    Series s = series(Quantity::rss_bytes, {0, k_mib, 2 * k_mib, 3 * k_mib, 4 * k_mib, 5 * k_mib});
    GrowthTolerances t;
    CHECK_FALSE(default_tolerance(Quantity::rss_bytes, t));
    GrowthVerdict v = judge_growth(s, 0, default_tolerance(Quantity::rss_bytes, t));
    CHECK(v.outcome == GrowthOutcome::not_judged);
    CHECK(v.per_cycle == Approx(k_mib));
    t.rss_bytes = 4 * k_mib;
    CHECK(judge_growth(s, 0, default_tolerance(Quantity::rss_bytes, t)).outcome == GrowthOutcome::steady);
}

TEST_CASE("counts have tolerance exactly 0, heap a byte tolerance", "[growth]") {
    GrowthTolerances t;
    for (const QuantityInfo& q : k_quantities) {
        if (!q.bytes) CHECK(default_tolerance(q.quantity, t) == 0);
    }
    CHECK(default_tolerance(Quantity::heap_bytes, t) == 512 * 1024);
}

TEST_CASE("a count that falls over the cycles is not growth, even if it rose often", "[growth]") {
    Series s = series(Quantity::children, {10, 11, 12, 5, 6, 7, 2, 3, 4, 1, 2});
    GrowthVerdict v = judge_growth(s, 2, 0);
    CHECK(v.rising >= 5);
    CHECK(v.outcome == GrowthOutcome::steady);
}

TEST_CASE("a one-time jump with noise after it is not growth, even judged from the baseline", "[growth]") {
    // a cache of 20 MiB filled in cycle 1, then the heap wobbles: rises in 6 of 10 cycles,
    // and a least-squares line through it would climb ~1 MiB per cycle; the median slope does not
    std::int64_t base = 8 * k_mib;
    std::vector<std::int64_t> values{base};
    std::int64_t noise[] = {-5'625, 1'500, 7'500, -2'500, 0, 5'125, -4'125, 3'750, -5'625, 1'500};
    std::int64_t heap = base + 20 * k_mib;
    for (std::int64_t n : noise) {
        heap += n;
        values.push_back(heap);
    }
    GrowthVerdict v = judge_growth(series(Quantity::heap_bytes, values), 0, 512 * 1024);
    CHECK(v.rising >= 5);
    CHECK(v.per_cycle < 10'000);
    CHECK(v.outcome == GrowthOutcome::steady);
}
