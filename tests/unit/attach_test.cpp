// The decisions of `leakaudit attach` on plain data (core/attach): which processes were
// created below the host during the watch, which temp entries are its tree's, what
// --reap may end, and how reports mark guesses and name the host.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/attach.hpp"
#include "core/checkpoint_findings.hpp"
#include "core/diff.hpp"
#include "core/guess.hpp"
#include "core/report_junit.hpp"
#include "core/report_text.hpp"
#include "core/tmp_findings.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

constexpr int k_host = 100;

AttachScope scope_with_tree(std::set<ProcessId> tree = {}) {
    AttachScope s;
    s.host = {k_host, 50};
    s.host_pgid = k_host;
    s.host_tree = std::move(tree);
    return s;
}

ForkHistory history(std::initializer_list<std::pair<const int, int>> forks) {
    ForkHistory h;
    h.available = true;
    h.forked_by = forks;
    return h;
}

std::vector<int> pids(const std::vector<RunProcess>& run) {
    std::vector<int> out;
    for (const RunProcess& rp : run)
        out.push_back(rp.process->id.pid);
    return out;
}

Finding process_finding(const Process& p) {
    Finding f = finding(Kind::process, Severity::error);
    f.process = p;
    f.attribution = Attribution::descendant;
    return f;
}

}  // namespace

TEST_CASE("attach: new processes below the host are its, neighbours, the host and its old tree are not", "[attach]") {
    Process host = proc(k_host, 50, 1, {"node", "host.mjs"});
    Process worker = proc(101, 60, k_host, {"node", "worker.js"});  // ran below the host before the watch
    Process neighbour_old = proc(200, 40, 1, {"sh"});
    Snapshot before = snapshot({host, worker, neighbour_old});
    Snapshot after =
        snapshot({host, worker, neighbour_old, proc(300, 500, k_host, {"sleep", "300"}, k_host),  // the plugin's child
                  proc(301, 510, 101, {"sleep", "301"}),                                          // the worker's child
                  proc(302, 520, 200, {"sleep", "1"}),                                            // the neighbour's
                  proc(303, 530, 1, {"daemon"})});                                                // re-parented orphan
    AttachScope scope = scope_with_tree({worker.id});

    SECTION("without the fork history, ancestry in the table decides") {
        CHECK(pids(attach_processes(before, after, scope, ForkHistory{})) == std::vector<int>{300, 301});
    }
    SECTION("the fork history finds the orphan the table lost") {
        ForkHistory forks = history({{300, k_host}, {303, 300}, {k_host, 0}, {101, 0}});
        CHECK(pids(attach_processes(before, after, scope, forks)) == std::vector<int>{300, 301, 303});
    }
    SECTION("a pid the run used and a neighbour reused is not trusted from the history") {
        ForkHistory forks = history({{303, 300}});
        forks.ambiguous.insert(303);
        CHECK(pids(attach_processes(before, after, scope, forks)) == std::vector<int>{300, 301});
    }
    SECTION("lost process events: the history is not trusted at all") {
        ForkHistory forks = history({{303, 300}});
        forks.lost_events = true;
        CHECK(pids(attach_processes(before, after, scope, forks)) == std::vector<int>{300, 301});
    }
    SECTION("a child whose parent's pid was reused (it started before that parent) is not below the host") {
        Snapshot reused = snapshot({host, proc(400, 10, k_host, {"old"})});
        CHECK(attach_processes(snapshot({}), reused, scope, ForkHistory{}).empty());
        Snapshot younger_host = snapshot({proc(k_host, 900, 1, {"node"}), proc(400, 500, k_host, {"x"})});
        CHECK(attach_processes(snapshot({}), younger_host, scope, ForkHistory{}).empty());
    }
}

TEST_CASE("attach: process findings name the host and a child in its group gets the child hint", "[attach]") {
    Process host = proc(k_host, 50, 1, {"node"}, 7);  // not its group's leader
    Process child = proc(300, 500, k_host, {"sleep", "300"}, 7);
    Snapshot after = snapshot({host, child});
    AttachScope scope = scope_with_tree();
    scope.host_pgid = 7;
    std::vector<RunProcess> run{{&after.processes[1], Attribution::descendant}};
    std::vector<Finding> f = attach_process_findings(run, after, scope, "node", {});
    REQUIRE(f.size() == 1);
    CHECK(f[0].message == "process 300 (sleep) is still running: created below 100 (node) during the watch");
    CHECK(f[0].hint.find("a child process outlived stop()") == 0);
    CHECK(f[0].parent_in_run == k_host);
}

