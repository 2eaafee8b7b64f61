// Findings: what the audit reports. One finding per leaked resource; a leaked process
// carries the sockets and descriptors it holds, so one leaked server is one finding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cycles.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

enum class Kind { process, socket, fd, tmp, handle, listener, harness, growth };
// Ordered: a finding "at or above --fail-on" compares with >=.
enum class Severity { ignore, info, warning, error };

// Everything that differs between kinds, in one row per kind (in the enum's order, which
// the static_assert below checks): adding a kind is adding its enumerator and its row.
struct KindInfo {
    Kind kind;
    std::string_view name;        // in reports, ids and rules files
    Severity default_severity;    // before any [severity] or [[rule]] (README, "Rules")
    bool ruled;                   // rules may match it; harness findings carry their own severity
    std::string_view leaked;      // GitHub annotation titles: "leaked process"
    std::string_view clean_case;  // JUnit test case of a kind with no findings
};

inline constexpr KindInfo k_kinds[] = {
    {Kind::process, "process", Severity::error, true, "leaked process", "no leaked processes"},
    {Kind::socket, "socket", Severity::error, true, "leaked socket", "no leaked sockets"},
    {Kind::fd, "fd", Severity::warning, true, "leaked descriptor", "no leaked descriptors"},
    {Kind::tmp, "tmp", Severity::error, true, "leaked temp entry", "no leaked temp entries"},
    {Kind::handle, "handle", Severity::warning, true, "leaked handle", "no leaked handles"},
    {Kind::listener, "listener", Severity::warning, true, "leaked listener", "no leaked listeners"},
    {Kind::harness, "harness", Severity::error, false, "harness", "no harness problems"},
    {Kind::growth, "growth", Severity::error, true, "growth over cycles", "no growth over cycles"},
};
inline constexpr std::size_t k_kind_count = std::size(k_kinds);

constexpr bool kinds_in_enum_order() {
    for (std::size_t i = 0; i < k_kind_count; ++i) {
        if (static_cast<std::size_t>(k_kinds[i].kind) != i) return false;
    }
    return true;
}
static_assert(kinds_in_enum_order(), "k_kinds has one row per Kind, in the enum's order");

constexpr const KindInfo& kind_info(Kind kind) {
    return k_kinds[static_cast<std::size_t>(kind)];
}

// How a finding was tied to the run (README, "Attribution: what counts as the run's").
// --clean-tmp deletes only on `creator_pid`.
enum class Attribution {
    none,
    descendant,        // process below the harness or leakaudit (the subreaper)
    run_id,            // process carrying LEAKAUDIT_RUN_ID
    new_since_before,  // `diff`: new since BEFORE, no run to descend from
    held_by_pid,       // `diff --pid`: held by a given process
    creator_pid,       // temp entry created by a process of the run (fanotify + fork history)
    held_open,         // temp entry a process of the run holds open
    time_window,       // temp entry born during the run, by the harness's user
    checkpoint,        // socket/fd held at `stopped` that was not at `started`
    reported,          // handle the harness reported on the control channel
    harness,           // the harness itself failed
    control_channel,   // the harness misused the control channel
    node_kit,          // handle or listener the Node kit recorded in the harness
    cycles,            // a quantity grew over the harness's start/stop cycles
};

// The names reports use for each attribution: the only place they are spelled.
struct AttributionName {
    Attribution attribution;
    std::string_view name;
};
inline constexpr AttributionName k_attribution_names[] = {
    {Attribution::none, ""},
    {Attribution::descendant, "descendant"},
    {Attribution::run_id, "run-id"},
    {Attribution::new_since_before, "new-since-before"},
    {Attribution::held_by_pid, "held-by-pid"},
    {Attribution::creator_pid, "creator-pid"},
    {Attribution::held_open, "held-open"},
    {Attribution::time_window, "time-window"},
    {Attribution::checkpoint, "checkpoint"},
    {Attribution::reported, "reported"},
    {Attribution::harness, "harness"},
    {Attribution::control_channel, "control-channel"},
    {Attribution::node_kit, "node-kit"},
    {Attribution::cycles, "cycles"},
};

inline constexpr std::string_view k_severity_names[] = {"ignore", "info", "warning", "error"};

std::string to_string(Kind kind);
std::string to_string(Severity severity);
std::string to_string(Attribution attribution);
std::optional<Kind> parse_kind(std::string_view text);
std::optional<Severity> parse_severity(std::string_view text);
// The kinds rules may name ("process", "socket", …), in table order.
std::vector<std::string_view> ruled_kind_names();

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
    // What a hung harness holds: the run's process this ties it to (a pipe or socket pair
    // to that child, or the child itself); core/peer_findings.hpp.
    std::optional<int> child_pid = std::nullopt;
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

// A quantity that grew over the start/stop cycles (README "Cycles and growth"): the
// verdict of core/growth.hpp on one Series, and what made up the growth where known.
struct Growth {
    Quantity quantity = Quantity::descriptors;
    std::string what;                   // the series' sub-kind ("pipe", "process 'exit'"), or ""
    double per_cycle = 0;               // the trend: Theil–Sen slope over the judged readings
    int cycles_judged = 0;              // cycles after warm-up with both readings present
    int rising = 0;                     // of those, the cycles in which it rose
    std::int64_t first = 0;             // at the start of the judged cycles
    std::int64_t last = 0;              // at the last judged reading
    std::int64_t tolerance = 0;         // per cycle, in the quantity's unit
    std::vector<std::string> appeared;  // resources new during the judged cycles (bounded)
    long long more_appeared = 0;        // and how many more were left out
    std::string site;                   // where the newest was created (the kit's `site`)
};

// Where a temp entry was made, from the Node kit's creation records (core/tmp_sites.hpp):
// the fs call's site, or the spawn site of the child the kit saw spawned that (or whose
// descendant) made it; then `child_pid` is set, and `creator_pid` when a descendant did.
struct TmpSite {
    SourceSite where;
    std::optional<int> child_pid;    // the recorded child: it, or a descendant of it, made the entry
    std::string child_name;          // its program ("sh", "chromium")
    std::optional<int> creator_pid;  // a descendant of the child made it: that process
    std::string creator_name;        // its name, when it was still alive
};

struct Finding {
    std::string id;
    Kind kind = Kind::process;
    Severity severity = Severity::error;
    std::string message;
    std::string hint;
    Attribution attribution = Attribution::none;
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

    std::optional<TmpSite> made_at;  // kind == tmp: where it was made (the Node kit's records)
    // kind == handle
    std::optional<Handle> handle;

    // kind == listener
    std::optional<Listener> listener;

    // kind == growth
    std::optional<Growth> growth;

    // The severity this finding has when neither a rule nor a [severity] table decides
    // (a ref'd handle is an error, an unref'd one a warning); nullopt: the kind's default.
    std::optional<Severity> natural_severity;
};

// Where the Node kit saw the finding's resource made (a handle, a listener, a temp
// folder), or nullptr: every report format and the grouping read the site through this.
inline const SourceSite* recorded_site(const Finding& f) {
    if (f.handle) return &f.handle->where;
    if (f.listener) return &f.listener->where;
    if (f.made_at) return &f.made_at->where;
    return nullptr;
}

}  // namespace leakaudit
