// The effective rule set: kind severities, ordered [[rule]] entries (first match wins)
// and [settings] defaults. The pipeline asks it to judge each finding.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "rules/rule.hpp"
#include "rules/rule_settings.hpp"

namespace leakaudit {

class RuleSet {
public:
    // The built-in defaults: the contract's kind severities and no rules.
    static RuleSet builtin();

    // Layers one file on top: its settings and severities override, its rules append.
    void merge(const RuleFile& file);

    // Sets each finding's severity and rule: the first matching rule, else a [severity]
    // table's value for the kind, else the finding's natural severity, else the kind's
    // built-in default.
    void apply(std::vector<Finding>& findings) const;
    // The rule that decides `finding`, or nullptr when the kind's default does.
    const Rule* match(const Finding& finding) const;

    const RuleSettings& settings() const { return m_settings; }
    Severity default_severity(Kind kind) const;
    const std::vector<Rule>& rules() const { return m_rules; }
    // Where each setting/severity was last set (file name), for `rules check`; "<builtin>"
    // for defaults.
    const std::string& severity_source(Kind kind) const;
    const std::vector<std::string>& files() const { return m_files; }

private:
    RuleSettings m_settings;
    // Indexed by Kind: process, socket, fd, tmp, handle, listener, harness.
    Severity m_severity[7] = {Severity::error,   Severity::error,   Severity::warning, Severity::error,
                              Severity::warning, Severity::warning, Severity::error};
    std::array<std::string, 7> m_severity_source{"<builtin>", "<builtin>", "<builtin>", "<builtin>",
                                                 "<builtin>", "<builtin>", "<builtin>"};
    std::vector<Rule> m_rules;
    std::vector<std::string> m_files;  // merged files, in load order
};

}  // namespace leakaudit
