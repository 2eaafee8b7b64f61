// Findings: what the audit reports. One finding per leaked resource; a leaked process
// carries the sockets and descriptors it holds, so one leaked server is one finding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit {

enum class Kind { process, socket, fd, tmp, handle, listener, harness };
// Ordered: a finding "at or above --fail-on" compares with >=.
enum class Severity { ignore, info, warning, error };

std::string to_string(Kind kind);
std::string to_string(Severity severity);
std::optional<Kind> parse_kind(std::string_view text);
std::optional<Severity> parse_severity(std::string_view text);
inline constexpr Kind k_all_kinds[] = {Kind::process, Kind::socket,   Kind::fd,     Kind::tmp,
                                       Kind::handle,  Kind::listener, Kind::harness};

// The rule that decided a finding's severity: where it was written and why.
struct RuleRef {
    std::string file;  // the rules file, or "<builtin>"
    int index = 0;     // 1-based position of the [[rule]] in that file
    std::string id;    // optional `id` the author gave it
    std::string reason;
};

// A socket or descriptor a leaked process still holds.
struct HeldResource {
    std::optional<Socket> socket;
    std::optional<Descriptor> fd;
    std::string text;  // "holds 127.0.0.1:41234 listening"
};

// One frame of a creation stack as the Node kit reports it (kits/node/PROTOCOL.md):
// `package` is set for frames inside node_modules.
struct StackFrame {
    std::string file;
    int line = 0;
    int column = 0;
    std::string function;
    std::string package;
};

// Where a handle or listener was created: the kit's one-line `site`, the package of its
// first frame, the frames, and the first frame in the user's own code (not node_modules),
// relative to the process's working folder, for annotations.
struct SourceSite {
    std::string site;
    std::string package;
    std::vector<StackFrame> stack;
    std::string user_file;
    int user_line = 0;

    bool empty() const { return site.empty() && stack.empty(); }
};

// An in-process resource: reported on the control channel, or by the Node kit (which
// also says whether it is ref'd, how many, and where it was created).
struct Handle {
    std::string type;
    std::string detail;
    bool ref = true;
    int count = 1;
    SourceSite where{};
};

// Listeners the plugin added to an emitter and left attached (the Node kit's records).
struct Listener {
    std::string emitter;  // the emitter's class: process, Server, EventEmitter, AbortSignal, …
    std::string event;
    int count = 1;
    SourceSite where{};
};

struct Finding {
    std::string id;
    Kind kind = Kind::process;
    Severity severity = Severity::error;
    std::string message;
    std::string hint;
    std::string attribution;  // descendant, run-id, creator-pid, held-open, time-window, harness…
    std::optional<RuleRef> rule;

    // kind == process
    std::optional<Process> process;
    std::optional<int> parent_in_run;  // pid of the run process (or harness) that started it
    std::vector<HeldResource> resources;

    // kind == socket / fd: what the harness holds at `stopped` that it did not at `started`
    std::optional<Socket> socket;
    std::optional<Descriptor> fd;
    std::optional<int> owner_pid;

    // kind == tmp
    std::optional<TmpEntry> tmp;

    // kind == handle
    std::optional<Handle> handle;

    // kind == listener
    std::optional<Listener> listener;

    // The severity this finding has when neither a rule nor a [severity] table decides
    // (a ref'd handle is an error, an unref'd one a warning); nullopt: the kind's default.
    std::optional<Severity> natural_severity;
};

}  // namespace leakaudit
