// Ids hash the finding's type and creation site with run-specific parts folded (ports,
// pids, mkdtemp names), never addresses: the same leak has the same id in every run.
#include "core/node_kit_findings.hpp"

#include "core/finding_id.hpp"

namespace leakaudit {

namespace {

constexpr std::size_t k_max_kept_alive = 5;
constexpr std::int64_t k_clock_slack_ms = 1000;  // start ticks are coarse (jiffies)

std::string when(KitReason reason) {
    switch (reason) {
        case KitReason::stopped:
            return "after the plugin stopped";
        case KitReason::dump:
            return "when the harness hung";
        case KitReason::exit:
            return "when its process exited";
    }
    return "";
}

// Which Node process, when it is not the harness itself (a test runner's worker).
std::string in_process(const KitProcess& p) {
    if (p.is_harness) return "";
    std::string argv;
    for (std::size_t i = 1; i < p.hello.argv.size(); ++i)
        argv += (argv.empty() ? "" : " ") + p.hello.argv[i];
    if (argv.size() > 80) argv = argv.substr(0, 80) + "…";
    return " in Node process " + std::to_string(p.hello.pid) + (argv.empty() ? "" : " (" + argv + ")");
}

// A noun for what a resource type is, for people ("server", "child process").
std::string noun_of(const std::string& type) {
    if (type == "TCPServerWrap" || type == "PipeServerWrap") return "server";
    if (type == "TCPWRAP" || type == "PipeWrap" || type == "TTYWrap" || type == "UDPWRAP") return "socket";
    if (type == "ProcessWrap") return "child process";
    if (type == "FSEventWrap" || type == "StatWatcher") return "watcher";
    if (type == "SignalWrap") return "signal handler";
    if (type == "Worker") return "worker thread";
    if (type == "MessagePort") return "message port";
    if (type == "Immediate") return "setImmediate";
    if (type == "Timeout") return "timer";
    return type;
}

// A detail as a message shows it: a child's whole command line (Chromium's is ~1,000
// characters) is cut at k_max_shown_detail bytes, on a character boundary; the JSON
// report keeps it whole in `detail`.
constexpr std::size_t k_max_shown_detail = 120;
std::string shown_detail(const std::string& detail) {
    if (detail.size() <= k_max_shown_detail) return detail;
    std::size_t cut = k_max_shown_detail;
    while (cut > 0 && (static_cast<unsigned char>(detail[cut]) & 0xC0) == 0x80)
        --cut;
    return detail.substr(0, cut) + "…";
}

std::string label_of(const Handle& h) {
    std::string noun = noun_of(h.type);
    if (h.detail.empty()) return noun;
    std::string detail = shown_detail(h.detail);
    // "child pid 4242: sleep 300" names itself: not "child process child pid …"
    if (h.type == "Timeout" || h.detail.starts_with(noun) ||
        (h.type == "ProcessWrap" && h.detail.starts_with("child ")))
        return detail;
    return noun + " " + detail;
}

std::string location_of(const SourceSite& where) {
    if (!where.user_file.empty()) return where.user_file + ":" + std::to_string(where.user_line);
    return where.site.substr(0, where.site.find(" ← "));
}

std::string site_key(const SourceSite& where) {
    return stable_command_key({where.site});
}

std::string handle_hint(const Handle& h) {
    const std::string& t = h.type;
    std::string fix;
    if (t == "Timeout")
        fix = "clear the timer in onStop() (clearInterval/clearTimeout; a cron job: task.stop())";
    else if (t == "Immediate")
        fix = "clear it in onStop() (clearImmediate)";
    else if (t == "TCPServerWrap" || t == "PipeServerWrap")
        fix = "close the server in onStop() (await server.close(), and end its open connections)";
    else if (t == "TCPWRAP" || t == "PipeWrap" || t == "UDPWRAP")
        fix = "end or destroy the socket (and its pool/agent) in onStop()";
    else if (t == "ProcessWrap")
        fix = "kill the child in onStop() and wait for its 'exit'";
    else if (t == "FSEventWrap" || t == "StatWatcher")
        fix = "close the watcher in onStop() (watcher.close(), fs.unwatchFile)";
    else if (t == "SignalWrap")
        fix = "remove the signal listener in onStop() (process.off(signal, handler))";
    else if (t == "Worker")
        fix = "terminate the worker in onStop() (await worker.terminate())";
    else if (t == "MessagePort")
        fix = "close the port in onStop() (port.close())";
    else if (t.starts_with("FSReq") || t == "GetAddrInfoReqWrap")
        fix = "await the pending request before onStop() resolves";
    else
        fix = "release it in onStop()";
    return h.ref ? fix + ": it keeps the event loop alive" : fix + " (it is unref'd, but it still runs after stop)";
}

std::string listener_hint(const Listener& l) {
    if (l.emitter == "process")
        return "remove the listener in onStop() (process.off('" + l.event +
               "', handler)): process listeners outlive every plugin and pile up on each restart";
    if (l.emitter == "AbortSignal" || l.emitter == "EventTarget")
        return "remove the listener in onStop() (removeEventListener), or add it with { once: true } or a { signal } "
               "you abort in onStop()";
    return "remove the listener in onStop() (emitter.off('" + l.event +
           "', handler)), or add it with events.on(emitter, …, { signal }) and abort that signal in onStop()";
}

Finding handle_finding(const Handle& h, const KitProcess& p) {
    Finding f;
    f.kind = Kind::handle;
    f.handle = h;
    f.attribution = Attribution::node_kit;
    std::string label = h.detail.empty() ? h.type : shown_detail(h.detail) + " (" + h.type + ")";
    f.message = label + (h.count > 1 ? " ×" + std::to_string(h.count) : "") + (h.ref ? "" : ", unref'd,") +
                " still alive " + when(p.report.reason) + in_process(p);
    f.hint = handle_hint(h);
    f.owner_pid = p.hello.pid;  // the Node process that holds it (a test file's, under a runner)
    f.natural_severity = h.ref ? Severity::error : Severity::warning;
    std::string where = h.where.empty() ? stable_command_key({h.detail}) : site_key(h.where);
    f.id = make_finding_id(Kind::handle, {h.type, where});
    return f;
}

Finding listener_finding(const Listener& l, const KitProcess& p) {
    Finding f;
    f.kind = Kind::listener;
    f.listener = l;
    f.attribution = Attribution::node_kit;
    f.message = l.emitter + " listener for '" + l.event + "'" + (l.count > 1 ? " ×" + std::to_string(l.count) : "") +
                " still attached " + when(p.report.reason) + in_process(p);
    f.hint = listener_hint(l);
    f.natural_severity = is_process_lifetime_event(l.emitter, l.event) ? Severity::error : Severity::warning;
    f.id = make_finding_id(Kind::listener, {l.emitter, l.event, site_key(l.where)});
    return f;
}

}  // namespace

bool is_process_lifetime_event(const std::string& emitter, const std::string& event) {
    if (emitter != "process") return false;
    return event == "exit" || event == "beforeExit" || event == "uncaughtException" || event == "unhandledRejection" ||
           event.starts_with("SIG");
}

std::vector<Finding> kit_findings(const std::vector<KitProcess>& processes) {
    std::vector<Finding> findings;
    for (const KitProcess& p : processes) {
        for (const Handle& h : p.report.handles)
            findings.push_back(handle_finding(h, p));
        for (const Listener& l : p.report.listeners)
            findings.push_back(listener_finding(l, p));
    }
    disambiguate_ids(findings);
    return findings;
}

std::vector<std::string> kept_alive_by(const std::vector<KitProcess>& processes) {
    std::vector<std::string> out;
    std::size_t more = 0;
    for (const KitProcess& p : processes) {
        for (const Handle& h : p.report.handles) {
            if (!h.ref) continue;
            if (out.size() == k_max_kept_alive) {
                ++more;
                continue;
            }
            std::string where = location_of(h.where);
            out.push_back(label_of(h) + (h.count > 1 ? " ×" + std::to_string(h.count) : "") +
                          (where.empty() ? "" : " at " + where));
        }
    }
    if (more) out.push_back(std::to_string(more) + " more");
    return out;
}

bool kit_file_counts(const KitHello& hello, const KitOrigin& origin, std::int64_t run_started_ms) {
    if (origin.is_harness) return true;
    if (origin.start_ms) {
        return *origin.start_ms + k_clock_slack_ms >= run_started_ms &&
               (hello.loaded_at_ms == 0 || *origin.start_ms <= hello.loaded_at_ms + k_clock_slack_ms);
    }
    if (origin.fork_history) return origin.forked_in_run;
    return true;
}

}  // namespace leakaudit
