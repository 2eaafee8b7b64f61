// Processes are drawn under their in-run parent (the harness at the root), so a leaked
// browser shows as one tree; other kinds follow as a flat list.
#include "core/report_text.hpp"
#include "core/duration.hpp"
#include "core/plural.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/cycles_text.hpp"
#include "core/finding_group.hpp"
#include "core/guess.hpp"
#include "core/text_bytes.hpp"
#include "core/tmp_sites.hpp"

namespace leakaudit {

namespace {

struct Painter {
    Color color;
    std::string paint(const char* code, const std::string& text) const {
        return color == Color::on ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
    }
    std::string severity(Severity s) const {
        switch (s) {
            case Severity::error:
                return paint("1;31", "error");
            case Severity::warning:
                return paint("1;33", "warning");
            case Severity::info:
                return paint("36", "info");
            case Severity::ignore:
                return paint("2", "ignored");
        }
        return "";
    }
    std::string dim(const std::string& text) const { return paint("2", text); }
    std::string bold(const std::string& text) const { return paint("1", text); }
};

std::string quoted_command(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) {
        if (!out.empty()) out += ' ';
        bool plain = !w.empty() && w.find_first_of(" \t\n'\"\\$&;|<>()*?") == std::string::npos;
        out += plain ? escape_for_terminal(w) : "'" + escape_for_terminal(w) + "'";
    }
    return out;
}

constexpr std::size_t k_max_resource_lines = 6;        // for a leaked tree's root (or a lone process)
constexpr std::size_t k_max_child_resource_lines = 3;  // for the helpers under it
constexpr std::size_t k_max_command_chars = 200;       // the JSON report has the whole command line

std::string shortened(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;  // not inside a character
    return text.substr(0, cut) + "…";
}

// What a leaked process holds, for people: listening sockets first, then other named
// sockets, then files; repeats folded ("×40"); at most a handful of lines, the rest
// counted (the JSON report has them all). A browser holds hundreds of descriptors.
std::vector<std::string> resource_lines(const std::vector<HeldResource>& resources, std::size_t max_lines) {
    auto rank = [](const HeldResource& r) {
        if (r.text.starts_with("spawned by the harness")) return 0;  // core/peer_findings
        if (r.socket && r.socket->state == "listen") return 0;
        if (r.text.starts_with("connected to the harness")) return 1;
        if (r.socket && (!r.socket->path.empty() || r.socket->proto != "unix")) return 1;
        // Program data under /usr and friends is read-only: rarely the interesting part.
        bool system_file = !r.socket && (r.text.starts_with("holds /usr/") || r.text.starts_with("holds /lib") ||
                                         r.text.starts_with("holds /etc/") || r.text.starts_with("holds /opt/"));
        if (!r.socket && !system_file) return 2;
        if (system_file) return 4;
        return 3;  // unnamed unix socket pairs: plumbing between a program's own processes
    };
    std::vector<std::pair<int, std::string>> ordered;
    std::map<std::string, int> count;
    for (const HeldResource& r : resources) {
        if (count[r.text]++ == 0) ordered.emplace_back(rank(r), r.text);
    }
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> lines;
    std::size_t hidden = 0;
    for (const auto& [r, text] : ordered) {
        int n = count[text];
        if (lines.size() >= max_lines) {
            hidden += static_cast<std::size_t>(n);
            continue;
        }
        lines.push_back(escape_for_terminal(text) + (n > 1 ? " ×" + std::to_string(n) : ""));
    }
    if (hidden) lines.push_back("… and " + std::to_string(hidden) + " more (all in the JSON report)");
    return lines;
}

// Which mode `run` read the machine in (README, "Performance: what a run costs").
std::string audit_line(const AuditState& a) {
    std::string why = a.reason == WalkReason::none ? "" : " (" + to_string(a.reason) + ")";
    switch (a.mode) {
        case AuditMode::events:
            return "audit: event-driven, only what the run created or forked was read";
        case AuditMode::walk:
            return "audit: full walks of the watched folders and the process table" + why;
        case AuditMode::walk_after_events:
            return "audit: event-driven, then a full read after" + why;
    }
    return "";
}

bool shown(const Finding& f, Verbosity v) {
    return f.severity != Severity::ignore || v == Verbosity::show_ignored;
}

class TextWriter {
public:
    TextWriter(const Report& r, std::int64_t now_ms, Painter p, Verbosity v, std::ostream& out)
        : m_report(r), m_now_ms(now_ms), m_p(p), m_verbosity(v), m_out(out) {}

