// Formatting of rules-file diagnostics (ninja/rustc style) and "did you mean" spelling help.
#include "rules/diagnostic.hpp"

#include <algorithm>
#include <cstddef>

namespace leakaudit {

namespace {

// Very long lines (a megabyte string value) are shown as a window around the column so
// the message stays readable; the window is measured in bytes, the caret in columns.
constexpr std::size_t k_max_quoted = 120;

bool is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

}  // namespace

std::size_t column_offset(std::string_view line, int column) {
    std::size_t offset = 0;
    for (int col = 1; col < column && offset < line.size(); ++col) {
        ++offset;
        while (offset < line.size() && is_continuation(static_cast<unsigned char>(line[offset]))) {
            ++offset;
        }
    }
    return offset;
}

std::size_t code_points(std::string_view text) {
    std::size_t count = 0;
    for (char c : text)
        count += is_continuation(static_cast<unsigned char>(c)) ? 0 : 1;
    return count;
}

namespace {

// Control bytes and broken UTF-8 would garble a terminal; show them as '?'. Tabs stay so
// the caret line (which copies tabs) lines up.
std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        unsigned char byte = static_cast<unsigned char>(c);
        out += (byte < 0x20 && c != '\t') || byte == 0x7F ? '?' : c;
    }
    return out;
}

std::string caret_line(std::string_view prefix) {
    std::string out;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        unsigned char byte = static_cast<unsigned char>(prefix[i]);
        if (is_continuation(byte)) continue;
        out += prefix[i] == '\t' ? '\t' : ' ';
    }
    return out + '^';
}

std::string quote_with_caret(std::string_view line, int column) {
    std::size_t caret = column_offset(line, column);
    std::size_t start = 0;
    std::string lead;
    if (caret > k_max_quoted / 2) {
        start = caret - k_max_quoted / 2;
        while (start < caret && is_continuation(static_cast<unsigned char>(line[start])))
            ++start;
        lead = "...";
    }
    std::string_view shown = line.substr(start, k_max_quoted);
    std::string tail = start + shown.size() < line.size() ? "..." : "";
    std::string quoted = "    " + lead + printable(shown) + tail + "\n";
    std::string_view before = line.substr(start, caret - start);
    return quoted + "    " + std::string(lead.size(), ' ') + caret_line(before) + "\n";
}

// Optimal string alignment distance: Levenshtein plus adjacent transposition, so the
// common `nmae` typo is one edit from `name`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

std::string format_diagnostic(const Diagnostic& diagnostic) {
    if (diagnostic.line <= 0) return diagnostic.file + ": " + diagnostic.message + "\n";
    std::string head = diagnostic.file + ":" + std::to_string(diagnostic.line) + ":" +
                       std::to_string(diagnostic.column) + ": " + diagnostic.message + "\n";
    return head + quote_with_caret(diagnostic.line_text, diagnostic.column);
}

std::string_view source_line(std::string_view text, int line) {
    std::size_t start = 0;
    for (int current = 1; current < line; ++current) {
        std::size_t newline = text.find('\n', start);
        if (newline == std::string_view::npos) return {};
        start = newline + 1;
    }
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view found = text.substr(start, end - start);
    if (!found.empty() && found.back() == '\r') found.remove_suffix(1);
    return found;
}

LineIndex::LineIndex(std::string_view text) {
    m_starts.push_back(0);
    for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1))
        m_starts.push_back(i + 1);
}

std::string_view LineIndex::line(std::string_view text, int number) const {
    if (number < 1 || static_cast<std::size_t>(number) > m_starts.size()) return {};
    std::size_t start = std::min(m_starts[static_cast<std::size_t>(number) - 1], text.size());
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view found = text.substr(start, end - start);
    if (!found.empty() && found.back() == '\r') found.remove_suffix(1);
    return found;
}

std::string closest_name(std::string_view word, const std::vector<std::string_view>& candidates) {
    // Typos are short; comparing a pasted paragraph against every key is pointless.
    if (word.size() > 64) return {};
    // An abbreviation (`warn`) is as plausible as a typo.
    for (std::string_view candidate : candidates) {
        if (word.size() >= 3 && candidate.substr(0, word.size()) == word) return std::string(candidate);
    }
    std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::string best;
    std::size_t best_distance = limit + 1;
    for (std::string_view candidate : candidates) {
        std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best_distance = distance;
            best = candidate;
        }
    }
    return best;
}

std::string abbreviate(std::string_view text, std::size_t max) {
    if (text.size() <= max) return std::string(text);
    std::size_t cut = max;
    while (cut > 0 && is_continuation(static_cast<unsigned char>(text[cut])))
        --cut;
    return std::string(text.substr(0, cut)) + "...";
}

}  // namespace leakaudit
