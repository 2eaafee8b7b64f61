// The report is first turned into plain test cases (harness, one per finding, one per
// clean kind), then written; counts in the suite's attributes come from the same list.
#include "core/plural.hpp"
#include "core/report_junit.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include "core/finding_name.hpp"
#include "core/guess.hpp"
#include "core/report_json.hpp"
#include "core/text_bytes.hpp"
#include "core/tmp_sites.hpp"

namespace leakaudit {

namespace {

constexpr std::size_t k_max_name_bytes = 120;

enum class Outcome { passed, failed, skipped };

struct TestCase {
    std::string classname;
    std::string name;
    std::int64_t time_ms = 0;
    Outcome outcome = Outcome::passed;
    std::string message;  // <failure message> or <skipped message>
    std::string type;     // <failure type>: the severity
    std::string details;  // the failure's text, or <system-out>
};

std::string seconds(std::int64_t ms) {
    ms = std::max<std::int64_t>(0, ms);
    std::string frac = std::to_string(ms % 1000);
    return std::to_string(ms / 1000) + "." + std::string(3 - frac.size(), '0') + frac;
}

// The first line of `text`, cut at a character boundary so a test name stays short.
std::string short_message(const std::string& text) {
    std::string line = to_display_utf8(text.substr(0, text.find('\n')));
    if (line.size() <= k_max_name_bytes) return line;
    std::size_t cut = k_max_name_bytes;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
        --cut;
    return line.substr(0, cut) + "…";
}

std::string rule_text(const Finding& f) {
    if (!f.rule) return "none (the default severity of " + to_string(f.kind) + ")";
    std::string text = f.rule->file + "#" + std::to_string(f.rule->index);
    if (!f.rule->id.empty()) text += " (" + f.rule->id + ")";
    if (!f.rule->reason.empty()) text += ": " + f.rule->reason;
    return text;
}

void add_line(std::string& out, const std::string& label, const std::string& value) {
    if (!value.empty()) out += label + ": " + value + "\n";
}

std::string process_details(const Finding& f) {
    std::string out;
    const Process& p = *f.process;
    std::string head = "pid " + std::to_string(p.id.pid) + " (" + p.name + "), ppid " + std::to_string(p.ppid);
    if (f.parent_in_run) head += ", started by " + std::to_string(*f.parent_in_run);
    if (!p.user.empty()) head += ", user " + p.user;
    if (p.started_at_ms > 0) head += ", started " + iso8601_utc(p.started_at_ms);
    add_line(out, "process", head);
    add_line(out, "exe", p.exe);
    add_line(out, "cmdline", quoted_command(p.cmdline));
    return out;
}

std::string socket_details(const Socket& s) {
    std::string text = s.proto + (s.state.empty() ? "" : " " + s.state);
    if (!s.local.empty()) text += " " + s.local;
    if (!s.remote.empty()) text += " -> " + s.remote;
    if (!s.path.empty()) text += " " + s.path;
    return "socket: " + text + "\n";
}

std::string fd_details(const Descriptor& d) {
    std::string text =
        std::to_string(d.fd) + " (" + to_string(d.type) + (d.anon_kind.empty() ? "" : " " + d.anon_kind) + ")";
    if (!d.target.empty()) text += " " + d.target;
    return "fd: " + text + "\n";
}

std::string tmp_details(const TmpEntry& t) {
    std::string text = t.path + " (" + to_string(t.type);
    if (t.type == EntryType::dir) text += ", " + counted(static_cast<long long>(t.entry_count), "entry", "entries");
    text += ", " + counted(static_cast<long long>(t.size), "byte") + ")";
    if (!t.link_target.empty()) text += " -> " + t.link_target;
    return "path: " + text + "\n";
}

// The Node kit's creation site and its frames, innermost first.
std::string site_details(const SourceSite& where) {
    std::string out;
    add_line(out, "site", where.site);
    add_line(out, "package", where.package);
    for (const StackFrame& f : where.stack) {
        out += "  at " + (f.function.empty() ? std::string() : f.function + " ") + "(" + f.file + ":" +
               std::to_string(f.line) + ":" + std::to_string(f.column) + ")" +
               (f.package.empty() ? "" : " [" + f.package + "]") + "\n";
    }
    return out;
}

// Everything a reader of a CI page needs to act on one finding, as plain lines.
std::string finding_details(const Finding& f) {
    std::string out;
    add_line(out, "id", f.id);
    add_line(out, "severity", to_string(f.severity));
    add_line(out, "message", f.message);
    add_line(out, "hint", f.hint);
    std::string guess = guess_note(f.attribution);
    add_line(out, "attribution", to_string(f.attribution) + (guess.empty() ? "" : " (" + guess + ")"));
    add_line(out, "rule", rule_text(f));
    if (f.process) out += process_details(f);
    if (f.socket) out += socket_details(*f.socket);
    if (f.fd) out += fd_details(*f.fd);
    if (f.owner_pid) add_line(out, "owner pid", std::to_string(*f.owner_pid));
    if (f.tmp) out += tmp_details(*f.tmp);
    if (f.made_at) {
        out += site_details(f.made_at->where);
        if (std::string by = made_by_text(*f.made_at); !by.empty()) out += by + "\n";
    }
    if (f.handle) {
        add_line(out, "handle", f.handle->type + (f.handle->detail.empty() ? "" : " " + f.handle->detail));
        out += site_details(f.handle->where);
    }
    if (f.listener) {
        add_line(out, "listener", f.listener->emitter + " '" + f.listener->event + "'");
        out += site_details(f.listener->where);
    }
    for (const HeldResource& r : f.resources)
        out += "  " + r.text + "\n";
    return out;
}

// Harness failures (Attribution::harness) belong to the harness test case; control
// channel warnings about the harness are findings of their own.
bool is_harness_outcome(const Finding& f) {
    return f.kind == Kind::harness && f.attribution == Attribution::harness;
}

std::string harness_status(const HarnessOutcome& h) {
    if (!h.started) return "could not start" + (h.start_error.empty() ? "" : ": " + h.start_error);
    if (h.timed_out) return "timed out and was killed";
    if (h.exit_timed_out) return "did not exit after stopped";
    if (h.signal) return "died of signal " + std::to_string(*h.signal);
    return "exited " + std::to_string(h.exit_code.value_or(0));
}

TestCase harness_case(const Report& r) {
    const std::string harness = to_string(Kind::harness);
    TestCase c{"leakaudit." + harness, harness, r.harness.duration_ms, Outcome::passed, "", harness, ""};
    c.details = "command: " + quoted_command(r.command) + "\n";
    if (r.harness.pid > 0) c.details += "pid: " + std::to_string(r.harness.pid) + "\n";
    if (r.attach)
        c.details += "outcome: attached to " + std::to_string(r.attach->host.pid) + " (" + r.attach->host_name +
                     "), ended by " + std::string(attach_end_name(r.attach->ended_by).text) + "\n";
    else
        c.details += "outcome: " + harness_status(r.harness) + (r.harness.sent_stopped ? " (said stopped)" : "") + "\n";
    std::vector<std::string> failures;
    for (const Finding& f : r.findings) {
        if (!is_harness_outcome(f)) continue;
        c.details += "\n" + finding_details(f);
        if (f.severity >= Severity::error) failures.push_back(f.message);
    }
    if (r.harness.failed() && failures.empty()) failures.push_back("the harness " + harness_status(r.harness));
    if (failures.empty()) return c;
    c.outcome = Outcome::failed;
    for (const std::string& m : failures)
        c.message += (c.message.empty() ? "" : "; ") + m;
    return c;
}

// The name is the id and a label without pids, ports or random suffixes, so CI keeps
// one history per leak (core/finding_name.hpp); the message with them is the failure's.
TestCase finding_case(const Finding& f, Severity fail_on) {
    TestCase c{"leakaudit." + to_string(f.kind),
               short_message(stable_name(f)),
               0,
               Outcome::passed,
               "",
               "",
               finding_details(f)};
    if (f.severity == Severity::ignore) {
        c.outcome = Outcome::skipped;
        c.message = "ignored by rule " + rule_text(f);
    } else if (f.severity >= fail_on) {
        c.outcome = Outcome::failed;
        c.message = (is_guess(f.attribution) ? "guess: " : "") + f.message;
        c.type = to_string(f.severity);
    }
    return c;
}

// One case stands for the findings of a kind left out of the report; it fails when
// any of them would have.
TestCase omitted_case(const Report& r, Kind kind, const std::map<Severity, int>& by_severity) {
    int n = omitted_count(r, kind);
    std::string text = counted(n, "more " + to_string(kind) + " finding") + " left out of the report";
    TestCase c{"leakaudit." + to_string(kind),      "… " + text, 0, Outcome::passed, "", "",
               text + " (counted in the summary)\n"};
    Severity worst = by_severity.rbegin()->first;
    if (worst != Severity::ignore && worst >= r.fail_on) {
        c.outcome = Outcome::failed;
        c.message = text;
        c.type = to_string(worst);
    }
    return c;
}

std::vector<TestCase> test_cases(const Report& r) {
    std::vector<TestCase> cases{harness_case(r)};
    for (const Finding& f : r.findings) {
        if (!is_harness_outcome(f)) cases.push_back(finding_case(f, r.fail_on));
    }
    for (const auto& [kind, by_severity] : r.omitted)
        cases.push_back(omitted_case(r, kind, by_severity));
    for (const KindInfo& kind : k_kinds) {
        if (kind.kind == Kind::harness) continue;  // the harness test case is its check
        if (kind.kind == Kind::growth && !r.cycles) continue;  // only a cycling run checks growth
        bool any = std::any_of(r.findings.begin(), r.findings.end(),
                               [&](const Finding& f) { return f.kind == kind.kind && f.severity != Severity::ignore; });
        if (!any) {
            cases.push_back(
                {"leakaudit." + std::string(kind.name), std::string(kind.clean_case), 0, Outcome::passed, "", "", ""});
        }
    }
    return cases;
}

std::string attr(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "=\"" + xml_escape(value, XmlContext::attribute) + "\"";
}

void write_case(const TestCase& c, std::ostream& out) {
    out << "    <testcase" << attr("classname", c.classname) << attr("name", c.name)
        << attr("time", seconds(c.time_ms));
    if (c.outcome == Outcome::passed && c.details.empty()) {
        out << "/>\n";
        return;
    }
    out << ">\n";
    if (c.outcome == Outcome::failed) {
        out << "      <failure" << attr("message", c.message) << attr("type", c.type) << ">"
            << xml_escape(c.details, XmlContext::text) << "</failure>\n";
    } else {
        if (c.outcome == Outcome::skipped) out << "      <skipped" << attr("message", c.message) << "/>\n";
        out << "      <system-out>" << xml_escape(c.details, XmlContext::text) << "</system-out>\n";
    }
    out << "    </testcase>\n";
}

struct Counts {
    std::size_t tests = 0, failures = 0, skipped = 0;
};

Counts count(const std::vector<TestCase>& cases) {
    Counts n{cases.size(), 0, 0};
    for (const TestCase& c : cases) {
        if (c.outcome == Outcome::failed) ++n.failures;
        if (c.outcome == Outcome::skipped) ++n.skipped;
    }
    return n;
}

std::string count_attrs(const Counts& n, std::int64_t duration_ms) {
    return attr("tests", std::to_string(n.tests)) + attr("failures", std::to_string(n.failures)) + attr("errors", "0") +
           attr("skipped", std::to_string(n.skipped)) + attr("time", seconds(duration_ms));
}

void write_properties(const Report& r, std::ostream& out) {
    auto property = [&](const char* name, const std::string& value) {
        out << "      <property" << attr("name", name) << attr("value", value) << "/>\n";
    };
    out << "    <properties>\n";
    property("leakaudit.version", r.version);
    property("leakaudit.run_id", r.run_id);
    property("leakaudit.command", quoted_command(r.command));
    property("leakaudit.fail_on", to_string(r.fail_on));
    property("leakaudit.exit_code", std::to_string(to_int(r.exit_code)));
    out << "    </properties>\n";
}

}  // namespace

void write_report_junit(const Report& report, std::ostream& out) {
    std::vector<TestCase> cases = test_cases(report);
    std::string counts = count_attrs(count(cases), report.duration_ms);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites" << attr("name", "leakaudit") << counts << ">\n";
    out << "  <testsuite" << attr("name", "leakaudit") << counts;
    if (report.started_at_ms > 0) out << attr("timestamp", iso8601_utc(report.started_at_ms));
    out << ">\n";
    write_properties(report, out);
    for (const TestCase& c : cases)
        write_case(c, out);
    out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace leakaudit