    void write() {
        write_process_tree();
        write_findings();
        for (const KindInfo& info : k_kinds) {
            Kind kind = info.kind;
            if (int n = omitted_count(m_report, kind))
                m_out << "… " << n << " more " << to_string(kind) << (n == 1 ? " finding" : " findings")
                      << " left out of the report (counted in the summary)\n";
        }
        write_reaped();
        write_node_kit();
        if (m_report.mode == ReportMode::run) m_out << m_p.dim(audit_line(m_report.audit)) << '\n';
        for (const std::string& w : m_report.warnings)
            m_out << m_p.dim("note: " + escape_for_terminal(w)) << '\n';
    }

private:
    void write_process_tree() {
        std::map<int, std::vector<const Finding*>> children;
        std::set<int> pids;
        for (const Finding& f : m_report.findings) {
            if (f.kind == Kind::process && shown(f, m_verbosity)) pids.insert(f.process->id.pid);
        }
        if (pids.empty()) return;
        std::vector<const Finding*> roots;
        for (const Finding& f : m_report.findings) {
            if (f.kind != Kind::process || !shown(f, m_verbosity)) continue;
            if (f.parent_in_run && pids.count(*f.parent_in_run))
                children[*f.parent_in_run].push_back(&f);
            else
                roots.push_back(&f);
        }
        std::string under = m_report.mode == ReportMode::diff ? "  (new since the before snapshot)"
                            : m_report.attach
                                ? "  (created below " + std::to_string(m_report.attach->host.pid) + " " +
                                      escape_for_terminal(m_report.attach->host_name) + " during the watch)"
                                : "  (under harness " + quoted_command(m_report.command) + ", pid " +
                                      std::to_string(m_report.harness.pid) + ")";
        m_out << m_p.bold("leaked processes") << m_p.dim(under) << '\n';
        for (std::size_t i = 0; i < roots.size(); ++i)
            write_node(*roots[i], children, "", i + 1 == roots.size());
        m_out << '\n';
    }

    // Under a leaked parent, a child repeats neither the rule nor the hint they share:
    // killing the tree's root (and waiting for it) is the fix for the whole tree.
    void write_node(const Finding& f, const std::map<int, std::vector<const Finding*>>& children,
                    const std::string& prefix, bool last, const Finding* parent = nullptr) {
        const Process& p = *f.process;
        std::string branch = last ? "└─ " : "├─ ";
        std::string more = prefix + (last ? "   " : "│  ");
        std::string age = human_duration(elapsed_ms(m_now_ms, p.started_at_ms));
        m_out << prefix << branch << m_p.bold(std::to_string(p.id.pid) + " " + escape_for_terminal(p.name)) << "  "
              << shortened(quoted_command(p.cmdline), k_max_command_chars) << "  "
              << m_p.dim("age " + age + ", user " + p.user) << "  [" << m_p.severity(f.severity) << "] "
              << (is_guess(f.attribution) ? m_p.bold("guess") + " " : "") << m_p.dim(f.id) << '\n';
        if (is_guess(f.attribution)) m_out << more << "   " << m_p.dim(guess_note(f.attribution)) << '\n';
        std::size_t max_lines = parent ? k_max_child_resource_lines : k_max_resource_lines;
        for (const std::string& line : resource_lines(f.resources, max_lines))
            m_out << more << "   " << line << '\n';
        bool same_rule = parent && parent->rule && f.rule && parent->rule->file == f.rule->file &&
                         parent->rule->index == f.rule->index;
        if (!same_rule) write_rule(f, more + "   ");
        if (!parent || parent->hint != f.hint) write_hint(f, more + "   ");
        auto kids = children.find(p.id.pid);
        if (kids == children.end()) return;
        for (std::size_t i = 0; i < kids->second.size(); ++i) {
            write_node(*kids->second[i], children, more, i + 1 == kids->second.size(), &f);
        }
    }

    void write_rule(const Finding& f, const std::string& indent) {
        if (!f.rule) return;
        std::string where = f.rule->id.empty() ? f.rule->file + "#" + std::to_string(f.rule->index) : f.rule->id;
        m_out << indent << m_p.dim("rule " + where + (f.rule->reason.empty() ? "" : ": " + f.rule->reason)) << '\n';
    }

