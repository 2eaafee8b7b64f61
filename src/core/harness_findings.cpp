// Each failure mode gets its own message and hint; ids depend on the mode and command
// only, so "the harness times out" is the same finding in every run.
#include "core/harness_findings.hpp"

#include "core/finding_id.hpp"
#include "core/peer_findings.hpp"

namespace leakaudit {

namespace {

Finding harness_error(const std::vector<std::string>& command, const std::string& mode, std::string message,
                      std::string hint) {
    Finding f;
    f.kind = Kind::harness;
    f.severity = Severity::error;
    f.attribution = Attribution::harness;
    std::vector<std::string> parts{mode};
    parts.insert(parts.end(), command.begin(), command.end());
    f.id = make_finding_id(Kind::harness, parts);
    f.message = std::move(message);
    f.hint = std::move(hint);
    return f;
}

}  // namespace

std::string signal_name(int signal) {
    static const char* const k_names[] = {"0",       "SIGHUP",  "SIGINT",  "SIGQUIT", "SIGILL",  "SIGTRAP",
                                          "SIGABRT", "SIGBUS",  "SIGFPE",  "SIGKILL", "SIGUSR1", "SIGSEGV",
                                          "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};
    if (signal > 0 && signal < 16) return k_names[signal];
    return "signal " + std::to_string(signal);
}

namespace {

// "kept alive by: a; b", or without the kit, the old guess.
std::string alive_text(const std::vector<std::string>& kept_alive_by) {
    if (kept_alive_by.empty()) return "something keeps it alive";
    std::string text = "kept alive by: ";
    for (std::size_t i = 0; i < kept_alive_by.size(); ++i)
        text += (i ? "; " : "") + kept_alive_by[i];
    return text;
}

// "; it held 3 × unix socket pair to child 4242 (sleep), tcp 127.0.0.1:8080 listen".
std::string held_text(const std::vector<HeldResource>& held, const char* verb) {
    std::string text;
    for (const std::string& what : counted_texts(held))
        text += (text.empty() ? std::string("; it ") + verb + " " : ", ") + what;
    return text;
}

// Interrupted: what the harness held when leakaudit got the signal, before passing it on.
std::string interrupted_text(const std::vector<HeldResource>& held, const std::vector<std::string>& kept_alive_by) {
    std::string text = kept_alive_by.empty() ? "" : "; " + alive_text(kept_alive_by);
    if (held.empty()) return text + "; it held no sockets, files or children then";
    return text + "; at that moment" + held_text(held, "held").substr(1);
}

std::string interrupted_hint(const std::vector<HeldResource>& held) {
    return held.empty() ? "leakaudit passed the interrupt on to the harness; nothing was held when it came"
                        : "leakaudit passed the interrupt on to the harness; what it held then is listed here: "
                          "whatever keeps it running (a server, a timer, a child) is what to close in onStop()";
}

bool has_arg(const std::vector<std::string>& command, const std::string& arg) {
    for (const std::string& a : command)
        if (a == arg) return true;
    return false;
}

std::string base_name(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

// A test runner that waits for every test file's process to exit: one file that leaks a
// timer or server blocks the run, and the files after it never run. Its force-exit flag
// makes each process report its leaks as it exits (README, "Node.js plugins").
std::string force_exit_hint(const std::vector<std::string>& command) {
    if (command.empty()) return "";
    std::string program = base_name(command.front());
    if ((program == "node" || program == "nodejs") && has_arg(command, "--test") &&
        !has_arg(command, "--test-force-exit"))
        return "; under node --test, add --test-force-exit so each test file reports its leaks as it exits and "
               "the files after it still run";
    for (const std::string& a : command) {
        std::string name = base_name(a);
        if (name == "jest" && !has_arg(command, "--forceExit"))
            return "; under Jest, add --forceExit so each worker reports its leaks as it exits";
        if (name == "mocha" && !has_arg(command, "--exit"))
            return "; under Mocha, add --exit so the process reports its leaks as it exits";
    }
    return "";
}

std::vector<Finding> harness_findings(const HarnessOutcome& o, const std::vector<std::string>& command,
                                      const std::vector<HeldResource>& still_held,
                                      const std::vector<std::string>& kept_alive_by) {
    std::vector<Finding> out;
    if (!o.started && o.start_failure == StartFailure::leakaudit) {
        out.push_back(harness_error(command, "start", "leakaudit could not start the harness: " + o.start_error,
                                    "leakaudit ran out of descriptors, processes or memory: raise the limits "
                                    "(ulimit -n, ulimit -u) or free memory; the harness is not at fault"));
        return out;
    }
    if (!o.started) {
        out.push_back(harness_error(command, "start", "the harness could not start: " + o.start_error,
                                    "check the command after `--`: it must exist and be executable"));
        return out;
    }
    if (o.timed_out) {
        std::string why = kept_alive_by.empty() ? "" : ": " + alive_text(kept_alive_by);
        bool ci = o.timeout.source == TimeoutSource::ci_default;
        std::string limit = ci ? describe_timeout(o.timeout) : "--timeout";
        out.push_back(harness_error(
            command, "timeout",
            "the harness did not finish before " + limit + " and was killed" + why + held_text(still_held, "held"),
            (ci ? "something keeps the harness alive (a server, a timer, a child it waits for); if it is just slow, "
                  "set --timeout or [settings] timeout"
                : "something keeps the harness alive (a server, a timer, a child it "
                  "waits for); raise --timeout only if it is just slow") +
                force_exit_hint(command)));
        out.back().resources = still_held;
    } else if (o.exit_timed_out) {
        out.push_back(harness_error(command, "exit",
                                    "the harness said stopped but did not exit after --exit-timeout: " +
                                        alive_text(kept_alive_by) + held_text(still_held, "still holds"),
                                    "close servers, clear intervals and timers, and end child processes "
                                    "in onStop(), so the event loop can exit"));
        out.back().resources = still_held;
    } else if (o.signal && o.interrupted) {
        out.push_back(harness_error(command, "signal",
                                    "the run was interrupted and the harness died of " + signal_name(*o.signal) +
                                        interrupted_text(still_held, kept_alive_by),
                                    interrupted_hint(still_held)));
        out.back().resources = still_held;
    } else if (o.signal) {
        out.push_back(harness_error(command, "signal", "the harness died of " + signal_name(*o.signal),
                                    "the harness crashed or was killed by another process; see its output above"));
    } else if (o.exit_code && *o.exit_code != 0) {
        out.push_back(harness_error(
            command, "exit-code",
            "the harness exited with status " + std::to_string(*o.exit_code) +
                (o.interrupted ? " after the run was interrupted" + interrupted_text(still_held, kept_alive_by) : ""),
            o.interrupted ? interrupted_hint(still_held) : "the harness's own tests failed; see its output above"));
        if (o.interrupted) out.back().resources = still_held;
    }
    return out;
}

Finding harness_warning(const std::string& message, const std::string& hint) {
    Finding f;
    f.kind = Kind::harness;
    f.severity = Severity::warning;
    f.attribution = Attribution::control_channel;
    f.id = make_finding_id(Kind::harness, {"warning", message});
    f.message = message;
    f.hint = hint;
    return f;
}

}  // namespace leakaudit
