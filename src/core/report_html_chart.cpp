// Coordinates are computed here, in whole tenths of a pixel, so the same series always
// gives the same markup (tests compare it, and a diff of two reports stays readable).
#include "core/report_html_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/report_html.hpp"

namespace leakaudit {

namespace {

constexpr double k_width = 640;
constexpr double k_height = 260;
constexpr double k_left = 76;  // room for the y labels
constexpr double k_right = 20;
constexpr double k_top = 40;  // room for the title
constexpr double k_bottom = 48;
constexpr double k_plot_w = k_width - k_left - k_right;
constexpr double k_plot_h = k_height - k_top - k_bottom;
constexpr int k_max_x_labels = 12;

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", std::round(v * 10) / 10);
    std::string s = buf;
    if (s.ends_with(".0")) s.resize(s.size() - 2);
    return s == "-0" ? "0" : s;
}

bool missing(std::int64_t v) {
    return v == Series::k_missing;
}

// The readings from `from` on that were taken, as (index, value).
std::vector<std::pair<std::size_t, std::int64_t>> taken(const Series& s, std::size_t from = 0) {
    std::vector<std::pair<std::size_t, std::int64_t>> out;
    for (std::size_t i = from; i < s.values.size(); ++i) {
        if (!missing(s.values[i])) out.emplace_back(i, s.values[i]);
    }
    return out;
}

std::size_t judged_from(const Series& s, int warmup) {
    return std::min(static_cast<std::size_t>(std::max(warmup, 0)), s.values.empty() ? 0 : s.values.size() - 1);
}

std::string bytes_text(double v) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double a = std::fabs(v);
    int u = 0;
    while (a >= 1024 && u < 4) {
        a /= 1024;
        v /= 1024;
        ++u;
    }
    char buf[48];
    if (u == 0)
        std::snprintf(buf, sizeof buf, "%.0f B", v);
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    return buf;
}

// A step of 1, 2 or 5 × 10^k giving about four intervals over `range` (at least 1 for
// counts, which are whole).
double nice_step(double range, bool bytes) {
    double raw = std::max(range / 4, 1.0);
    double base = bytes ? std::pow(1024.0, std::floor(std::log(raw) / std::log(1024.0))) : 1.0;
    double scaled = raw / base;
    double mag = std::pow(10.0, std::floor(std::log10(scaled)));
    double f = scaled / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * mag * base;
}

struct Scale {
    double lo = 0, hi = 1, step = 1;
    std::size_t last_index = 1;
    double x(std::size_t i) const {
        return k_left + k_plot_w * static_cast<double>(i) / static_cast<double>(last_index);
    }
    double y(double v) const {
        if (!(hi > lo)) return k_top + k_plot_h / 2;  // readings too large for a double's precision
        return k_top + k_plot_h * (1 - (v - lo) / (hi - lo));
    }
};

Scale scale_for(const Series& s) {
    Scale sc;
    sc.last_index = std::max<std::size_t>(1, s.values.empty() ? 1 : s.values.size() - 1);
    auto points = taken(s);
    double lo = 0, hi = 0;
    if (!points.empty()) {
        auto [mn, mx] = std::minmax_element(points.begin(), points.end(),
                                            [](const auto& a, const auto& b) { return a.second < b.second; });
        lo = static_cast<double>(mn->second);
        hi = static_cast<double>(mx->second);
    }
    bool bytes = quantity_info(s.quantity).bytes;
    sc.step = nice_step(hi - lo, bytes);
    sc.lo = std::floor(lo / sc.step) * sc.step;
    sc.hi = std::ceil(hi / sc.step) * sc.step;
    if (sc.hi <= sc.lo) sc.hi = sc.lo + sc.step;
    return sc;
}

std::string text_el(double x, double y, const std::string& cls, const std::string& anchor, const std::string& text) {
    return "<text class=\"" + cls + "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">" +
           html_escape(text) + "</text>";
}

