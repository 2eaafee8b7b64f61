// The text report for people: leaked processes drawn as a tree, a hint per finding,
// and a summary line. Colour is the caller's decision (terminal, NO_COLOR, --no-color).
#pragma once

#include <optional>
#include <ostream>

#include "core/report.hpp"

namespace leakaudit {

enum class Color { off, on };
enum class Verbosity { quiet, normal, show_ignored };

void write_report_text(const Report& report, std::int64_t now_ms, Color color, Verbosity verbosity, std::ostream& out);

// "1 error, 0 warnings, 0 info, 2 ignored · harness exited 0 in 1.25s"
std::string summary_line(const Report& report);

std::string human_duration(std::int64_t ms);

}  // namespace leakaudit