TEST_CASE("attach: temp entries its tree created are its, a neighbour's are not, and held ones count",
          "[attach][tmp]") {
    Process host = proc(k_host, 50, 1, {"node"});
    Snapshot before = snapshot({host});
    before.watched = {"/w"};
    Snapshot after = before;
    Descriptor held{5, FdType::file, "/w/held.log", 9, "", 0};
    after.processes[0].fds = {held};
    after.tmp = {TmpEntry{"/w/plugin-1", EntryType::dir, 1, 1, 0, 0, 1, 1000, ""},
                 TmpEntry{"/w/neighbour-7", EntryType::file, 1, 2, 0, 2, 0, 1000, ""},
                 TmpEntry{"/w/held.log", EntryType::file, 1, 9, 0, 2, 0, 1000, ""}};
    AttachScope scope = scope_with_tree();
    WatchRecord record;
    record.forks = history({{k_host, 0}});
    record.watched = {"/w"};
    record.complete = true;
    record.created = {CreatedEntry{"/w/plugin-1", k_host, 50, true, EntryIdentity{1, 1}},
                      CreatedEntry{"/w/neighbour-7", 999, 5, false, EntryIdentity{1, 2}},
                      CreatedEntry{"/w/held.log", 998, 5, false, EntryIdentity{1, 9}}};
    std::vector<RunProcess> holders = temp_holders(after, scope, {});
    REQUIRE(holders.size() == 1);
    TmpEvidence evidence = tmp_evidence(record, holders, after);
    std::vector<Finding> found = tmp_findings(before, after, evidence);
    REQUIRE(found.size() == 2);  // not the neighbour's file
    CHECK(found[0].tmp->path == "/w/plugin-1");
    CHECK(found[0].attribution == Attribution::creator_pid);
    CHECK(found[1].tmp->path == "/w/held.log");  // another's file, but the host holds it open
    CHECK(found[1].attribution == Attribution::held_open);

    SECTION("without a creation watch, a held entry is exact and the rest are guesses by the host's user") {
        TmpEvidence fallback = tmp_evidence(WatchRecord{}, holders, after);
        fallback.window_start_ms = 900;
        fallback.window_end_ms = 1100;
        fallback.harness_uid = 0;
        std::vector<Finding> guessed = tmp_findings(before, after, fallback);
        REQUIRE(guessed.size() == 3);
        for (const Finding& f : guessed) {
            CHECK(f.attribution == (f.tmp->path == "/w/held.log" ? Attribution::held_open : Attribution::time_window));
            CHECK(is_guess(f.attribution) == (f.tmp->path != "/w/held.log"));
        }
    }
}

TEST_CASE("attach --reap: only processes proven created below the host, never the host", "[attach][reap]") {
    AttachScope scope = scope_with_tree({ProcessId{101, 60}});
    Process child = proc(300, 500, k_host, {"sleep"});
    std::vector<LiveProcess> chain{{{300, 500}, k_host}, {{k_host, 50}, 1}};
    std::vector<LiveProcess> broken{{{300, 500}, 1}, {{1, 1}, 0}};

    CHECK(attach_reap_verdict(process_finding(child), scope, ForkHistory{}, chain) == AttachReap::reap);
    CHECK(attach_reap_verdict(process_finding(child), scope, ForkHistory{}, broken) == AttachReap::not_proven);
    CHECK(attach_reap_verdict(process_finding(child), scope, history({{300, k_host}}), broken) == AttachReap::reap);
    ForkHistory lost = history({{300, k_host}});
    lost.lost_events = true;
    CHECK(attach_reap_verdict(process_finding(child), scope, lost, broken) == AttachReap::not_proven);

    Finding host = process_finding(proc(k_host, 50, 1, {"node"}));
    CHECK(attach_reap_verdict(host, scope, history({{k_host, 0}}), chain) == AttachReap::host);
    Finding old = process_finding(proc(101, 60, k_host, {"worker"}));
    CHECK(attach_reap_verdict(old, scope, history({{101, 0}}), chain) == AttachReap::host);
    Finding ignored = process_finding(child);
    ignored.severity = Severity::ignore;
    CHECK(attach_reap_verdict(ignored, scope, history({{300, k_host}}), chain) == AttachReap::ignored);
    Finding guess = process_finding(child);
    guess.attribution = Attribution::new_since_before;
    CHECK(attach_reap_verdict(guess, scope, history({{300, k_host}}), chain) == AttachReap::not_proven);
    // The live chain must be the same process: a pid reused since is not the finding's.
    std::vector<LiveProcess> reused{{{300, 999}, k_host}, {{k_host, 50}, 1}};
    CHECK(attach_reap_verdict(process_finding(child), scope, ForkHistory{}, reused) == AttachReap::not_proven);
}

TEST_CASE("guesses are said in text and JUnit, exact attributions are not", "[attach][guess]") {
    CHECK(is_guess(Attribution::time_window));
    CHECK(is_guess(Attribution::new_since_before));
    CHECK_FALSE(is_guess(Attribution::creator_pid));
    CHECK_FALSE(is_guess(Attribution::held_open));
    CHECK(guess_note(Attribution::descendant).empty());

    Report r;
    r.mode = ReportMode::diff;
    Finding tmp = finding(Kind::tmp, Severity::error, "tmp:1", "temp file /tmp/x left behind");
    tmp.tmp = TmpEntry{"/tmp/x", EntryType::file, 1, 1, 0, 0, 0, 0, ""};
    tmp.attribution = Attribution::new_since_before;
    Finding exact = finding(Kind::tmp, Severity::error, "tmp:2", "temp file /tmp/y left behind");
    exact.attribution = Attribution::held_open;
    r.findings = {tmp, exact};
    std::ostringstream text;
    write_report_text(r, 0, Color::off, Verbosity::normal, text);
    CHECK(text.str().find("guess  temp file /tmp/x") != std::string::npos);
    CHECK(text.str().find("guess  temp file /tmp/y") == std::string::npos);
    CHECK(text.str().find("attributed by new-since-before (guess: ") != std::string::npos);
    std::ostringstream junit;
    write_report_junit(r, junit);
    CHECK(junit.str().find("message=\"guess: temp file /tmp/x") != std::string::npos);
    CHECK(junit.str().find("message=\"temp file /tmp/y") != std::string::npos);
}

