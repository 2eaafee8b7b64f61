// Findings: what the audit reports. One finding per leaked resource; a leaked process
// carries the sockets and descriptors it holds, so one leaked server is one finding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit {

enum class Kind { process, socket, fd, tmp, handle, harness };
// Ordered: a finding "at or above --fail-on" compares with >=.
enum class Severity { ignore, info, warning, error };

std::string to_string(Kind kind);
std::string to_string(Severity severity);
std::optional<Kind> parse_kind(std::string_view text);
std::optional<Severity> parse_severity(std::string_view text);
inline constexpr Kind k_all_kinds[] = {Kind::process, Kind::socket, Kind::fd, Kind::tmp, Kind::handle, Kind::harness};

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

// An in-process resource the harness reported on the control channel.
struct Handle {
    std::string type;
    std::string detail;
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
};

}  // namespace leakaudit
