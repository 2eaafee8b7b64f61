// The Node kit's records (kits/node/PROTOCOL.md): each Node process of the run writes
// JSON lines to its own file; this parses one file's text into plain values. Pure: the
// os reader hands it the bytes, bounded, and the decisions are unit-tested here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

// Why the kit wrote a report; see "Files: one per Node process" in PROTOCOL.md.
enum class KitReason { stopped, dump, exit };
// What the report is judged against: `started()`, or the kit's load.
enum class KitWindow { started, load };

std::string to_string(KitReason reason);
std::string to_string(KitWindow window);

struct KitHello {
    int pid = 0;
    int ppid = 0;
    std::vector<std::string> argv;
    std::string node;
    std::string cwd;
    std::int64_t loaded_at_ms = 0;
};

struct KitReport {
    int pid = 0;
    KitReason reason = KitReason::stopped;
    KitWindow window = KitWindow::started;
    std::int64_t at_ms = 0;
    std::vector<Handle> handles;
    std::vector<Listener> listeners;
};

// A temp folder the process made (a `tmp` record: fs.mkdtemp, or fs.mkdir directly in a
// temp folder), at its real path, with the call's site.
struct KitTmpRecord {
    int pid = 0;  // the Node process that made it
    std::string path;
    std::string call;  // "fs.promises.mkdtemp"
    std::int64_t at_ms = 0;
    SourceSite where;
};

// A child process the process spawned (a `child` record), with the spawn's site.
struct KitChildRecord {
    int parent_pid = 0;  // the Node process that spawned it
    int pid = 0;
    std::string file;  // the program's basename ("sh", "chromium")
    std::int64_t at_ms = 0;
    SourceSite where;
};

// One process's file: its hello (when the token matched) and its last report.
struct KitFile {
    std::optional<KitHello> hello;
    std::optional<KitReport> last_report;
    int reports = 0;
    std::vector<KitTmpRecord> tmp;         // creation records, in order (at most 1,000 each)
    std::vector<KitChildRecord> children;
    std::vector<std::string> problems;  // lines that were not records, said once each
};

// Parses a file's text. A file whose first line is not a `hello` with `token` is not the
// kit's (a stray file): `hello` stays empty and nothing else is read. A last line without
// its newline (the process died mid-write) is ignored. Never throws.
KitFile parse_kit_file(std::string_view text, std::string_view token);

// The first frame outside node_modules, relative to `cwd` when it is inside it: where an
// annotation points. Empty when every frame is a package's.
void locate_user_frame(SourceSite& where, const std::string& cwd);

// `run` preloads the kit by default when COMMAND's basename is a Node launcher: node,
// nodejs, npm, npx, pnpm or yarn. `--node` / `--no-node` override (`explicit_choice`).
bool node_kit_wanted(const std::vector<std::string>& command, std::optional<bool> explicit_choice);

// NODE_OPTIONS with `--require "<preload>"` first, keeping what the user had after it.
std::string node_options_with_kit(std::string_view existing, std::string_view preload);

// "LEAKAUDIT_KIT_TEMP=/tmp:/var/tmp:/work/scratch": the run's watched folders, where the
// kit records the temp folders a process makes (kits/node/PROTOCOL.md, "Creation
// records"). Separated by ':' as PATH is; a folder whose name has a ':' (or is empty) is
// left out, as it cannot be spelled there. Empty list, empty value: the kit records nothing.
std::string kit_temp_environment(const std::vector<std::string>& watched);

}  // namespace leakaudit
