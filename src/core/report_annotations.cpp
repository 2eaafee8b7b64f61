// A finding becomes one line: its level, a title naming kind and id, and a message that
// carries what a reader needs on the PR page: the leak, what it holds, the hint, the rule.
#include "core/report_annotations.hpp"
#include "core/plural.hpp"

#include "core/growth_findings.hpp"

#include "core/text_bytes.hpp"
#include "core/tmp_sites.hpp"

namespace leakaudit {

namespace {

const char* level(Severity severity) {
    switch (severity) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::info:
            return "notice";
        case Severity::ignore:
            break;
    }
    return nullptr;
}

std::string title(const Finding& f) {
    return "leakaudit: " + std::string(kind_info(f.kind).leaked) + " (" + f.id + ")";
}

std::string message(const Finding& f) {
    std::string text = f.message;
    if (const SourceSite* where = recorded_site(f); where && !where->site.empty()) text += "\nat " + where->site;
    if (std::string by = f.made_at ? made_by_text(*f.made_at) : ""; !by.empty()) text += "\n" + by;
    for (const HeldResource& r : f.resources)
        text += "\n  " + r.text;
    if (f.attribution != Attribution::none && f.kind != Kind::harness)
        text += "\nattributed by " + to_string(f.attribution);
    if (!f.hint.empty()) text += "\nhint: " + f.hint;
    if (f.rule) {
        text += "\nrule: " + (f.rule->id.empty() ? f.rule->file + "#" + std::to_string(f.rule->index) : f.rule->id);
        if (!f.rule->reason.empty()) text += ": " + f.rule->reason;
    }
    return text;
}

}  // namespace

void write_github_annotations(const Report& report, std::ostream& out) {
    for (const Finding& f : report.findings) {
        const char* command = level(f.severity);
        if (!command) continue;
        out << "::" << command;
        // A finding created in the user's source points at that line on the PR page.
        const SourceSite* where = recorded_site(f);
        std::optional<SiteLine> growth_site = f.growth ? site_line(f.growth->site) : std::nullopt;
        if (where && !where->user_file.empty()) {
            out << " file=" << escape_workflow_command(where->user_file, AnnotationPart::property);
            if (where->user_line > 0) out << ",line=" << where->user_line;
            out << ",";
        } else if (growth_site) {
            out << " file=" << escape_workflow_command(growth_site->file, AnnotationPart::property)
                << ",line=" << growth_site->line << ",";
        } else {
            out << " ";
        }
        out << "title=" << escape_workflow_command(title(f), AnnotationPart::property)
            << "::" << escape_workflow_command(message(f), AnnotationPart::message) << '\n';
    }
    for (const auto& [kind, by_severity] : report.omitted) {
        const char* command = level(by_severity.rbegin()->first);  // the most severe left out
        if (!command) continue;
        int n = omitted_count(report, kind);
        out << "::" << command << " title="
            << escape_workflow_command("leakaudit: " + std::string(kind_info(kind).leaked), AnnotationPart::property)
            << "::" << counted(n, "more " + to_string(kind) + " finding")
            << " left out of the report (counted in the summary)\n";
    }
}

}  // namespace leakaudit