    void write_hint(const Finding& f, const std::string& indent) {
        if (!f.hint.empty() && f.severity != Severity::ignore) m_out << indent << m_p.dim("hint: " + f.hint) << '\n';
    }

    void write_rule_and_hint(const Finding& f, const std::string& indent) {
        write_rule(f, indent);
        write_hint(f, indent);
    }

    void write_flat(const Finding& f) {
        m_out << "[" << m_p.severity(f.severity) << "] " << m_p.bold(to_string(f.kind)) << "  "
              << (is_guess(f.attribution) ? m_p.bold("guess") + "  " : "") << escape_for_terminal(f.message) << "  "
              << m_p.dim(f.id) << '\n';
        write_site(f);
        if (f.growth && m_report.cycles) {
            for (const std::string& line : growth_table(*m_report.cycles, *f.growth))
                m_out << "   " << escape_for_terminal(line) << '\n';
        }
        if (f.attribution != Attribution::none && f.kind != Kind::harness) {
            std::string note = guess_note(f.attribution);
            m_out << "   "
                  << m_p.dim("attributed by " + to_string(f.attribution) + (note.empty() ? "" : " (" + note + ")"))
                  << '\n';
        }
        write_rule_and_hint(f, "   ");
    }

    // Findings that share a user site come under one heading at the place of the first
    // of them (core/finding_group.hpp); the others print flat, processes in the tree.
    void write_findings() {
        std::vector<const Finding*> listed;
        for (const Finding& f : m_report.findings) {
            if (shown(f, m_verbosity)) listed.push_back(&f);
        }
        std::vector<FindingGroup> groups = group_by_user_site(listed);
        std::map<std::size_t, std::size_t> group_of;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            for (std::size_t i : groups[g].members)
                group_of[i] = g;
        }
        std::set<std::size_t> written;
        for (std::size_t i = 0; i < listed.size(); ++i) {
            auto g = group_of.find(i);
            if (g == group_of.end()) {
                if (listed[i]->kind != Kind::process) write_flat(*listed[i]);
            } else if (written.insert(g->second).second) {
                write_group(groups[g->second], listed);
            }
        }
    }

    // "plugins/leak-browser.mjs:5 — 7 leaks from one call", then each leak in two or three
    // lines: what, the library frames between the call and the leak, the hint.
    void write_group(const FindingGroup& group, const std::vector<const Finding*>& listed) {
        m_out << m_p.bold(escape_for_terminal(group.site) + " — " + std::to_string(group.members.size()) +
                          " leaks from one call")
              << '\n';
        const Finding* previous = nullptr;
        for (std::size_t i : group.members) {
            const Finding& f = *listed[i];
            std::string what =
                f.kind == Kind::process && f.process
                    ? std::to_string(f.process->id.pid) + " " + f.process->name + ", in the leaked processes above"
                    : f.message;
            m_out << "  [" << m_p.severity(f.severity) << "] " << m_p.bold(to_string(f.kind)) << "  "
                  << (is_guess(f.attribution) ? m_p.bold("guess") + "  " : "") << escape_for_terminal(what) << "  "
                  << m_p.dim(f.id) << '\n';
            if (f.kind == Kind::process) continue;  // the tree has its lines
            std::string via = frames_before(f, group.site);
            if (!via.empty()) m_out << "     " << m_p.dim("via " + escape_for_terminal(via)) << '\n';
            if (std::string by = f.made_at ? made_by_text(*f.made_at) : ""; !by.empty())
                m_out << "     " << escape_for_terminal(by) << '\n';
            if (is_guess(f.attribution)) m_out << "     " << m_p.dim(guess_note(f.attribution)) << '\n';
            write_rule(f, "     ");
            if (!previous || previous->hint != f.hint) write_hint(f, "     ");
            previous = &f;
        }
    }

    // Where the Node kit saw the handle or listener created.
    void write_site(const Finding& f) {
        const SourceSite* where = recorded_site(f);
        if (!where || where->site.empty()) return;
        m_out << "   at " << escape_for_terminal(where->site) << '\n';
        // A temp entry a spawned child made: which child (core/tmp_sites.hpp).
        if (std::string by = f.made_at ? made_by_text(*f.made_at) : ""; !by.empty())
            m_out << "   " << escape_for_terminal(by) << '\n';
    }

