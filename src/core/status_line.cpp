// Listening sockets are found by joining each process's socket descriptors to the socket
// table by inode, as the findings do (core/snapshot.hpp, SocketIndex).
#include "core/status_line.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/plural.hpp"
#include "core/redact.hpp"
#include "core/text_bytes.hpp"

namespace leakaudit {

namespace {

constexpr std::size_t k_command_chars = 60;
constexpr std::size_t k_names_shown = 3;

// Paths by their last part ("node harness.mjs leak-interval.mjs"): the line has little room.
std::string short_command(const std::vector<std::string>& command) {
    std::vector<std::string> args = Redactor().args(command);
    for (std::string& arg : args) {
        std::size_t slash = arg.rfind('/');
        bool path = slash != std::string::npos && slash + 1 < arg.size() && !arg.starts_with("-") &&
                    arg.find_first_of(" \t") == std::string::npos;
        if (path) arg = arg.substr(slash + 1);
    }
    std::string text = escape_for_terminal(join(args, " "));
    if (text.size() <= k_command_chars) return text;
    std::size_t cut = k_command_chars;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;  // not inside a character
    return text.substr(0, cut) + "…";
}

// "listening on 127.0.0.1:34307, [::]:8080": what any live process of the run listens on.
std::string listening(const RunNow& now) {
    SocketIndex index(now.sockets);
    std::set<std::string> seen;
    std::vector<std::string> where;
    for (const Process& p : now.processes) {
        for (const Descriptor& d : p.fds) {
            const Socket* s = d.type == FdType::socket ? index.find(d.inode) : nullptr;
            if (!s || s->state != "listen") continue;
            std::string at = s->path.empty() ? s->local : s->path;
            if (seen.insert(at).second) where.push_back(escape_for_terminal(at));
        }
    }
    if (where.empty()) return "";
    std::size_t shown = std::min(where.size(), k_names_shown);
    std::string text =
        "listening on " + join(std::vector<std::string>(where.begin(), where.begin() + static_cast<long>(shown)), ", ");
    if (where.size() > shown) text += " and " + std::to_string(where.size() - shown) + " more";
    return text;
}

// "2 live processes: 4250 sleep, 4251 node": the run's processes besides the harness.
std::string others(const RunNow& now) {
    std::vector<std::string> names;
    for (const Process& p : now.processes) {
        if (p.id.pid != now.harness_pid) names.push_back(std::to_string(p.id.pid) + " " + escape_for_terminal(p.name));
    }
    if (names.empty()) return "";
    std::size_t shown = std::min(names.size(), k_names_shown);
    std::string text = counted(static_cast<long long>(names.size()), "live process: ", "live processes: ") +
                       join(std::vector<std::string>(names.begin(), names.begin() + static_cast<long>(shown)), ", ");
    if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
    return text;
}

}  // namespace

std::string age_text(std::int64_t ms) {
    long long s = ms < 0 ? 0 : ms / 1000;
    char buf[32];
    if (ms < 1000)  // only with a test's short interval (LEAKAUDIT_STATUS_INTERVAL_MS)
        std::snprintf(buf, sizeof buf, "%lldms", ms < 0 ? 0LL : static_cast<long long>(ms));
    else if (s < 60)
        std::snprintf(buf, sizeof buf, "%llds", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, s % 3600 / 60);
    return buf;
}

std::string status_line(const RunNow& now) {
    std::string line = "leakaudit: still running after " + age_text(now.age_ms) + ": " + short_command(now.command) +
                       " (pid " + std::to_string(now.harness_pid) + ")";
    for (const std::string& part : {listening(now), others(now), kit_held_text(now.kit)}) {
        if (!part.empty()) line += " · " + part;
    }
    if (now.reported_handles > 0) line += " · " + counted(now.reported_handles, "handle") + " reported";
    line += now.timeout_left_ms ? " · killed at the timeout in " + age_text(*now.timeout_left_ms)
                                : std::string(" · no --timeout");
    return line;
}

}  // namespace leakaudit
