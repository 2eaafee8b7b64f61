// Findings are listed whole (the JSON report's fields, for people): a leaked process
// also appears in the tree, where it is drawn under the process that started it.
#include <map>
#include <set>

#include "core/finding_group.hpp"
#include "core/report_html.hpp"
#include "core/report_html_chart.hpp"
#include "core/report_html_parts.hpp"
#include "core/report_json.hpp"
#include "core/text_bytes.hpp"
#include "core/tmp_sites.hpp"

namespace leakaudit::html {

namespace {

const Severity k_severity_order[] = {Severity::error, Severity::warning, Severity::info, Severity::ignore};

// Anchors are by position in report.findings: unique even when two findings share an id.
std::string anchor(const Report& r, const Finding& f) {
    return "finding-" + std::to_string(&f - r.findings.data());
}

std::string tree_anchor(const Report& r, const Finding& f) {
    return "proc-" + std::to_string(&f - r.findings.data());
}

// One <dt>/<dd> pair; nothing when the value is empty.
std::string field(const std::string& name, const std::string& escaped_value) {
    if (escaped_value.empty()) return "";
    return "<dt>" + name + "</dt><dd>" + escaped_value + "</dd>";
}

std::string code(const std::string& text) {
    return text.empty() ? "" : "<code>" + html_escape(text) + "</code>";
}

std::string rule_text(const Finding& f) {
    if (!f.rule) return "none: the default severity of " + to_string(f.kind);
    std::string text = f.rule->file + "#" + std::to_string(f.rule->index);
    if (!f.rule->id.empty()) text += " (" + f.rule->id + ")";
    if (!f.rule->reason.empty()) text += ": " + f.rule->reason;
    return text;
}

std::string socket_text(const Socket& s) {
    std::string text = s.proto + (s.state.empty() ? "" : " " + s.state);
    if (!s.local.empty()) text += " " + s.local;
    if (!s.remote.empty()) text += " → " + s.remote;
    if (!s.path.empty()) text += " " + s.path;
    return text + " (inode " + std::to_string(s.inode) + ")";
}

std::string descriptor_text(const Descriptor& d) {
    std::string text = "fd " + std::to_string(d.fd) + " " + to_string(d.type) + " " + d.target;
    if (!d.anon_kind.empty()) text += " (" + d.anon_kind + ")";
    return text;
}

std::string tmp_text(const TmpEntry& t) {
    std::string text = to_string(t.type) + ", " + std::to_string(t.size) + " bytes";
    if (t.type == EntryType::dir) text += ", " + std::to_string(t.entry_count) + " entries";
    if (!t.link_target.empty()) text += ", → " + t.link_target;
    return text;
}

std::string stack_list(const SourceSite& where) {
    if (where.stack.empty()) return "";
    std::string out = "<ol class=\"stack\">";
    for (const StackFrame& fr : where.stack) {
        std::string text = (fr.function.empty() ? std::string("<anonymous>") : fr.function) + " " + fr.file + ":" +
                           std::to_string(fr.line) + ":" + std::to_string(fr.column);
        if (!fr.package.empty()) text += " [" + fr.package + "]";
        out += "<li><code>" + html_escape(text) + "</code></li>";
    }
    return out + "</ol>";
}

std::string site_fields(const SourceSite& where) {
    std::string out = field("created at", code(where.site));
    out += field("package", html_escape(where.package));
    if (!where.user_file.empty())
        out += field("in your code", code(where.user_file + ":" + std::to_string(where.user_line)));
    return out + field("stack", stack_list(where));
}

// A growth finding's verdict (README "Cycles and growth"). Written for any finding type,
// so this file builds with and without Finding::growth (core/growth.hpp's findings): when
// the fields are not there, the generic ones above say what there is.
template <class F>
std::string growth_fields(const F& f) {
    std::string out;
    if constexpr (requires {
                      f.growth->quantity;
                      f.growth->what;
                      f.growth->per_cycle;
                      f.growth->cycles_judged;
                      f.growth->rising;
                      f.growth->first;
                      f.growth->last;
                      f.growth->tolerance;
                      f.growth->appeared;
                      f.growth->site;
                  }) {
        if (!f.growth) return out;
        const auto& g = *f.growth;
        Series s;
        s.quantity = g.quantity;
        s.what = g.what;
        out += field("grows", html_escape(series_label(s) + ": " + change_text(s, g.per_cycle)));
        out += field("judged",
                     html_escape("rose in " + std::to_string(g.rising) + " of " + std::to_string(g.cycles_judged) +
                                 " judged cycles, from " + reading_text(s, g.first) + " to " + reading_text(s, g.last) +
                                 "; tolerance " + reading_text(s, g.tolerance) + " per cycle"));
        std::string appeared;
        for (const std::string& a : g.appeared)
            appeared += (appeared.empty() ? "" : ", ") + code(a);
        out += field("appeared", appeared);
        out += field("created at", code(g.site));
    }
    return out;
}

std::string kind_fields(const Report& r, const Finding& f) {
    std::string out;
    if (f.process) {
        out += field("process", code(std::to_string(f.process->id.pid) + " " + f.process->name) + " <a href=\"#" +
                                    tree_anchor(r, f) + "\">in the tree</a>");
        out += field("command", code(quoted_command(f.process->cmdline)));
    }
    if (f.socket) out += field("socket", code(socket_text(*f.socket)));
    if (f.fd) out += field("descriptor", code(descriptor_text(*f.fd)));
    if (f.owner_pid) out += field("held by pid", std::to_string(*f.owner_pid));
    if (f.tmp) {
        out += field("path", code(f.tmp->path));
        out += field("entry", html_escape(tmp_text(*f.tmp)));
    }
    if (f.made_at) {
        out += site_fields(f.made_at->where);
        out += field("created by", html_escape(made_by_text(*f.made_at)));
    }
    if (f.handle) {
        const Handle& h = *f.handle;
        out += field("handle", code(h.type) + (h.detail.empty() ? "" : " " + html_escape(h.detail)) + " ×" +
                                   std::to_string(h.count) + (h.ref ? ", ref'd" : ", unref'd"));
        out += site_fields(h.where);
    }
    if (f.listener) {
        const Listener& l = *f.listener;
        out += field("listener", code(l.emitter + " '" + l.event + "'") + " ×" + std::to_string(l.count));
        out += site_fields(l.where);
    }
    return out + growth_fields(f);
}

std::string finding_article(const Report& r, const Finding& f) {
    std::string sev = to_string(f.severity);
    std::string out = "<article class=\"finding sev-" + sev + "\" id=\"" + anchor(r, f) + "\">";
    out += "<h4><span class=\"badge sev-" + sev + "\">" + (f.severity == Severity::ignore ? "ignored" : sev) +
           "</span> " + html_escape(f.message) + "</h4><dl>";
    out += field("id", code(f.id));
    if (f.attribution != Attribution::none) out += field("attribution", html_escape(to_string(f.attribution)));
    out += field("rule", html_escape(rule_text(f)));
    out += kind_fields(r, f);
    out += field("hint", html_escape(f.hint));
    return out + "</dl></article>";
}

// Findings that share a user site (core/finding_group.hpp), as the text report groups
// them: each group once, in the severity section of its first member; its members are
// listed there and not again under their kinds. Ignored findings are never grouped.
struct SiteGroups {
    std::vector<FindingGroup> groups;
    std::vector<const Finding*> listed;
    std::set<const Finding*> grouped;
};

SiteGroups site_groups(const Report& r) {
    SiteGroups out;
    for (const Finding& f : r.findings) {
        if (f.severity != Severity::ignore) out.listed.push_back(&f);
    }
    out.groups = group_by_user_site(out.listed);
    for (const FindingGroup& g : out.groups) {
        for (std::size_t i : g.members)
            out.grouped.insert(out.listed[i]);
    }
    return out;
}

// "<code>plugins/leak-browser.mjs:5</code> — 7 leaks from one call", then each leak whole.
std::string site_group(const Report& r, const SiteGroups& sg, const FindingGroup& g) {
    std::string out = "<section class=\"site-group\" data-site=\"" + html_escape(g.site) + "\"><h3>" + code(g.site) +
                      " — " + std::to_string(g.members.size()) + " leaks from one call</h3>";
    for (std::size_t i : g.members)
        out += finding_article(r, *sg.listed[i]);
    return out + "</section>";
}

std::string site_groups_of(const Report& r, const SiteGroups& sg, Severity sev) {
    std::string out;
    for (const FindingGroup& g : sg.groups) {
        if (sg.listed[g.members.front()]->severity == sev) out += site_group(r, sg, g);
    }
    return out;
}

std::string kind_group(const Report& r, const SiteGroups& sg, Severity sev, Kind kind) {
    std::string items;
    int n = 0;
    for (const Finding& f : r.findings) {
        if (f.severity != sev || f.kind != kind || sg.grouped.count(&f)) continue;
        items += finding_article(r, f);
        ++n;
    }
    if (n == 0) return "";
    return "<section class=\"kind\" data-kind=\"" + to_string(kind) + "\"><h3>" + to_string(kind) +
           " <span class=\"n\">(" + std::to_string(n) + ")</span></h3>" + items + "</section>";
}

// A browser holds hundreds of descriptors: the first ones here, all of them in the JSON.
constexpr std::size_t k_max_held_lines = 50;

std::string held_list(const std::vector<HeldResource>& resources) {
    if (resources.empty()) return "";
    std::string out = "<ul class=\"held\">";
    for (std::size_t i = 0; i < resources.size() && i < k_max_held_lines; ++i)
        out += "<li>" + html_escape(resources[i].text) + "</li>";
    if (resources.size() > k_max_held_lines)
        out +=
            "<li>… and " + std::to_string(resources.size() - k_max_held_lines) + " more (all in the JSON report)</li>";
    return out + "</ul>";
}

struct Tree {
    std::map<int, std::vector<const Finding*>> children;
    std::vector<const Finding*> roots;
    std::set<const Finding*> drawn;
};

std::string process_node(const Report& r, Tree& tree, const Finding& f) {
    tree.drawn.insert(&f);
    const Process& p = *f.process;
    std::string sev = to_string(f.severity);
    std::string out = "<li id=\"" + tree_anchor(r, f) + "\"><div class=\"proc\"><strong>" + std::to_string(p.id.pid) +
                      " " + html_escape(p.name) + "</strong> <code>" + html_escape(quoted_command(p.cmdline)) +
                      "</code> <span class=\"dim\">user " + html_escape(p.user) + ", started " +
                      iso8601_utc(p.started_at_ms) + "</span> <a class=\"badge sev-" + sev + "\" href=\"#" +
                      anchor(r, f) + "\">" + (f.severity == Severity::ignore ? "ignored" : sev) + "</a></div>" +
                      held_list(f.resources);
    std::string kids;
    if (auto it = tree.children.find(p.id.pid); it != tree.children.end()) {
        // Each process is drawn once: a loop in parent_in_run (a reused pid) ends here.
        for (const Finding* k : it->second) {
            if (!tree.drawn.count(k)) kids += process_node(r, tree, *k);
        }
    }
    return out + (kids.empty() ? "" : "<ul>" + kids + "</ul>") + "</li>";
}

}  // namespace

std::string findings_section(const Report& r) {
    std::string out = "<section id=\"findings\"><h2>Findings</h2>";
    if (r.findings.empty())
        out += "<p class=\"clean\">No findings: the run left nothing behind that leakaudit saw.</p>";
    SiteGroups sg = site_groups(r);
    for (Severity sev : k_severity_order) {
        std::string groups = site_groups_of(r, sg, sev);
        for (const KindInfo& info : k_kinds)
            groups += kind_group(r, sg, sev, info.kind);
        if (groups.empty()) continue;
        std::string name = sev == Severity::ignore ? "ignored by rules" : to_string(sev);
        std::string body = "<h2 class=\"sev-" + to_string(sev) + "\">" + name + "</h2>" + groups;
        // Ignored findings are folded: a <details> needs no script to open.
        out += sev == Severity::ignore
                   ? "<details class=\"severity\" data-severity=\"ignore\"><summary>ignored by rules</summary>" +
                         groups + "</details>"
                   : "<section class=\"severity\" data-severity=\"" + to_string(sev) + "\">" + body + "</section>";
    }
    for (const KindInfo& info : k_kinds) {
        if (int n = omitted_count(r, info.kind))
            out += "<p class=\"omitted\">… " + std::to_string(n) + " more " + std::string(info.name) +
                   " findings left out of the report (counted in the summary)</p>";
    }
    return out + "</section>";
}

std::string process_tree_section(const Report& r) {
    Tree tree;
    std::set<int> pids;
    for (const Finding& f : r.findings) {
        if (f.kind == Kind::process && f.process) pids.insert(f.process->id.pid);
    }
    if (pids.empty()) return "";
    for (const Finding& f : r.findings) {
        if (f.kind != Kind::process || !f.process) continue;
        bool nested = f.parent_in_run && pids.count(*f.parent_in_run) && *f.parent_in_run != f.process->id.pid;
        (nested ? tree.children[*f.parent_in_run] : tree.roots).push_back(&f);
    }
    std::string under = r.mode == ReportMode::diff ? "new since the before snapshot"
                                                   : "under the harness, pid " + std::to_string(r.harness.pid);
    std::string out = "<section id=\"processes\"><h2>Leaked processes</h2><p class=\"dim\">" + html_escape(under) +
                      "</p><ul class=\"tree\">";
    for (const Finding* f : tree.roots)
        out += process_node(r, tree, *f);
    // Processes whose parents only lead to each other (a loop) have no root: drawn last.
    for (const Finding& f : r.findings) {
        if (f.kind == Kind::process && f.process && !tree.drawn.count(&f)) out += process_node(r, tree, f);
    }
    return out + "</ul></section>";
}

}  // namespace leakaudit::html
