// The page: a header with the verdict, the summary counts, the cycles' charts, the
// leaked process tree, the findings, and what was reaped, cleaned and could not be seen.
#include "core/report_html.hpp"
#include "core/finding_group.hpp"

#include "core/plural.hpp"
#include "core/report_html_parts.hpp"
#include "core/report_json.hpp"
#include "core/report_text.hpp"
#include "core/text_bytes.hpp"

namespace leakaudit {

namespace {

// Inline: the page loads nothing (its Content-Security-Policy allows inline styles only).
constexpr std::string_view k_style = R"css(
body{font:15px/1.45 system-ui,sans-serif;color:#1b1f24;background:#fff;margin:0 auto;max-width:72rem;padding:1rem 1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .6rem;border-bottom:1px solid #d0d7de}
h3{font-size:1.05rem;margin:1rem 0 .4rem}h4{font-size:1rem;margin:0 0 .3rem;font-weight:600}
code{font:13px/1.4 ui-monospace,monospace;background:#f3f4f6;padding:0 .2rem;border-radius:3px;word-break:break-all}
.verdict{display:inline-block;padding:.3rem .8rem;border-radius:4px;font-weight:700;color:#fff}
.verdict-ok{background:#1a7f37}.verdict-fail{background:#cf222e}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.8rem 0}
dl.meta dt,.finding dt{color:#57606a}dl.meta dd,.finding dd{margin:0}
table{border-collapse:collapse;margin:.4rem 0}th,td{border:1px solid #d0d7de;padding:.2rem .6rem;text-align:left}
td.num{text-align:right}.scroll{overflow-x:auto}th.warm{background:#eef1f4}
.finding{border:1px solid #d0d7de;border-left:4px solid #8c959f;border-radius:4px;padding:.6rem .8rem;margin:.5rem 0}
.finding dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0}
.finding.sev-error{border-left-color:#cf222e}.finding.sev-warning{border-left-color:#bf8700}
.finding.sev-info{border-left-color:#0969da}
.badge{display:inline-block;font-size:.75rem;font-weight:700;padding:0 .4rem;border-radius:3px;color:#fff;background:#8c959f;text-decoration:none}
.badge.sev-error{background:#cf222e}.badge.sev-warning{background:#9a6700}.badge.sev-info{background:#0969da}
ol.stack{margin:0;padding-left:1.4rem}ul.tree,ul.tree ul{list-style:none;padding-left:1.4rem;border-left:1px dashed #d0d7de}
ul.tree{padding-left:.4rem;border:0}ul.appeared{columns:3 14rem}ul.held{margin:.1rem 0 .4rem;color:#57606a;font-size:.9rem}
.dim,.omitted{color:#57606a}.site-group{border-left:2px solid #d0d7de;padding-left:.8rem;margin:.8rem 0}.clean{color:#1a7f37;font-weight:600}
figure.series{margin:1rem 0;border:1px solid #d0d7de;border-radius:4px;padding:.5rem}
svg.chart{max-width:100%;height:auto;font:12px system-ui,sans-serif}
svg.chart .chart-title{font-size:14px;font-weight:700;fill:#1b1f24}svg.chart .tick,svg.chart .axis-label{fill:#57606a}
svg.chart .grid{stroke:#eaeef2}svg.chart .axis{stroke:#57606a}svg.chart .warmup{fill:#eef1f4}
svg.chart .warmup-label{fill:#57606a;font-style:italic}svg.chart .line{fill:none;stroke:#0969da;stroke-width:2}
svg.chart .point{fill:#0969da;stroke:#fff;stroke-width:1.5}svg.chart .point[data-warmup]{fill:#8c959f}
)css";

std::string verdict_text(const Report& r, const Summary& s) {
    int failing = 0;
    for (const auto& [sev, n] : s.by_severity) {
        if (sev != Severity::ignore && sev >= r.fail_on) failing += n;
    }
    switch (r.exit_code) {
        case ExitCode::ok:
            return "clean: no finding at or above " + to_string(r.fail_on);
        case ExitCode::leaks:
            return "leaks: " + std::to_string(failing) + (failing == 1 ? " finding" : " findings") + " at or above " +
                   to_string(r.fail_on);
        case ExitCode::harness_failed:
            return "the harness failed";
        case ExitCode::usage:
            return "usage error";
        case ExitCode::internal:
            return "leakaudit could not finish its work";
    }
    return "";
}

std::string harness_text(const HarnessOutcome& h) {
    if (!h.started) return "could not start" + (h.start_error.empty() ? "" : ": " + h.start_error);
    std::string text;
    if (h.timed_out)
        text = "timed out";
    else if (h.exit_timed_out)
        text = "never exited after stopped";
    else if (h.signal)
        text = "died of signal " + std::to_string(*h.signal);
    else
        text = "exited " + std::to_string(h.exit_code.value_or(0));
    if (h.interrupted) text += " (leakaudit was interrupted)";
    return text + " in " + human_duration(h.duration_ms);
}

std::string meta(const std::string& name, const std::string& escaped) {
    return "<dt>" + name + "</dt><dd>" + escaped + "</dd>";
}

std::string header(const Report& r, const Summary& s) {
    bool ok = r.exit_code == ExitCode::ok;
    std::string out = "<header><h1>leakaudit report</h1><p><span class=\"verdict " +
                      std::string(ok ? "verdict-ok" : "verdict-fail") + "\" id=\"verdict\">" +
                      html_escape(verdict_text(r, s)) + " · exit " + std::to_string(to_int(r.exit_code)) +
                      "</span></p><dl class=\"meta\">";
    bool run = r.mode == ReportMode::run;
    out += meta("command", run ? "<code>" + html_escape(quoted_command(r.command)) + "</code> (leakaudit run)"
                               : "<code>leakaudit diff</code>");
    out += meta("exit code", std::to_string(to_int(r.exit_code)));
    if (run)
        out += meta("harness", html_escape("pid " + std::to_string(r.harness.pid) + ", " + harness_text(r.harness)));
    out += meta("duration", html_escape(human_duration(r.duration_ms)));
    out += meta("started", html_escape(iso8601_utc(r.started_at_ms)));
    if (!r.run_id.empty()) out += meta("run id", "<code>" + html_escape(r.run_id) + "</code>");
    out += meta("version", html_escape(r.version + (r.revision.empty() ? "" : " (" + r.revision + ")")));
    out += meta("fails on", html_escape(to_string(r.fail_on)) + " and above");
    if (r.node_kit.requested)
        out += meta("node kit", std::to_string(r.node_kit.processes) + " Node processes loaded it, " +
                                    std::to_string(r.node_kit.reports) + " reports");
    if (r.redacted) out += meta("secrets", "redacted as <code>***</code> (--no-redact shows them)");
    return out + "</dl></header>";
}

std::string summary_section(const Report& r, const Summary& s) {
    std::string out = "<section id=\"summary\"><h2>Summary</h2><table><thead><tr>";
    for (const char* name : {"errors", "warnings", "info", "ignored"})
        out += "<th scope=\"col\">" + std::string(name) + "</th>";
    out += "</tr></thead><tbody><tr>";
    for (int n : {s.count(Severity::error), s.count(Severity::warning), s.count(Severity::info), s.ignored})
        out += "<td class=\"num\">" + std::to_string(n) + "</td>";
    out += "</tr></tbody></table>";
    if (!s.by_kind.empty()) {
        std::string head, counts;
        for (const auto& [kind, n] : s.by_kind) {
            head += "<th scope=\"col\">" + html_escape(kind) + "</th>";
            counts += "<td class=\"num\">" + std::to_string(n) + "</td>";
        }
        out += "<table class=\"by-kind\"><thead><tr>" + head + "</tr></thead><tbody><tr>" + counts +
               "</tr></tbody></table>";
    }
    // As the text report's summary line: findings that share a call are one thing to fix.
    if (std::optional<std::size_t> sites = reported_sites(r))
        out += "<p class=\"sites\" id=\"sites\">from " + counted(static_cast<long long>(*sites), "site") +
               ": findings made below one call of your code are grouped under it</p>";
    return out + "</section>";
}

std::string list_section(const std::string& id, const std::string& title, const std::vector<std::string>& items) {
    if (items.empty()) return "";
    std::string out = "<section id=\"" + id + "\"><h2>" + title + "</h2><ul>";
    for (const std::string& item : items)
        out += "<li>" + item + "</li>";
    return out + "</ul></section>";
}

std::string after_sections(const Report& r) {
    std::vector<std::string> reaped, cleaned, warnings;
    for (const ReapedProcess& p : r.reaped)
        reaped.push_back("<code>" + std::to_string(p.pid) + " " + html_escape(p.name) + "</code>" +
                         (p.needed_kill ? " (needed SIGKILL)" : "") + (p.gone ? "" : " <strong>still there</strong>"));
    for (const std::string& path : r.cleaned)
        cleaned.push_back("<code>" + html_escape(path) + "</code>");
    for (const std::string& w : r.warnings)
        warnings.push_back(html_escape(w));
    return list_section("reaped", "Reaped processes", reaped) +
           list_section("cleaned", "Removed temp entries", cleaned) +
           list_section("warnings", "Notes: what could not be seen", warnings);
}

}  // namespace

std::string report_html(const Report& r) {
    Summary s = summarize(r);
    std::string title = "leakaudit: " + verdict_text(r, s) + " · exit " + std::to_string(to_int(r.exit_code));
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<meta name=\"generator\" content=\"leakaudit " +
        html_escape(r.version) + "\">\n<title>" + html_escape(title) + "</title>\n<style>" + std::string(k_style) +
        "</style>\n</head>\n<body>\n";
    out += header(r, s) + "\n<main>\n" + summary_section(r, s) + "\n" + html::cycles_section(r) + "\n" +
           html::process_tree_section(r) + "\n" + html::findings_section(r) + "\n" + after_sections(r) +
           "\n</main>\n</body>\n</html>\n";
    return out;
}

void write_report_html(const Report& report, std::ostream& out) {
    out << report_html(report);
}

}  // namespace leakaudit
