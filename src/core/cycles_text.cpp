// Columns are right-aligned to the widest cell; bytes are shown in KiB/MiB.
#include "core/cycles_text.hpp"

#include <algorithm>

#include "core/growth_findings.hpp"

namespace leakaudit {

namespace {

std::vector<std::size_t> shown_indices(std::size_t readings) {
    std::vector<std::size_t> out;
    if (readings <= k_max_table_readings) {
        for (std::size_t i = 0; i < readings; ++i)
            out.push_back(i);
        return out;
    }
    constexpr std::size_t k_head = 4;
    for (std::size_t i = 0; i < k_head; ++i)
        out.push_back(i);
    for (std::size_t i = readings - (k_max_table_readings - k_head); i < readings; ++i)
        out.push_back(i);
    return out;
}

std::string padded(const std::string& text, std::size_t width) {
    return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

}  // namespace

std::vector<std::string> growth_table(const CycleRun& run, const Growth& growth) {
    auto it = std::find_if(run.series.begin(), run.series.end(),
                           [&](const Series& s) { return s.quantity == growth.quantity && s.what == growth.what; });
    if (it == run.series.end() || it->values.empty()) return {};
    const Series& s = *it;
    std::vector<std::size_t> shown = shown_indices(s.values.size());
    std::vector<std::string> heads, cells;
    for (std::size_t i : shown) {
        heads.push_back(i == 0 ? "base" : std::to_string(i));
        std::int64_t v = s.values[i];
        cells.push_back(v == Series::k_missing ? "-" : format_amount(s.quantity, static_cast<double>(v)));
    }
    std::string label = s.what.empty() ? std::string(quantity_info(s.quantity).name) : s.what;
    std::size_t label_width = std::max<std::size_t>(label.size(), 5);
    std::string top = padded("cycle", label_width), bottom = padded(label, label_width);
    for (std::size_t c = 0; c < shown.size(); ++c) {
        std::size_t width = std::max(heads[c].size(), cells[c].size());
        std::string gap = " ";
        if (c > 0 && shown[c] != shown[c - 1] + 1) gap = " … ";
        if (run.warmup > 0 && shown[c] == static_cast<std::size_t>(run.warmup) + 1) gap += "| ";
        top += gap + padded(heads[c], width);
        bottom += gap + padded(cells[c], width);
    }
    return {top, bottom};
}

}  // namespace leakaudit
