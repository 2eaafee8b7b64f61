// Messages name the quantity, the per-cycle trend, the cycles judged and the readings at
// both ends; ids hash the quantity and its `what` only, so they stay stable across runs.
#include "core/growth_findings.hpp"

#include <cmath>
#include <cstdio>

#include "core/finding_id.hpp"
#include "core/harness_findings.hpp"

namespace leakaudit {

namespace {

// The package whose code made the newest one, when the site's first frame is inside
// node_modules ("node_modules/node-cron/dist/x.js:12 ← src/plugin.mjs:5" → "node-cron").
std::string site_package(const std::string& site) {
    std::string first = site.substr(0, site.find(" ← "));
    std::size_t at = first.rfind("node_modules/");
    if (at == std::string::npos) return "";
    std::string rest = first.substr(at + 13);
    std::size_t end = rest.find('/');
    if (!rest.empty() && rest.front() == '@' && end != std::string::npos) end = rest.find('/', end + 1);
    return end == std::string::npos ? "" : rest.substr(0, end);
}

// A library's listener or handle that piles up: the plugin left the library's object
// running; removing the library's own listener is not the fix.
std::string library_hint(Quantity q, const std::string& package) {
    std::string what = q == Quantity::listeners ? "a listener" : "a handle";
    std::string hint = what + " that " + package + " adds each cycle is never released: end the " + package +
                       " object the plugin made, in stop() (destroy or close it, not only pause it)";
    if (package == "node-cron") hint += "; a node-cron 4 task: task.destroy(), since task.stop() keeps it registered";
    return hint;
}

std::string hint_for(Quantity q, const std::string& what, const std::string& site) {
    if (q == Quantity::listeners || q == Quantity::handles) {
        std::string package = site_package(site);
        if (!package.empty()) return library_hint(q, package);
    }
    switch (q) {
        case Quantity::descriptors:
            return "the plugin opens a " + what + " descriptor each cycle and keeps it after stop: close it in stop()";
        case Quantity::sockets:
            return "a " + what + " socket is left each cycle: close servers and connections in stop()";
        case Quantity::threads:
            return "a thread is started each cycle and not ended at stop: join or stop it in stop()";
        case Quantity::children:
            return "a child process is started each cycle and left running: end and wait for it in stop()";
        case Quantity::temp_entries:
            return "a temp entry is created each cycle and not removed: remove it in stop()";
        case Quantity::handles:
            return "a " + what + " handle is created each cycle and stays open: clear or close it in stop()";
        case Quantity::listeners:
            return "a listener is added each cycle and never removed: remove it in stop() (emitter.off)";
        case Quantity::heap_bytes:
            return "memory stays reachable after each stop: look for module-level caches and arrays, and closures "
                   "kept by listeners or timers; compare heap snapshots of two cycles";
        case Quantity::rss_bytes:
            return "resident memory grows each cycle: native allocations or the heap; compare heap snapshots";
        case Quantity::value:
            return "the harness's value `" + what + "` grows each cycle";
    }
    return "";
}

std::string whole_or_one_decimal(double amount) {
    char text[64];
    if (std::fabs(amount - std::round(amount)) < 0.05)
        std::snprintf(text, sizeof text, "%.0f", std::round(amount));
    else
        std::snprintf(text, sizeof text, "%.1f", amount);
    return text;
}

std::vector<std::string> appeared_during(const Series& s, int first_index, long long& more) {
    std::vector<std::string> out;
    for (std::size_t i = static_cast<std::size_t>(first_index) + 1; i < s.appeared.size(); ++i) {
        for (const std::string& r : s.appeared[i]) {
            if (out.size() < k_max_growth_appeared)
                out.push_back(r);
            else
                ++more;
        }
    }
    return out;
}

std::string growth_message(const Series& s, const Growth& g) {
    std::string message = series_label(s.quantity, s.what) + " grew by " + format_amount(s.quantity, g.per_cycle) +
                          " per cycle over " + std::to_string(g.cycles_judged) + " cycles (" +
                          format_amount(s.quantity, static_cast<double>(g.first)) + " → " +
                          format_amount(s.quantity, static_cast<double>(g.last)) + ")";
    if (!g.appeared.empty()) {
        message += "; new each cycle: ";
        for (std::size_t i = 0; i < g.appeared.size(); ++i)
            message += (i ? ", " : "") + g.appeared[i];
        if (g.more_appeared > 0) message += ", … (" + std::to_string(g.more_appeared) + " more)";
    }
    if (!g.site.empty()) message += "; newest created at " + g.site;
    return message;
}

}  // namespace

std::optional<SiteLine> site_line(const std::string& site) {
    std::string first = site.substr(0, site.find(" ← "));
    if (std::size_t open = first.rfind('('); open != std::string::npos) {
        std::size_t close = first.find(')', open);
        first = first.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
    }
    // "file:line" or "file:line:column": peel numbers off the end
    std::vector<int> numbers;
    while (numbers.size() < 2) {
        std::size_t colon = first.rfind(':');
        if (colon == std::string::npos || colon + 1 == first.size()) break;
        std::string tail = first.substr(colon + 1);
        if (tail.size() > 9 || tail.find_first_not_of("0123456789") != std::string::npos) break;
        numbers.push_back(std::stoi(tail));
        first.resize(colon);
    }
    if (numbers.empty() || first.empty() || first[0] == '/' || first.find("://") != std::string::npos ||
        first.starts_with("node:"))
        return std::nullopt;
    int line = numbers.back();  // with a column, the line is the second number peeled
    if (line <= 0) return std::nullopt;
    return SiteLine{first, line};
}

std::string series_label(Quantity quantity, const std::string& what) {
    std::string label(quantity_info(quantity).name);
    if (!what.empty()) label += " (" + what + ")";
    return label;
}

std::string format_amount(Quantity quantity, double amount) {
    if (!quantity_info(quantity).bytes) return whole_or_one_decimal(amount);
    double magnitude = std::fabs(amount);
    char text[64];
    if (magnitude >= 1024.0 * 1024.0 * 1024.0)
        std::snprintf(text, sizeof text, "%.1f GiB", amount / (1024.0 * 1024.0 * 1024.0));
    else if (magnitude >= 1024.0 * 1024.0)
        std::snprintf(text, sizeof text, "%.1f MiB", amount / (1024.0 * 1024.0));
    else if (magnitude >= 1024.0)
        std::snprintf(text, sizeof text, "%.0f KiB", amount / 1024.0);
    else
        std::snprintf(text, sizeof text, "%.0f B", amount);
    return text;
}

std::vector<Finding> growth_findings(const CycleRun& run, const GrowthTolerances& tolerances) {
    std::vector<Finding> findings;
    for (const Series& s : run.series) {
        std::optional<std::int64_t> tolerance = default_tolerance(s.quantity, tolerances);
        GrowthVerdict v = judge_growth(s, run.warmup, tolerance);
        if (v.outcome != GrowthOutcome::grows) continue;
        Growth g;
        g.quantity = s.quantity;
        g.what = s.what;
        g.per_cycle = v.per_cycle;
        g.cycles_judged = v.judged;
        g.rising = v.rising;
        g.first = v.first;
        g.last = v.last;
        g.tolerance = *tolerance;
        g.appeared = appeared_during(s, v.first_index, g.more_appeared);
        g.site = s.site;
        Finding f;
        f.kind = Kind::growth;
        f.severity = kind_info(Kind::growth).default_severity;
        f.attribution = Attribution::cycles;
        f.id = make_finding_id(Kind::growth, {std::string(quantity_info(s.quantity).name), s.what});
        f.message = growth_message(s, g);
        f.hint = hint_for(s.quantity, s.what, s.site);
        f.growth = std::move(g);
        findings.push_back(std::move(f));
    }
    return findings;
}

std::vector<Finding> cycle_count_findings(const CycleRun& run) {
    if (run.requested <= 0 || run.completed >= run.requested) return {};
    std::string asked = std::to_string(run.requested);
    return {harness_warning("the harness completed " + std::to_string(run.completed) + " of " + asked +
                                " cycles (--cycles " + asked + "): growth was judged over the cycles it completed",
                            "loop start/stop LEAKAUDIT_CYCLES times, sending started and stopped each time")};
}

std::vector<std::string> cycle_warnings(const CycleRun& run) {
    int judged = run.completed - run.warmup;
    if (judged >= k_min_judged_cycles) return {};
    return {"cycles: " + std::to_string(run.completed) + " completed, " + std::to_string(run.warmup) +
            " of them warm-up: growth is judged over at least " + std::to_string(k_min_judged_cycles) +
            " cycles after warm-up, so none was judged (use --cycles " +
            std::to_string(run.warmup + k_min_judged_cycles) + " or more)"};
}

}  // namespace leakaudit
