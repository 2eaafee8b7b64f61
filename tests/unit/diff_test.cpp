// `diff` on plain data: new since BEFORE, narrowed by --pid hosts and --user; the
// hosts' new descriptors audited; kernel threads and leakaudit itself never reported.
#include <catch2/catch.hpp>

#include "core/diff.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

std::vector<int> process_pids(const DiffResult& r) {
    std::vector<int> pids;
    for (const Finding& f : r.findings) {
        if (f.kind == Kind::process) pids.push_back(f.process->id.pid);
    }
    return pids;
}

}  // namespace

TEST_CASE("diff reports what is new since before, never itself or kernel threads", "[diff]") {
    Snapshot before = snapshot({proc(1, 1, 0, {"init"}), proc(2, 1, 0, {"kthreadd"}), proc(50, 5, 1, {"plugin-host"})});
    Snapshot after = before;
    after.processes.push_back(proc(60, 60, 50, {"sleep", "300"}));
    after.processes.push_back(proc(61, 61, 2, {}));             // a new kernel thread
    after.processes.push_back(proc(62, 62, 1, {"leakaudit"}));  // the diff itself
    DiffResult r = diff_findings(before, after, DiffScope{{}, std::nullopt, 62, {}});
    CHECK(process_pids(r) == std::vector<int>{60});
    CHECK(r.findings.at(0).attribution == Attribution::new_since_before);
}

TEST_CASE("the pid option narrows to descendants of a host running in both snapshots", "[diff]") {
    Snapshot before = snapshot({proc(1, 1, 0, {"init"}), proc(50, 5, 1, {"host"}), proc(51, 6, 1, {"other"})});
    Snapshot after = before;
    after.processes.push_back(proc(60, 60, 50, {"child"}));
    after.processes.push_back(proc(61, 61, 60, {"grandchild"}));
    after.processes.push_back(proc(70, 70, 51, {"unrelated"}));
    DiffResult r = diff_findings(before, after, DiffScope{{50}, std::nullopt, 0, {}});
    CHECK(process_pids(r) == std::vector<int>{60, 61});
    CHECK(r.findings.at(0).attribution == Attribution::descendant);

    Snapshot restarted = after;  // the host is a different process now (same pid, new start)
    restarted.processes[1].id.start_ticks = 99;
    DiffResult gone = diff_findings(before, restarted, DiffScope{{50}, std::nullopt, 0, {}});
    CHECK(process_pids(gone).empty());
    REQUIRE(gone.warnings.size() == 1);
    CHECK(gone.warnings[0].find("--pid 50") != std::string::npos);
}

TEST_CASE("the user option narrows processes and temp entries to one owner", "[diff]") {
    Process mine = proc(60, 60, 1, {"mine"});
    mine.uid = 1000;
    Process root_owned = proc(61, 61, 1, {"root-owned"});
    Snapshot before = snapshot({proc(1, 1, 0, {"init"})});
    Snapshot after = snapshot({proc(1, 1, 0, {"init"}), mine, root_owned});
    TmpEntry file;
    file.path = "/tmp/x";
    file.uid = 1000;
    file.inode = 5;
    TmpEntry other = file;
    other.path = "/tmp/y";
    other.uid = 0;
    other.inode = 6;
    after.tmp = {file, other};
    after.watched = {"/tmp"};
    DiffResult r = diff_findings(before, after, DiffScope{{}, 1000u, 0, {}});
    CHECK(process_pids(r) == std::vector<int>{60});
    int tmp = 0;
    for (const Finding& f : r.findings)
        tmp += f.kind == Kind::tmp && f.tmp->path == "/tmp/x";
    CHECK(tmp == 1);
}

TEST_CASE("a host's new listening socket is a finding, its old descriptors are not", "[diff]") {
    Process host = proc(50, 5, 1, {"host"});
    host.fds_scanned = true;
    host.fds = {Descriptor{3, FdType::file, "/var/log/host.log", 7, "", 0}};
    Snapshot before = snapshot({host});
    Process host_after = host;
    host_after.fds.push_back(Descriptor{9, FdType::socket, "socket:[777]", 777, "", 0});
    Snapshot after = snapshot({host_after});
    Socket s;
    s.inode = 777;
    s.proto = "tcp";
    s.state = "listen";
    s.local = "0.0.0.0:8080";
    s.local_port = 8080;
    after.sockets = {s};
    DiffResult r = diff_findings(before, after, DiffScope{{50}, std::nullopt, 0, {}});
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].kind == Kind::socket);
    CHECK(r.findings[0].owner_pid == 50);
    CHECK(r.findings[0].socket->local_port == 8080);
}

TEST_CASE("the snapshot files themselves are never findings of their own diff", "[diff]") {
    Snapshot after;
    after.watched = {"/tmp"};
    TmpEntry snap;
    snap.path = "/tmp/before.json";
    snap.inode = 9;
    after.tmp = {snap};
    CHECK(diff_findings(Snapshot{}, after, DiffScope{{}, std::nullopt, 0, {"/tmp/before.json"}}).findings.empty());
}
