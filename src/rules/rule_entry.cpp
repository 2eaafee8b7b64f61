// Reads one [[rule]] table: `kind` and `action` first (the kind decides which match keys
// are valid), then each match key, compiling its pattern once, here, at load.
#include <algorithm>
#include <string>

#include "core/byte_size.hpp"
#include "rules/match_keys.hpp"
#include "rules/toml_reader.hpp"

namespace leakaudit::detail {

namespace {

// "process, socket, fd, tmp, handle or listener": the kinds rules may name.
std::string rule_kinds_text() {
    std::vector<std::string_view> names = ruled_kind_names();
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i)
        text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
    return text;
}

std::optional<Kind> rule_kind(const toml::table& table, TomlReader& reader) {
    const toml::node* node = table.get("kind");
    if (!node) {
        reader.report(table, "[[rule]] has no `kind`: add kind = \"...\" (" + rule_kinds_text() + ")");
        return std::nullopt;
    }
    std::optional<std::string> text = reader.string_of(*node, "kind", "a string");
    if (!text) return std::nullopt;
    std::optional<Kind> kind = parse_kind(*text);
    if (kind && !kind_info(*kind).ruled) {
        std::string name = to_string(*kind);
        reader.report(*node,
                      "kind `" + name + "` cannot be matched by rules: " + name + " findings carry their own severity");
        return std::nullopt;
    }
    if (!kind) {
        std::string hint = closest_name(*text, ruled_kind_names());
        reader.report(*node, "unknown kind `" + abbreviate(*text) + "`: expected " + rule_kinds_text() +
                                 (hint.empty() ? "" : " — did you mean `" + hint + "`?"));
    }
    return kind;
}

std::optional<Severity> rule_action(const toml::table& table, TomlReader& reader) {
    const toml::node* node = table.get("action");
    if (!node) {
        reader.report(table, "[[rule]] has no `action`: add action = \"ignore\" (or info, warning, error)");
        return std::nullopt;
    }
    std::optional<std::string> text = reader.string_of(*node, "action", "a string");
    if (!text) return std::nullopt;
    std::optional<Severity> action = parse_severity(*text);
    if (!action) {
        std::string hint = closest_name(*text, {"ignore", "info", "warning", "error"});
        reader.report(*node, "unknown action `" + abbreviate(*text) + "`: expected ignore, info, warning or error" +
                                 (hint.empty() ? "" : " — did you mean `" + hint + "`?"));
    }
    return action;
}

std::string kinds_text(const std::vector<Kind>& kinds) {
    std::string text;
    for (Kind kind : kinds)
        text += (text.empty() ? "`" : " and `") + to_string(kind) + "`";
    return text;
}

std::string names_text(const std::vector<std::string_view>& names) {
    std::string text;
    for (std::string_view name : names)
        text += (text.empty() ? "" : ", ") + std::string(name);
    return text;
}

// A key that is no match key at all, or one that belongs to another kind.
void report_key(const toml::key& key, std::optional<Kind> kind, TomlReader& reader) {
    std::optional<MatchKey> match_key = parse_match_key(key.str());
    if (match_key && kind) {
        return reader.report(key, "key `" + std::string(key.str()) + "` does not apply to kind `" + to_string(*kind) +
                                      "` (it is a " + kinds_text(kinds_with_key(*match_key)) + " key; " +
                                      to_string(*kind) + " keys are " + names_text(key_names(*kind)) + ")");
    }
    std::vector<std::string_view> candidates = kind ? key_names(*kind) : all_key_names();
    for (std::string_view common : {"kind", "action", "reason", "id"})
        candidates.push_back(common);
    reader.report(key, unknown_key_message(key.str(), "[[rule]]", candidates));
}

std::optional<Matcher> port_matcher(const toml::node& node, TomlReader& reader) {
    std::string text;
    if (const toml::value<std::int64_t>* number = node.as_integer())
        text = std::to_string(number->get());
    else if (const toml::value<std::string>* s = node.as_string())
        text = s->get();
    else {
        reader.report(node, "`port` must be an integer or a range string like \"9000-9100\", not " +
                                std::string(type_name(node)));
        return std::nullopt;
    }
    Result<PortRange> range = parse_port_range(text);
    if (!range) {
        reader.report(node, range.error().message);
        return std::nullopt;
    }
    return Matcher{MatchKey::port, std::nullopt, *range, text};
}

// `tolerance = 2` (a count) or `tolerance = "2MiB"` (bytes) per cycle.
std::optional<Matcher> tolerance_matcher(const toml::node& node, TomlReader& reader) {
    if (const toml::value<std::int64_t>* number = node.as_integer()) {
        if (number->get() >= 0)
            return Matcher{MatchKey::tolerance, std::nullopt, std::nullopt, std::to_string(number->get()),
                           number->get()};
        reader.report(node, "`tolerance` must not be negative");
        return std::nullopt;
    }
    const toml::value<std::string>* text = node.as_string();
    if (!text) {
        reader.report(
            node, "`tolerance` must be a count (2) or a size string (\"2MiB\"), not " + std::string(type_name(node)));
        return std::nullopt;
    }
    Result<std::int64_t> size = parse_byte_size(text->get());
    if (!size) {
        reader.report(node, "`tolerance`: " + size.error().message);
        return std::nullopt;
    }
    return Matcher{MatchKey::tolerance, std::nullopt, std::nullopt, text->get(), *size};
}

std::optional<Matcher> pattern_matcher(MatchKey key, const toml::node& node, TomlReader& reader) {
    std::string name(to_string(key));
    std::optional<std::string> text = reader.string_of(node, name, "a string (a glob, or a regex after `re:`)");
    if (!text) return std::nullopt;
    Result<Pattern, PatternError> pattern = Pattern::compile(*text, glob_mode(key));
    if (!pattern) {
        reader.report_in_string(node, *text, pattern.error().offset,
                                "bad pattern for `" + name + "`: " + pattern.error().message);
        return std::nullopt;
    }
    return Matcher{key, std::move(*pattern), std::nullopt, *text};
}

void read_match_key(const toml::key& key, const toml::node& node, std::optional<Kind> kind, TomlReader& reader,
                    Rule& rule) {
    std::optional<MatchKey> match_key = parse_match_key(key.str());
    if (!match_key || (kind && !key_applies(*kind, *match_key))) return report_key(key, kind, reader);
    std::optional<Matcher> matcher = *match_key == MatchKey::port        ? port_matcher(node, reader)
                                     : *match_key == MatchKey::tolerance ? tolerance_matcher(node, reader)
                                                                         : pattern_matcher(*match_key, node, reader);
    if (matcher) rule.matchers.push_back(std::move(*matcher));
}

}  // namespace

void read_rule_entry(const toml::table& table, int index, TomlReader& reader, RuleFile& file) {
    std::size_t problems_before = reader.problem_count();
    std::optional<Kind> kind = rule_kind(table, reader);
    std::optional<Severity> action = rule_action(table, reader);
    Rule rule;
    rule.file = reader.name();
    rule.index = index;
    for (auto&& [key, node] : table) {
        std::string_view name = key.str();
        if (name == "kind" || name == "action") continue;
        if (name == "reason" || name == "id") {
            std::optional<std::string> text = reader.string_of(node, name, "a string");
            (name == "reason" ? rule.reason : rule.id) = text.value_or("");
            continue;
        }
        read_match_key(key, node, kind, reader, rule);
    }
    // toml++ hands keys over sorted by name; list them in README's order ("Match keys") instead.
    std::stable_sort(rule.matchers.begin(), rule.matchers.end(),
                     [](const Matcher& a, const Matcher& b) { return a.key < b.key; });
    // A rule with a bad key would match more than its author meant; keep only clean ones.
    if (!kind || !action || reader.problem_count() != problems_before) return;
    rule.kind = *kind;
    rule.action = *action;
    file.rules.push_back(std::move(rule));
}

}  // namespace leakaudit::detail