    void write_node_kit() {
        const NodeKitStatus& kit = m_report.node_kit;
        if (!kit.requested) return;
        std::string text = kit.processes == 0
                               ? "node kit: requested, but no Node process of the run loaded it"
                               : "node kit: active in " + counted(kit.processes, "Node process", "Node processes") +
                                     ", " + counted(kit.reports, "report");
        m_out << m_p.dim(text) << '\n';
    }

    void write_reaped() {
        for (const std::string& path : m_report.cleaned)
            m_out << "removed " << escape_for_terminal(path) << '\n';
        if (m_report.reaped.empty()) return;
        std::string list;
        for (const ReapedProcess& p : m_report.reaped) {
            if (!list.empty()) list += ", ";
            list +=
                std::to_string(p.pid) + " (" + escape_for_terminal(p.name) + (p.needed_kill ? ", SIGKILL" : "") + ")";
        }
        m_out << "reaped " << m_report.reaped.size() << (m_report.reaped.size() == 1 ? " process: " : " processes: ")
              << list << '\n';
    }

    const Report& m_report;
    std::int64_t m_now_ms;
    Painter m_p;
    Verbosity m_verbosity;
    std::ostream& m_out;
};

std::string harness_status(const HarnessOutcome& h) {
    if (!h.started && h.start_failure == StartFailure::leakaudit) return "leakaudit could not start the harness";
    if (!h.started) return "harness could not start";
    if (h.timed_out && h.timeout.source == TimeoutSource::ci_default)
        return "harness timed out at the CI default timeout (" + duration_text(*h.timeout.value) + ")";
    if (h.timed_out) return "harness timed out";
    if (h.exit_timed_out) return "harness never exited after stopped";
    if (h.signal) return "harness died of signal " + std::to_string(*h.signal);
    return "harness exited " + std::to_string(h.exit_code.value_or(0));
}

std::string attach_status(const AttachOutcome& a) {
    return "attached to " + std::to_string(a.host.pid) + " (" + escape_for_terminal(a.host_name) + "), ended by " +
           std::string(attach_end_name(a.ended_by).text);
}

// Under CI=true a run that set no timeout gets one: the summary says so, so nobody is
// surprised by a kill (README "`run`, step by step").
std::string ci_timeout_note(const HarnessOutcome& h) {
    if (h.timed_out || h.timeout.source != TimeoutSource::ci_default || !h.timeout.value) return "";
    return " (CI default timeout " + duration_text(*h.timeout.value) + ")";
}

}  // namespace

std::string human_duration(std::int64_t ms) {
    char buf[32];
    if (ms < 1000)
        std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
    else if (ms < 60'000)
        std::snprintf(buf, sizeof buf, "%.2fs", static_cast<double>(ms) / 1000.0);
    else
        std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(ms / 60'000),
                      static_cast<long long>(ms % 60'000 / 1000));
    return buf;
}

// " · from 3 sites" when findings share user sites (core/finding_group.hpp): how many
// things there are to fix. Nothing when each finding is its own, or some were left out.
std::string sites_note(const Report& r) {
    std::optional<std::size_t> sites = reported_sites(r);
    return sites ? " · from " + counted(static_cast<long long>(*sites), "site") : "";
}

std::string summary_line(const Report& r) {
    Summary s = summarize(r);
    return counted(s.count(Severity::error), "error") + ", " + counted(s.count(Severity::warning), "warning") + ", " +
           std::to_string(s.count(Severity::info)) + " info, " + std::to_string(s.ignored) + " ignored" +
           sites_note(r) + " · " +
           (r.mode == ReportMode::diff ? std::string("diff")
            : r.attach                 ? attach_status(*r.attach) + " after " + human_duration(r.duration_ms)
                                       : harness_status(r.harness) + " in " + human_duration(r.harness.duration_ms) +
                             ci_timeout_note(r.harness)) +
           " · exit " + std::to_string(to_int(r.exit_code));
}

void write_report_text(const Report& report, std::int64_t now_ms, Color color, Verbosity verbosity, std::ostream& out) {
    Painter painter{color};
    if (verbosity != Verbosity::quiet) TextWriter(report, now_ms, painter, verbosity, out).write();
    const char* code = report.exit_code == ExitCode::ok ? "1;32" : "1;31";
    out << painter.paint(code, "leakaudit: ") << summary_line(report) << '\n';
}

}  // namespace leakaudit
