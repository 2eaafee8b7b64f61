// Printing the merged rule set in load order: settings, severities, then every rule with
// its source `file#index`, so a user sees which rule will win for a finding.
#include "rules/rule_printer.hpp"

#include "rules/match_keys.hpp"
#include "rules/toml_text.hpp"

namespace leakaudit {

namespace {

void print_duration(std::ostream& out, const char* key, const std::optional<std::chrono::milliseconds>& value) {
    if (value)
        out << key << " = " << toml_quote(format_duration(*value)) << "\n";
    else
        out << "# " << key << ": not set, the command-line default applies\n";
}

void print_settings(const RuleSettings& settings, std::ostream& out) {
    out << "[settings]\n";
    print_duration(out, "grace", settings.grace);
    print_duration(out, "timeout", settings.timeout);
    print_duration(out, "exit-timeout", settings.exit_timeout);
    if (settings.watch) {
        out << "watch = [";
        for (std::size_t i = 0; i < settings.watch->size(); ++i) {
            out << (i ? ", " : "") << toml_quote((*settings.watch)[i]);
        }
        out << "]\n";
    } else {
        out << "# watch: not set, the command-line default applies\n";
    }
    if (settings.fail_on)
        out << "fail-on = " << toml_quote(to_string(*settings.fail_on)) << "\n";
    else
        out << "# fail-on: not set, the command-line default applies\n";
    if (!settings.redact.empty()) {
        out << "redact = [";
        for (std::size_t i = 0; i < settings.redact.size(); ++i)
            out << (i ? ", " : "") << toml_quote(settings.redact[i]);
        out << "]\n";
    }
    // Cycles (README "Cycles and growth"): shown only when a file sets them; sizes in bytes.
    if (settings.warmup) out << "warmup = " << *settings.warmup << "\n";
    if (settings.growth_heap_tolerance)
        out << "growth-heap-tolerance = " << toml_quote(std::to_string(*settings.growth_heap_tolerance)) << "\n";
    if (settings.growth_rss_tolerance)
        out << "growth-rss-tolerance = " << toml_quote(std::to_string(*settings.growth_rss_tolerance)) << "\n";
}

void print_severity(const RuleSet& rules, std::ostream& out) {
    out << "\n[severity]\n";
    for (const KindInfo& info : k_kinds) {
        if (!info.ruled) continue;
        Kind kind = info.kind;
        out << info.name << " = " << toml_quote(to_string(rules.default_severity(kind))) << "  # from "
            << rules.severity_source(kind) << "\n";
    }
}

void print_rule(const Rule& rule, std::ostream& out) {
    out << "\n[[rule]]  # " << rule.file << "#" << rule.index << "\n";
    out << "kind = " << toml_quote(to_string(rule.kind)) << "\n";
    if (!rule.id.empty()) out << "id = " << toml_quote(rule.id) << "\n";
    for (const Matcher& m : rule.matchers) {
        bool number = (m.key == MatchKey::port && m.ports && m.ports->low == m.ports->high) ||
                      (m.key == MatchKey::tolerance && m.text.find_first_not_of("0123456789") == std::string::npos);
        out << to_string(m.key) << " = " << (number ? m.text : toml_quote(m.text)) << "\n";
    }
    out << "action = " << toml_quote(to_string(rule.action)) << "\n";
    if (!rule.reason.empty()) out << "reason = " << toml_quote(rule.reason) << "\n";
}

}  // namespace

void print_rule_set(const RuleSet& rules, std::ostream& out) {
    out << "# effective rules, merged from: <builtin>";
    for (const std::string& file : rules.files())
        out << ", " << file;
    out << "\n";
    print_settings(rules.settings(), out);
    print_severity(rules, out);
    if (rules.rules().empty()) out << "\n# no [[rule]] entries: every finding gets its kind's severity\n";
    for (const Rule& rule : rules.rules())
        print_rule(rule, out);
}

}  // namespace leakaudit
