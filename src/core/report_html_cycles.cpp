// The cycles section: a chart per grown series (or per changed one when none grew),
// what appeared in each judged cycle, and every reading in a folded table.
#include <algorithm>

#include "core/report_html.hpp"
#include "core/report_html_chart.hpp"
#include "core/report_html_parts.hpp"

namespace leakaudit::html {

namespace {

constexpr std::size_t k_max_appeared_per_cycle = 5;

std::string appeared_list(const Series& s) {
    std::string items;
    for (std::size_t i = 1; i < s.appeared.size(); ++i) {
        const auto& names = s.appeared[i];
        if (names.empty()) continue;
        std::string text;
        for (std::size_t k = 0; k < names.size() && k < k_max_appeared_per_cycle; ++k)
            text += (k ? ", " : "") + std::string("<code>") + html_escape(names[k]) + "</code>";
        if (names.size() > k_max_appeared_per_cycle)
            text += " … " + std::to_string(names.size() - k_max_appeared_per_cycle) + " more";
        items += "<li>cycle " + std::to_string(i) + ": " + text + "</li>";
    }
    return items.empty() ? "" : "<p>New in each cycle:</p><ul class=\"appeared\">" + items + "</ul>";
}

std::string chart_figure(const Series& s, const CycleRun& cycles) {
    std::string caption = "<strong>" + html_escape(series_label(s)) + "</strong>";
    if (auto change = per_cycle_change(s, cycles.warmup))
        caption += ": " + html_escape(change_text(s, *change)) + " over the judged cycles";
    if (!s.site.empty()) caption += "; the newest created at <code>" + html_escape(s.site) + "</code>";
    return "<figure class=\"series\">" + series_chart_svg(s, cycles.warmup) + "<figcaption>" + caption +
           appeared_list(s) + "</figcaption></figure>";
}

std::string readings_table(const CycleRun& cycles) {
    std::size_t columns = 0;
    for (const Series& s : cycles.series)
        columns = std::max(columns, s.values.size());
    std::string out = "<details class=\"readings\"><summary>All readings (" + std::to_string(cycles.series.size()) +
                      " series)</summary><div class=\"scroll\"><table><thead><tr><th scope=\"col\">series</th>";
    for (std::size_t i = 0; i < columns; ++i) {
        bool warm = i >= 1 && static_cast<int>(i) <= cycles.warmup;
        out += std::string("<th scope=\"col\"") + (warm ? " class=\"warm\"" : "") + ">" +
               (i == 0 ? std::string("base") : std::to_string(i)) + "</th>";
    }
    out += "</tr></thead><tbody>";
    for (const Series& s : cycles.series) {
        out += "<tr><th scope=\"row\">" + html_escape(series_label(s)) + "</th>";
        for (std::size_t i = 0; i < columns; ++i)
            out += "<td>" + (i < s.values.size() ? html_escape(reading_text(s, s.values[i])) : std::string()) + "</td>";
        out += "</tr>";
    }
    return out + "</tbody></table></div></details>";
}

}  // namespace

std::string cycles_section(const Report& r) {
    if (!r.cycles) return "";
    const CycleRun& c = *r.cycles;
    std::string out = "<section id=\"cycles\"><h2>Cycles</h2><p>" + std::to_string(c.completed) + " start/stop " +
                      (c.completed == 1 ? "cycle" : "cycles") + " completed";
    if (c.requested > 0) out += " of " + std::to_string(c.requested) + " requested (--cycles)";
    out += "; the first " + std::to_string(c.warmup) + " warm-up (not judged, shaded).</p>";
    ChartChoice charts = choose_charts(c, r.findings);
    if (charts.series.empty())
        out += "<p class=\"clean\">Nothing changed over the cycles.</p>";
    else if (!charts.grown)
        out += "<p>Nothing grew; what changed:</p>";
    for (const Series* s : charts.series)
        out += chart_figure(*s, c);
    if (!c.series.empty()) out += readings_table(c);
    return out + "</section>";
}

}  // namespace leakaudit::html
