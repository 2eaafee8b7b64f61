// Problems found in rules files, as values. Every problem of a file is collected before
// stopping, and each is shown like a compiler error: position, message, line, caret.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakaudit {

struct Diagnostic {
    std::string file;  // display name of the file ("leakaudit.toml", a pack path…)
    int line = 0;      // 1-based; 0 when the problem is not at a position (missing file)
    int column = 0;    // 1-based, counted in code points as toml++ counts them
    std::string message;
    std::string line_text;  // the offending source line, without its newline
};

using Diagnostics = std::vector<Diagnostic>;

// "file:line:col: message", then the quoted line and a caret under the column.
std::string format_diagnostic(const Diagnostic& diagnostic);

// Line `line` (1-based) of `text`, or "" when there is no such line.
std::string_view source_line(std::string_view text, int line);

// Where each line of a text starts, so looking a line up is O(1).
class LineIndex {
public:
    explicit LineIndex(std::string_view text);
    // Line `number` (1-based) of `text` (the text the index was built from), without its
    // line ending; "" when there is no such line.
    std::string_view line(std::string_view text, int number) const;

private:
    std::vector<std::size_t> m_starts;
};

// At most this many problems are printed; the rest are counted in one "… N more" line.
inline constexpr std::size_t k_max_printed_diagnostics = 50;

// The candidate closest to `word` by edit distance, or "" when none is close enough
// to be a plausible typo.
std::string closest_name(std::string_view word, const std::vector<std::string_view>& candidates);

// Byte offset of 1-based code-point column `column` in `line` (clamped to its end), and
// the number of code points in `text`: toml++ counts columns in code points.
std::size_t column_offset(std::string_view line, int column);
std::size_t code_points(std::string_view text);

// `text`, cut to `max` bytes with "..." when longer: user text quoted in messages (a
// 100 KB key) must not swamp them.
std::string abbreviate(std::string_view text, std::size_t max = 60);

}  // namespace leakaudit