std::string axes(const Series& s, const Scale& sc) {
    std::string out = "<g class=\"axes\">";
    long long intervals = std::clamp<long long>(std::llround((sc.hi - sc.lo) / sc.step), 1, 20);
    for (long long k = 0; k <= intervals; ++k) {
        double v = sc.lo + static_cast<double>(k) * sc.step;
        double y = sc.y(v);
        out += "<line class=\"grid\" x1=\"" + num(k_left) + "\" y1=\"" + num(y) + "\" x2=\"" + num(k_width - k_right) +
               "\" y2=\"" + num(y) + "\"/>";
        out += text_el(k_left - 6, y + 4, "tick", "end", reading_text(s, std::llround(v)));
    }
    std::size_t every = (sc.last_index + k_max_x_labels - 1) / k_max_x_labels;
    for (std::size_t i = 0; i <= sc.last_index; i += std::max<std::size_t>(every, 1))
        out += text_el(sc.x(i), k_top + k_plot_h + 16, "tick", "middle", std::to_string(i));
    double bottom = k_top + k_plot_h;
    out += "<line class=\"axis\" x1=\"" + num(k_left) + "\" y1=\"" + num(bottom) + "\" x2=\"" + num(k_width - k_right) +
           "\" y2=\"" + num(bottom) + "\"/>";
    out += "<line class=\"axis\" x1=\"" + num(k_left) + "\" y1=\"" + num(k_top) + "\" x2=\"" + num(k_left) +
           "\" y2=\"" + num(bottom) + "\"/>";
    out +=
        text_el(k_left + k_plot_w / 2, k_height - 8, "axis-label", "middle", "cycle (0 = baseline at first started)");
    std::string unit = quantity_info(s.quantity).bytes ? "bytes" : "count";
    out += "<text class=\"axis-label\" x=\"14\" y=\"" + num(k_top + k_plot_h / 2) +
           "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + num(k_top + k_plot_h / 2) + ")\">" + unit +
           "</text>";
    return out + "</g>";
}

// Readings 1..warmup were not judged: shaded up to halfway to the first judged one.
std::string warmup_shade(const Scale& sc, int warmup) {
    if (warmup <= 0) return "";
    std::size_t w = std::min(static_cast<std::size_t>(warmup), sc.last_index);
    double step = k_plot_w / static_cast<double>(sc.last_index);
    double right = std::min(sc.x(w) + step / 2, k_width - k_right);
    return "<rect class=\"warmup\" x=\"" + num(k_left) + "\" y=\"" + num(k_top) + "\" width=\"" + num(right - k_left) +
           "\" height=\"" + num(k_plot_h) + "\"><title>warm-up: cycles 1 to " + std::to_string(w) +
           " are not judged</title></rect>" + text_el(k_left + 4, k_top + 12, "warmup-label", "start", "warm-up");
}

std::string points_markup(const Series& s, const Scale& sc, int warmup) {
    auto points = taken(s);
    std::string line;
    for (const auto& [i, v] : points)
        line += (line.empty() ? "" : " ") + num(sc.x(i)) + "," + num(sc.y(static_cast<double>(v)));
    std::string out;
    if (points.size() > 1) out += "<polyline class=\"line\" points=\"" + line + "\"/>";
    for (const auto& [i, v] : points) {
        bool in_warmup = i >= 1 && static_cast<int>(i) <= warmup;
        std::string label = (i == 0 ? std::string("baseline") : "cycle " + std::to_string(i)) + ": " +
                            reading_text(s, v) + (in_warmup ? " (warm-up)" : "");
        out += "<circle class=\"point\" cx=\"" + num(sc.x(i)) + "\" cy=\"" + num(sc.y(static_cast<double>(v))) +
               "\" r=\"4\" data-cycle=\"" + std::to_string(i) + "\" data-value=\"" + std::to_string(v) + "\"" +
               (in_warmup ? " data-warmup=\"true\"" : "") + "><title>" + html_escape(label) + "</title></circle>";
    }
    return out;
}

}  // namespace

std::optional<double> per_cycle_change(const Series& s, int warmup) {
    auto judged = taken(s, judged_from(s, warmup));
    if (judged.size() < 2) return std::nullopt;
    double cycles = static_cast<double>(judged.back().first - judged.front().first);
    return static_cast<double>(judged.back().second - judged.front().second) / cycles;
}

