// Plain option structs the command line fills; each command is one function of its struct.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

// How findings are reported; shared by `run` and `diff`.
struct OutputOptions {
    std::optional<Severity> fail_on;
    std::string json_path;  // "-" for stdout
    std::string junit_path;
    std::string html_path;    // --html: one self-contained page (README "Reports")
    std::string annotations;  // "github", "none", or "" (github when GITHUB_ACTIONS=true)
    bool quiet = false;
    bool no_color = false;
    bool show_ignored = false;
    bool suggest_rules = false;
    bool no_redact = false;  // show secrets as they are (README, "Secrets in reports")

    // A report file (--json, --junit or --html) is `-`: standard output is that report's,
    // so the text report and the harness's own output go to standard error.
    bool report_on_stdout() const { return json_path == "-" || junit_path == "-" || html_path == "-"; }
};

struct RunOptions {
    std::vector<std::string> command;
    std::vector<std::string> rules;  // files or pack names, in order
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<std::chrono::milliseconds> grace;
    std::optional<std::chrono::milliseconds> exit_timeout;
    std::vector<std::string> watch;
    OutputOptions output;
    bool keep = false;
    bool clean_tmp = false;
    std::optional<bool> node;   // --node / --no-node; unset: on for node, npm, npx, … commands
    int cycles = 0;             // --cycles N: LEAKAUDIT_CYCLES=N for the harness; 0: not asked
    std::optional<int> warmup;  // --warmup W: cycles not judged (README "Cycles and growth")
};

}  // namespace leakaudit

namespace leakaudit {

struct SnapshotOptions {
    std::string output = "-";
    std::vector<int> pids;  // scan descriptors of these and their descendants only
    std::vector<std::string> watch;
    bool no_redact = false;
};

struct DiffOptions {
    std::string before;
    std::string after;  // empty: the live system now
    std::vector<int> pids;
    std::string user;
    std::vector<std::string> rules;
    std::vector<std::string> watch;
    OutputOptions output;
    bool reap = false;
};

// `leakaudit attach PID` (README, "Attach to a running host").
struct AttachOptions {
    int pid = 0;
    std::vector<std::string> rules;
    std::optional<std::chrono::milliseconds> grace;  // with --until-exit: what PID left may take to exit
    std::vector<std::string> watch;
    std::string control;  // FIFO to make for {"event":"started"|"stopped"}; empty: none
    OutputOptions output;
    bool until_exit = false;
    bool reap = false;
};

}  // namespace leakaudit
