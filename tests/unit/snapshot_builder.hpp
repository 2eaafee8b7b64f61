// Plain-data snapshots for unit tests of the core: no /proc, no processes.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/snapshot.hpp"

namespace leakaudit::test {

inline Process proc(int pid, std::uint64_t start, int ppid, std::vector<std::string> cmdline, int pgid = 0) {
    Process p;
    p.id = {pid, start};
    p.ppid = ppid;
    p.pgid = pgid ? pgid : pid;
    p.sid = p.pgid;
    p.name = cmdline.empty() ? "" : cmdline[0];
    p.cmdline = std::move(cmdline);
    p.state = 'S';
    p.user = "root";
    return p;
}

inline Snapshot snapshot(std::vector<Process> processes) {
    Snapshot s;
    s.processes = std::move(processes);
    return s;
}

// A temp entry as the walk reports it.
inline TmpEntry tmp_entry(const std::string& path, EntryType type, std::uint64_t inode, std::int64_t birth_ms = 1500,
                          std::uint64_t dev = 1) {
    TmpEntry e;
    e.path = path;
    e.type = type;
    e.dev = dev;
    e.inode = inode;
    e.birth_ms = birth_ms;
    return e;
}

// A snapshot that watched /tmp and found `entries` there.
inline Snapshot tmp_snapshot(std::vector<TmpEntry> entries) {
    Snapshot s;
    s.tmp = std::move(entries);
    s.watched = {"/tmp"};
    return s;
}

// A bare finding; the id defaults to "<kind>:00000000".
inline Finding finding(Kind kind, Severity severity, std::string id = "", std::string message = "") {
    Finding f;
    f.kind = kind;
    f.severity = severity;
    f.id = id.empty() ? to_string(kind) + ":00000000" : std::move(id);
    f.message = std::move(message);
    return f;
}

// The text of tests/fixtures/snapshots/NAME (snapshots written by earlier versions).
inline std::string snapshot_fixture(const std::string& name) {
    std::ifstream in(std::string(LEAKAUDIT_SOURCE_DIR) + "/tests/fixtures/snapshots/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("missing fixture " + name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace leakaudit::test