bool series_grew(const Series& s, int warmup) {
    auto judged = taken(s, judged_from(s, warmup));
    if (judged.size() < 2 || judged.back().second <= judged.front().second) return false;
    std::size_t rises = 0;
    for (std::size_t k = 1; k < judged.size(); ++k)
        rises += judged[k].second > judged[k - 1].second;
    return rises * 2 > judged.size() - 1;
}

bool series_changed(const Series& s) {
    auto points = taken(s);
    return std::any_of(points.begin(), points.end(), [&](const auto& p) { return p.second != points[0].second; });
}

std::vector<const Series*> charted_series(const CycleRun& cycles) {
    std::vector<const Series*> grown, changed;
    for (const Series& s : cycles.series) {
        if (series_grew(s, cycles.warmup)) grown.push_back(&s);
        if (series_changed(s)) changed.push_back(&s);
    }
    return grown.empty() ? changed : grown;
}

namespace {

// The series a growth finding names. Written for any finding type so this file builds
// with and without Finding::growth (the growth verdict's findings, core/growth.hpp).
template <class F>
std::optional<std::pair<Quantity, std::string>> grown_series_of(const F& f) {
    if constexpr (requires {
                      f.growth->quantity;
                      f.growth->what;
                  }) {
        if (f.growth) return std::pair{f.growth->quantity, f.growth->what};
    }
    return std::nullopt;
}

}  // namespace

ChartChoice choose_charts(const CycleRun& cycles, const std::vector<Finding>& findings) {
    std::vector<std::pair<Quantity, std::string>> grown;
    for (const Finding& f : findings) {
        if (auto key = grown_series_of(f)) grown.push_back(*key);
    }
    ChartChoice choice;
    for (const Series& s : cycles.series) {
        if (std::find(grown.begin(), grown.end(), std::pair{s.quantity, s.what}) != grown.end())
            choice.series.push_back(&s);
    }
    if (!choice.series.empty()) {
        choice.grown = true;
        return choice;
    }
    choice.series = charted_series(cycles);
    choice.grown = !choice.series.empty() && series_grew(*choice.series.front(), cycles.warmup);
    return choice;
}

std::string series_label(const Series& s) {
    std::string name(quantity_info(s.quantity).name);
    return s.what.empty() ? name : name + " " + s.what;
}

std::string reading_text(const Series& s, std::int64_t value) {
    if (missing(value)) return "not taken";
    return quantity_info(s.quantity).bytes ? bytes_text(static_cast<double>(value)) : std::to_string(value);
}

std::string change_text(const Series& s, double per_cycle) {
    std::string sign = per_cycle > 0 ? "+" : per_cycle < 0 ? "\xE2\x88\x92" : "±";  // U+2212 minus
    double a = std::fabs(per_cycle);
    std::string amount = quantity_info(s.quantity).bytes ? bytes_text(a) : num(a);
    return sign + amount + " per cycle";
}

std::string series_chart_svg(const Series& s, int warmup) {
    Scale sc = scale_for(s);
    std::string title = series_label(s);
    if (auto change = per_cycle_change(s, warmup)) title += ": " + change_text(s, *change);
    std::size_t cycles = s.values.empty() ? 0 : s.values.size() - 1;
    title += " (" + std::to_string(cycles) + (cycles == 1 ? " cycle" : " cycles");
    if (warmup > 0) title += ", " + std::to_string(warmup) + " warm-up";
    title += ")";
    std::string out = "<svg class=\"chart\" data-quantity=\"" + std::string(quantity_info(s.quantity).name) +
                      "\" data-what=\"" + html_escape(s.what) + "\" data-warmup=\"" + std::to_string(warmup) +
                      "\" viewBox=\"0 0 " + num(k_width) + " " + num(k_height) + "\" width=\"" + num(k_width) +
                      "\" height=\"" + num(k_height) + "\" role=\"img\" aria-label=\"" + html_escape(title) + "\">";
    out += "<title>" + html_escape(title) + "</title>";
    out += text_el(k_left, 20, "chart-title", "start", title);
    out += warmup_shade(sc, warmup);
    out += axes(s, sc);
    out += points_markup(s, sc, warmup);
    return out + "</svg>";
}

}  // namespace leakaudit
