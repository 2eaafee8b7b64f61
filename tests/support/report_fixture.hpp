// A report with a finding of every kind, a leaked process tree, and a cycled run whose
// descriptors grow by one per cycle: for the HTML report's unit tests and for the
// browser test's fixture page (tests/browser).
#pragma once

#include <string>

#include "core/report.hpp"

namespace leakaudit::test {

inline Process fixture_process(int pid, int ppid, std::vector<std::string> cmdline) {
    Process p;
    p.id = {pid, static_cast<std::uint64_t>(pid) * 100};
    p.ppid = ppid;
    p.name = cmdline.empty() ? "" : cmdline[0];
    p.cmdline = std::move(cmdline);
    p.user = "dev";
    p.started_at_ms = 1'790'000'000'000;
    return p;
}

inline Finding fixture_finding(Kind kind, Severity severity, const std::string& id, const std::string& message) {
    Finding f;
    f.kind = kind;
    f.severity = severity;
    f.id = id;
    f.message = message;
    f.hint = "stop what the plugin started in its stop()";
    return f;
}

// A finding of `kind` with the fields that kind carries.
inline Finding fixture_finding_of(Kind kind, int n) {
    std::string name(kind_info(kind).name);
    Finding f = fixture_finding(kind, kind_info(kind).default_severity, name + ":" + std::to_string(10000000 + n),
                                "leaked " + name + " number " + std::to_string(n));
    f.attribution = Attribution::checkpoint;
    switch (kind) {
        case Kind::process:
            f.process = fixture_process(500 + n, 1, {"sleep", "300"});
            f.attribution = Attribution::descendant;
            break;
        case Kind::socket:
            f.socket.emplace();
            f.socket->inode = 77;
            f.socket->proto = "tcp";
            f.socket->state = "listen";
            f.socket->local = "127.0.0.1:41234";
            f.owner_pid = 100;
            break;
        case Kind::fd:
            f.fd.emplace();
            f.fd->fd = 9;
            f.fd->type = FdType::pipe;
            f.fd->target = "pipe:[4242]";
            f.owner_pid = 100;
            break;
        case Kind::tmp:
            f.tmp.emplace();
            f.tmp->path = "/tmp/plugin-cache-1";
            f.tmp->type = EntryType::dir;
            f.tmp->size = 4096;
            f.tmp->entry_count = 3;
            f.attribution = Attribution::creator_pid;
            break;
        case Kind::handle: {
            Handle h{.type = "Timeout", .detail = "setInterval 1000ms", .count = 2};
            h.where.site = "src/plugin.mjs:41:5";
            StackFrame frame;
            frame.file = "src/plugin.mjs";
            frame.line = 41;
            frame.column = 5;
            frame.function = "start";
            h.where.stack = {frame};
            f.handle = h;
            f.attribution = Attribution::node_kit;
            break;
        }
        case Kind::listener: {
            Listener l{.emitter = "process", .event = "exit", .count = 3};
            l.where.site = "src/plugin.mjs:12:3";
            f.listener = l;
            f.attribution = Attribution::node_kit;
            break;
        }
        default:
            f.attribution = Attribution::harness;
            break;
    }
    return f;
}

inline Series fixture_series(Quantity q, std::string what, std::vector<std::int64_t> values) {
    Series s;
    s.quantity = q;
    s.what = std::move(what);
    s.values = std::move(values);
    return s;
}

// 10 cycles, 2 of them warm-up: pipes grow by one per cycle (two were opened in the
// first cycle, a cache), threads wobble, heap grows 1 MiB per cycle.
inline CycleRun fixture_cycles() {
    CycleRun c;
    c.requested = 10;
    c.warmup = 2;
    c.completed = 10;
    Series pipes = fixture_series(Quantity::descriptors, "pipe", {2, 5, 5, 6, 7, 8, 9, 10, 11, 12, 13});
    pipes.appeared.resize(pipes.values.size());
    for (std::size_t i = 3; i < pipes.appeared.size(); ++i)
        pipes.appeared[i] = {"pipe:[" + std::to_string(9000 + i) + "]"};
    c.series.push_back(pipes);
    c.series.push_back(fixture_series(Quantity::threads, "", {7, 11, 11, 11, 12, 11, 11, 11, 11, 11, 11}));
    std::vector<std::int64_t> heap;
    for (std::int64_t i = 0; i <= 10; ++i)
        heap.push_back(40 * 1024 * 1024 + i * 1024 * 1024);
    c.series.push_back(fixture_series(Quantity::heap_bytes, "", heap));
    return c;
}

inline Report fixture_report() {
    Report r;
    r.version = "0.1.0";
    r.revision = "abc1234";
    r.run_id = "la-fixture-run";
    r.command = {"node", "harness.mjs", "--plugin", "it's <fine>"};
    r.started_at_ms = 1'790'000'000'000;
    r.duration_ms = 12'345;
    r.harness.pid = 100;
    r.harness.started = true;
    r.harness.exit_code = 0;
    r.harness.duration_ms = 12'000;
    int n = 0;
    for (const KindInfo& info : k_kinds)
        r.findings.push_back(fixture_finding_of(info.kind, ++n));
    // A leaked tree: a browser (under the harness) and two helpers under it.
    Finding browser = fixture_finding(Kind::process, Severity::error, "process:20000001", "leaked chromium");
    browser.process = fixture_process(600, 100, {"chromium", "--headless"});
    browser.parent_in_run = 100;
    HeldResource port;
    port.text = "holds 127.0.0.1:9222 listening";
    browser.resources = {port};
    r.findings.push_back(browser);
    for (int pid : {601, 602}) {
        Finding helper = fixture_finding(Kind::process, Severity::warning, "process:2000" + std::to_string(pid),
                                         "leaked chromium helper");
        helper.process = fixture_process(pid, 600, {"chromium", "--type=renderer"});
        helper.parent_in_run = 600;
        r.findings.push_back(helper);
    }
    Finding ignored = fixture_finding(Kind::fd, Severity::ignore, "fd:30000001", "an ignored descriptor");
    ignored.rule = RuleRef{.file = "leakaudit.toml", .index = 2, .id = "log-file", .reason = "the log stays open"};
    r.findings.push_back(ignored);
    r.reaped = {{.pid = 600, .name = "chromium", .needed_kill = true, .gone = true}};
    r.cleaned = {"/tmp/plugin-cache-1"};
    r.warnings = {"/proc/1/fd: permission denied"};
    r.cycles = fixture_cycles();
    r.exit_code = ExitCode::leaks;
    return r;
}

}  // namespace leakaudit::test
