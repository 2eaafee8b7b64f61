// Merging rules files in load order and judging findings with the result.
#include "rules/rule_set.hpp"

#include "rules/match_keys.hpp"

namespace leakaudit {

namespace {

template <typename T>
void override_with(std::optional<T>& target, const std::optional<T>& value) {
    if (value) target = value;
}

}  // namespace

RuleSet RuleSet::builtin() {
    return RuleSet{};
}

void RuleSet::merge(const RuleFile& file) {
    override_with(m_settings.grace, file.settings.grace);
    override_with(m_settings.timeout, file.settings.timeout);
    override_with(m_settings.exit_timeout, file.settings.exit_timeout);
    override_with(m_settings.watch, file.settings.watch);
    override_with(m_settings.fail_on, file.settings.fail_on);
    override_with(m_settings.warmup, file.settings.warmup);
    override_with(m_settings.growth_heap_tolerance, file.settings.growth_heap_tolerance);
    override_with(m_settings.growth_rss_tolerance, file.settings.growth_rss_tolerance);
    // Redaction only grows: a later file cannot make an earlier file's secret visible.
    RedactPatterns& redact = m_settings.redact_patterns;
    const RedactPatterns& more = file.settings.redact_patterns;
    m_settings.redact.insert(m_settings.redact.end(), file.settings.redact.begin(), file.settings.redact.end());
    redact.names.insert(redact.names.end(), more.names.begin(), more.names.end());
    redact.regexes.insert(redact.regexes.end(), more.regexes.begin(), more.regexes.end());
    for (std::size_t kind = 0; kind < file.severity.size(); ++kind) {
        if (!file.severity[kind]) continue;
        m_severity[kind] = *file.severity[kind];
        m_severity_source[kind] = file.name;
    }
    m_rules.insert(m_rules.end(), file.rules.begin(), file.rules.end());
    m_files.push_back(file.name);
}

Severity RuleSet::default_severity(Kind kind) const {
    return m_severity[static_cast<std::size_t>(kind)];
}

const std::string& RuleSet::severity_source(Kind kind) const {
    return m_severity_source[static_cast<std::size_t>(kind)];
}

const Rule* RuleSet::match(const Finding& finding) const {
    for (const Rule& rule : m_rules) {
        if (rule_matches(rule, finding)) return &rule;
    }
    return nullptr;
}

void RuleSet::apply(std::vector<Finding>& findings) const {
    for (Finding& finding : findings) {
        if (!kind_info(finding.kind).ruled) continue;  // harness findings carry their own severity
        const Rule* rule = match(finding);
        bool table_set = severity_source(finding.kind) != "<builtin>";
        Severity fallback = table_set ? default_severity(finding.kind)
                                      : finding.natural_severity.value_or(default_severity(finding.kind));
        finding.severity = rule ? rule->action : fallback;
        finding.rule = rule ? std::optional(RuleRef{rule->file, rule->index, rule->id, rule->reason}) : std::nullopt;
    }
}

}  // namespace leakaudit