TEST_CASE("a checkpoint socket is said from the host's point of view when a host is named", "[attach][checkpoint]") {
    CheckpointInput in;
    in.at_stopped = {Descriptor{7, FdType::socket, "socket:[55]", 55, "", 0}};
    in.sockets = {Socket{55, "tcp", "listen", "127.0.0.1:8080", "", 8080, 0, "", 0, 0}};
    in.owner_pid = 1234;
    CHECK(checkpoint_findings(in)[0].message.starts_with("the harness still holds tcp"));
    in.owner_label = host_label(1234, "node");
    CHECK(checkpoint_findings(in)[0].message.starts_with("the process 1234 (node) still holds tcp 127.0.0.1:8080"));
}

TEST_CASE("an attach report names the host and what ended the watch", "[attach][report]") {
    Report r;
    r.mode = ReportMode::attach;
    r.duration_ms = 1500;
    AttachOutcome a;
    a.host = {1234, 1};
    a.host_name = "node";
    a.ended_by = AttachEnd::control_stopped;
    r.attach = a;
    r.harness.started = true;
    CHECK(summary_line(r).find("attached to 1234 (node), ended by stopped on the control channel after 1.50s") !=
          std::string::npos);
    CHECK(decide_exit_code(r) == ExitCode::ok);  // the host's outcome is not judged
}

TEST_CASE("diff --pid keeps only temp entries the host's tree holds, and says how many it left out", "[diff][tmp]") {
    Process host = proc(50, 5, 1, {"node"});
    host.fds_scanned = true;
    Snapshot before = snapshot({proc(1, 1, 0, {"init"}), host});
    before.watched = {"/tmp"};
    Snapshot after = before;
    after.processes[1].fds = {Descriptor{12, FdType::file, "/tmp/plugin-a/db.sqlite", 40, "", 0}};
    after.tmp = {TmpEntry{"/tmp/plugin-a", EntryType::dir, 1, 30, 0, 0, 1, 0, ""},
                 TmpEntry{"/tmp/plugin-a/db.sqlite", EntryType::file, 1, 40, 0, 0, 0, 0, ""},
                 TmpEntry{"/tmp/other-1", EntryType::file, 1, 41, 0, 0, 0, 0, ""},
                 TmpEntry{"/tmp/other-2", EntryType::file, 1, 42, 1000, 0, 0, 0, ""}};
    DiffResult r = diff_findings(before, after, DiffScope{{50}, std::nullopt, 0, {}});
    std::vector<std::string> paths;
    for (const Finding& f : r.findings) {
        if (f.kind == Kind::tmp) paths.push_back(f.tmp->path + " " + to_string(f.attribution));
    }
    CHECK(paths == std::vector<std::string>{"/tmp/plugin-a held-open"});
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].find("--pid: 2 new temp entries left out") == 0);

    SECTION("with --user, that user's new entries stay, as guesses") {
        DiffResult u = diff_findings(before, after, DiffScope{{50}, 1000u, 0, {}});
        std::vector<std::string> kept;
        for (const Finding& f : u.findings) {
            if (f.kind == Kind::tmp) kept.push_back(f.tmp->path + " " + to_string(f.attribution));
        }
        CHECK(kept == std::vector<std::string>{"/tmp/plugin-a held-open", "/tmp/other-2 new-since-before"});
    }
    SECTION("without --pid nothing narrows them: every new entry is a guess") {
        DiffResult all = diff_findings(before, after, DiffScope{{}, std::nullopt, 0, {}});
        int guesses = 0;
        for (const Finding& f : all.findings)
            guesses += f.kind == Kind::tmp && is_guess(f.attribution);
        CHECK(guesses == 3);
    }
}

TEST_CASE("diff describes a host's socket from the host's point of view", "[diff][checkpoint]") {
    Process host = proc(1234, 5, 1, {"node"});
    host.fds_scanned = true;
    Snapshot before = snapshot({host});
    Process now = host;
    now.fds = {Descriptor{9, FdType::socket, "socket:[777]", 777, "", 0}};
    Snapshot after = snapshot({now});
    after.sockets = {Socket{777, "tcp", "listen", "127.0.0.1:9000", "", 9000, 0, "", 0, 0}};
    DiffResult r = diff_findings(before, after, DiffScope{{1234}, std::nullopt, 0, {}});
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].message.starts_with("the process 1234 (node) still holds tcp 127.0.0.1:9000 listen"));
}
