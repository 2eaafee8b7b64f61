// Reads a rules file: the only place toml::parse is called and its exceptions caught.
// The document is walked in full and every problem recorded, then sorted by position
// (toml++ iterates a table in key order, not file order).
#include "rules/rule_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>

#include "core/byte_size.hpp"
#include "core/duration.hpp"
#include "os/input_file.hpp"
#include "rules/pattern.hpp"
#include "rules/toml_reader.hpp"
#include "rules/toml_shape.hpp"

namespace leakaudit {

namespace detail {

void TomlReader::report(const toml::source_position& at, std::string message) {
    int line = static_cast<int>(at.line);
    int column = static_cast<int>(at.column);
    m_out.push_back({m_name, line, column, std::move(message), std::string(this->line(line))});
}

void TomlReader::report_in_string(const toml::node& at, std::string_view value, std::size_t offset,
                                  std::string message) {
    toml::source_position begin = at.source().begin;
    std::string_view line = this->line(static_cast<int>(begin.line));
    std::size_t quote = column_offset(line, static_cast<int>(begin.column));
    // Verbatim when the bytes after the opening quote are the value itself; a multi-line
    // or escaped string is not, and keeps the caret on its quote.
    if (offset <= value.size() && line.substr(quote + 1, value.size()) == value) {
        begin.column += static_cast<toml::source_index>(1 + code_points(value.substr(0, offset)));
    }
    report(begin, std::move(message));
}

std::optional<std::string> TomlReader::string_of(const toml::node& node, std::string_view key, std::string_view what) {
    if (const toml::value<std::string>* s = node.as_string()) return s->get();
    report(node, "`" + std::string(key) + "` must be " + std::string(what) + ", not " + std::string(type_name(node)));
    return std::nullopt;
}

std::string_view type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

std::string unknown_key_message(std::string_view key, std::string_view where,
                                const std::vector<std::string_view>& candidates) {
    std::string message = "unknown key `" + abbreviate(key) + "` in " + std::string(where);
    std::string suggestion = closest_name(key, candidates);
    if (!suggestion.empty()) message += " — did you mean `" + suggestion + "`?";
    return message;
}

}  // namespace detail

namespace {

using detail::TomlReader;

constexpr std::string_view k_severity_list = "ignore, info, warning or error";

std::optional<Severity> severity_of(const toml::node& node, std::string_view key, TomlReader& reader) {
    std::optional<std::string> text = reader.string_of(node, key, "a severity string");
    if (!text) return std::nullopt;
    std::optional<Severity> severity = parse_severity(*text);
    if (!severity) {
        std::string hint = closest_name(*text, {"ignore", "info", "warning", "error"});
        reader.report(node, "unknown severity `" + abbreviate(*text) + "` for `" + std::string(key) + "`: expected " +
                                std::string(k_severity_list) + (hint.empty() ? "" : " — did you mean `" + hint + "`?"));
    }
    return severity;
}

std::optional<std::chrono::milliseconds> duration_of(const toml::node& node, std::string_view key, TomlReader& reader) {
    std::optional<std::string> text = reader.string_of(node, key, "a duration string like \"2s\"");
    if (!text) return std::nullopt;
    Result<std::chrono::milliseconds> duration = parse_duration_checked(*text);
    if (!duration) {
        reader.report(node, "`" + std::string(key) + "`: " + duration.error().message);
        return std::nullopt;
    }
    return *duration;
}

std::optional<std::vector<std::string>> folders_of(const toml::node& node, TomlReader& reader) {
    const toml::array* array = node.as_array();
    if (!array) {
        reader.report(node, "`watch` must be an array of folders, not " + std::string(detail::type_name(node)));
        return std::nullopt;
    }
    std::vector<std::string> folders;
    for (const toml::node& item : *array) {
        std::optional<std::string> folder = reader.string_of(item, "watch", "an array of folder strings");
        if (folder && folder->empty()) reader.report(item, "`watch` folder is empty");
        if (folder && !folder->empty()) folders.push_back(*folder);
    }
    return folders;
}

std::optional<std::int64_t> byte_size_of(const toml::node& node, std::string_view key, TomlReader& reader) {
    std::optional<std::string> text = reader.string_of(node, key, "a size string like \"512KiB\"");
    if (!text) return std::nullopt;
    Result<std::int64_t> size = parse_byte_size(*text);
    if (!size) {
        reader.report(node, "`" + std::string(key) + "`: " + size.error().message);
        return std::nullopt;
    }
    return *size;
}

std::optional<int> warmup_of(const toml::node& node, TomlReader& reader) {
    std::optional<std::int64_t> n = node.value<std::int64_t>();
    if (!node.is_integer() || !n || *n < 0 || *n > 1000) {
        reader.report(node, "`warmup` must be a whole number of cycles from 0 to 1000");
        return std::nullopt;
    }
    return static_cast<int>(*n);
}

bool is_option_name(std::string_view name) {
    std::string_view bare = name.substr(std::min(name.find_first_not_of('-'), name.size()));
    return !bare.empty() && std::all_of(bare.begin(), bare.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
    });
}

// One `redact` entry: `re:REGEX`, or the name of an option or parameter (`db-pass`,
// `--db-pass`, `DB_PASS`) whose value is secret.
// A `re:` entry of `redact`, prefix included.
Result<std::shared_ptr<const std::regex>> redact_regex(std::string_view text) {
    std::string_view source = text.substr(k_regex_prefix.size());
    if (text.size() > k_max_pattern_length)
        return unexpected("pattern is " + std::to_string(text.size()) + " bytes long; the limit is " +
                          std::to_string(k_max_pattern_length));
    if (source.empty()) return unexpected("empty regex");
    return compile_search_regex(source);
}

void redact_entry(const toml::node& item, TomlReader& reader, RuleSettings& settings) {
    std::optional<std::string> text = reader.string_of(item, "redact", "an array of strings");
    if (!text) return;
    if (text->starts_with(k_regex_prefix)) {
        Result<std::shared_ptr<const std::regex>> regex = redact_regex(*text);
        if (!regex)
            return reader.report_in_string(item, *text, k_regex_prefix.size(), "`redact`: " + regex.error().message);
        settings.redact_patterns.regexes.push_back(std::move(*regex));
    } else if (is_option_name(*text)) {
        settings.redact_patterns.names.push_back(*text);
    } else {
        return reader.report(item, "`redact` entry `" + abbreviate(*text) +
                                       "` is neither an option or parameter name (letters, digits, `-`, `_`, `.`) "
                                       "nor a regex (\"re:...\")");
    }
    settings.redact.push_back(*text);
}

void redact_of(const toml::node& node, TomlReader& reader, RuleSettings& settings) {
    const toml::array* array = node.as_array();
    if (!array) {
        return reader.report(node, "`redact` must be an array of names and \"re:\" patterns, not " +
                                       std::string(detail::type_name(node)));
    }
    for (const toml::node& item : *array)
        redact_entry(item, reader, settings);
}

void read_settings(const toml::table& table, TomlReader& reader, RuleSettings& settings) {
    for (auto&& [key, node] : table) {
        std::string_view name = key.str();
        if (name == "grace")
            settings.grace = duration_of(node, name, reader);
        else if (name == "timeout")
            settings.timeout = duration_of(node, name, reader);
        else if (name == "exit-timeout")
            settings.exit_timeout = duration_of(node, name, reader);
        else if (name == "watch")
            settings.watch = folders_of(node, reader);
        else if (name == "fail-on")
            settings.fail_on = severity_of(node, name, reader);
        else if (name == "redact")
            redact_of(node, reader, settings);
        else if (name == "warmup")
            settings.warmup = warmup_of(node, reader);
        else if (name == "growth-heap-tolerance")
            settings.growth_heap_tolerance = byte_size_of(node, name, reader);
        else if (name == "growth-rss-tolerance")
            settings.growth_rss_tolerance = byte_size_of(node, name, reader);
        else {
            reader.report(key,
                          detail::unknown_key_message(name, "[settings]",
                                                      {"grace", "timeout", "exit-timeout", "watch", "fail-on", "redact",
                                                       "warmup", "growth-heap-tolerance", "growth-rss-tolerance"}));
        }
    }
}

void read_severity(const toml::table& table, TomlReader& reader, RuleFile& file) {
    for (auto&& [key, node] : table) {
        std::optional<Kind> kind = parse_kind(key.str());
        if (kind && !kind_info(*kind).ruled) {
            std::string name = to_string(*kind);
            reader.report(key, "kind `" + name + "` has no default severity: " + name + " findings carry their own");
        } else if (!kind) {
            reader.report(key, detail::unknown_key_message(key.str(), "[severity]", ruled_kind_names()));
        } else {
            file.severity[static_cast<std::size_t>(*kind)] = severity_of(node, key.str(), reader);
        }
    }
}

void read_rule_array(const toml::node& node, TomlReader& reader, RuleFile& file) {
    const toml::array* array = node.as_array();
    if (!array) {
        reader.report(node, "`rule` must be an array of tables: write each rule as [[rule]], not [rule]");
        return;
    }
    int index = 0;
    for (const toml::node& item : *array) {
        ++index;
        if (const toml::table* table = item.as_table()) {
            detail::read_rule_entry(*table, index, reader, file);
        } else {
            reader.report(item, "each rule must be a table: write [[rule]] followed by its keys");
        }
    }
}

void read_section(const toml::key& key, const toml::node& node, TomlReader& reader, RuleFile& file) {
    std::string_view name = key.str();
    if (name == "rule") return read_rule_array(node, reader, file);
    if (name != "settings" && name != "severity") {
        std::string message = node.is_table() ? "unknown table `[" + abbreviate(name) + "]`"
                                              : "unknown key `" + abbreviate(name) + "` at the top level";
        std::string hint = closest_name(name, {"settings", "severity", "rule"});
        if (!hint.empty()) message += " — did you mean `" + hint + "`?";
        return reader.report(key, message + " (expected [settings], [severity] or [[rule]])");
    }
    const toml::table* table = node.as_table();
    if (!table)
        return reader.report(node, "`" + std::string(name) + "` must be a table: write [" + std::string(name) + "]");
    if (name == "settings")
        read_settings(*table, reader, file.settings);
    else
        read_severity(*table, reader, file);
}

std::optional<toml::table> parse_document(std::string_view text, TomlReader& reader) {
    try {
        return toml::parse(text, std::string_view(reader.name()));
    } catch (const toml::parse_error& e) {
        reader.report(e.source().begin, "invalid TOML: " + std::string(e.description()));
    } catch (const std::exception& e) {  // bad_alloc on absurd input; never crash
        reader.report(toml::source_position{1, 1}, std::string("cannot read TOML: ") + e.what());
    }
    return std::nullopt;
}

bool by_position(const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
}

}  // namespace

