// Internal to src/rules: the shared state of the toml++ walkers (rule_file.cpp reads the
// document and its [settings]/[severity]; rule_entry.cpp reads each [[rule]]). toml++
// stays behind this header; nothing public includes it.
#pragma once

#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "rules/diagnostic.hpp"
#include "rules/rule.hpp"

namespace leakaudit::detail {

class TomlReader {
public:
    TomlReader(std::string_view text, const std::string& name, Diagnostics& out)
        : m_text(text), m_name(name), m_out(out), m_lines(text) {}

    void report(const toml::source_position& at, std::string message);
    void report(const toml::node& at, std::string message) { report(at.source().begin, std::move(message)); }
    void report(const toml::key& at, std::string message) { report(at.source().begin, std::move(message)); }
    // Points the caret at byte `offset` inside a string value when the source spells the
    // value verbatim (no escapes); otherwise at the value's opening quote.
    void report_in_string(const toml::node& at, std::string_view value, std::size_t offset, std::string message);

    // The value as a string, or a "must be a string" diagnostic and nullopt.
    std::optional<std::string> string_of(const toml::node& node, std::string_view key, std::string_view what);

    const std::string& name() const { return m_name; }
    std::size_t problem_count() const { return m_out.size(); }

private:
    std::string_view line(int number) const { return m_lines.line(m_text, number); }

    std::string_view m_text;
    const std::string& m_name;
    Diagnostics& m_out;
    LineIndex m_lines;  // built once: 50,000 problems must not rescan the file 50,000 times
};

std::string_view type_name(const toml::node& node);

// "unknown key `x` in [where]", plus "— did you mean `y`?" when one is close.
std::string unknown_key_message(std::string_view key, std::string_view where,
                                const std::vector<std::string_view>& candidates);

void read_rule_entry(const toml::table& table, int index, TomlReader& reader, RuleFile& file);

}  // namespace leakaudit::detail