RuleFile parse_rule_file(std::string_view text, const std::string& name, Diagnostics& diagnostics) {
    RuleFile file;
    file.name = name;
    if (std::optional<Diagnostic> too_deep = check_toml_shape(text, name)) {
        diagnostics.push_back(std::move(*too_deep));
        return file;
    }
    Diagnostics found;
    TomlReader reader(text, name, found);
    if (std::optional<toml::table> root = parse_document(text, reader)) {
        for (auto&& [key, node] : *root)
            read_section(key, node, reader, file);
    }
    std::stable_sort(found.begin(), found.end(), by_position);
    diagnostics.insert(diagnostics.end(), found.begin(), found.end());
    return file;
}

RuleFile parse_rule_file(std::istream& in, const std::string& name, Diagnostics& diagnostics) {
    std::string text;
    char buffer[64 * 1024];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > k_max_rule_file_bytes) {
            diagnostics.push_back(
                {name, 0, 0, "rules file is larger than " + std::to_string(k_max_rule_file_bytes >> 20) + " MiB", {}});
            return RuleFile{name, {}, {}, {}};
        }
    }
    return parse_rule_file(std::string_view(text), name, diagnostics);
}

RuleFile read_rule_file(const std::filesystem::path& path, const std::string& name, Diagnostics& diagnostics) {
    Result<std::string, os::InputError> text =
        os::read_input_file(path.string(), k_max_rule_file_bytes, os::Streams::refuse);
    if (!text) {
        std::error_code ec;
        std::string absolute = std::filesystem::absolute(path, ec).string();
        std::string message = text.error().failure == os::InputFailure::not_opened
                                  ? "cannot open rules file (looked for " + absolute + ")"
                                  : "rules file " + text.error().reason + " (" + absolute + ")";
        diagnostics.push_back({name, 0, 0, std::move(message), {}});
        return RuleFile{name, {}, {}, {}};
    }
    return parse_rule_file(std::string_view(*text), name, diagnostics);
}

}  // namespace leakaudit
