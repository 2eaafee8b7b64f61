// Redaction of a whole Report and Snapshot: every string field that can carry a secret
// is covered, every writer then sees no secret, and ids do not change.
#include <catch2/catch.hpp>

#include "snapshot_builder.hpp"

#include <sstream>

#include "core/diff.hpp"
#include "core/process_findings.hpp"
#include "core/redact_report.hpp"
#include "core/report_annotations.hpp"
#include "core/report_json.hpp"
#include "core/report_junit.hpp"
#include "core/report_text.hpp"
#include "core/snapshot_json.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

constexpr const char* k_secret = "hunter2";

Process secret_process() {
    Process p = proc(4250, 99, 1, {"worker", std::string("--password=") + k_secret, "caf\xe9"});
    p.exe = "/opt/app/bin/worker";
    Descriptor d;
    d.fd = 5;
    d.type = FdType::file;
    d.target = std::string("/tmp/cache?token=") + k_secret;
    p.fds = {d};
    return p;
}

// A report with the secret in every string field that may carry one.
Report report_with_secrets() {
    std::string s = k_secret;
    Report r;
    r.harness.started = true;
    r.harness.exit_code = 0;
    r.harness.start_error = "cannot run --token " + s;
    r.command = {"harness", "--token", s};
    Finding p = finding(Kind::process, Severity::error, "process:6f1c2a9e", "process 4250 (worker) --password=" + s);
    p.process = secret_process();
    p.hint = "stop the worker started with password=" + s;
    HeldResource held;
    held.fd = p.process->fds[0];
    Socket unix_socket;
    unix_socket.proto = "unix";
    unix_socket.path = "/tmp/sock?secret=" + s;
    held.socket = unix_socket;
    held.text = "holds /tmp/cache?token=" + s;
    p.resources = {held};
    Finding sock = finding(Kind::socket, Severity::error, "socket:1", "socket");
    sock.socket = unix_socket;
    sock.fd = p.process->fds[0];
    Finding tmp = finding(Kind::tmp, Severity::error, "tmp:1", "temp file /tmp/x_token=" + s);
    tmp.tmp = TmpEntry{};
    tmp.tmp->path = "/tmp/x?token=" + s;
    tmp.tmp->link_target = "postgres://u:" + s + "@h/db";
    Finding handle = finding(Kind::handle, Severity::warning, "handle:1", "handle");
    handle.handle = Handle{"Timeout", "fetch https://h/?api_key=" + s};
    r.findings = {p, sock, tmp, handle};
    r.reaped = {{4250, "AKIAIOSFODNN7EXAMPLE", false, true}};
    r.cleaned = {"/tmp/x?token=" + s};
    r.warnings = {"cannot read --secret " + s};
    return r;
}

std::string all_outputs(const Report& r) {
    std::ostringstream out;
    write_report_text(r, 0, Color::off, Verbosity::show_ignored, out);
    write_report_json(r, out);
    write_report_junit(r, out);
    write_github_annotations(r, out);
    return out.str();
}

}  // namespace

TEST_CASE("redact_report: no writer sees a secret, ids stay, other bytes stay", "[redact]") {
    Report r = report_with_secrets();
    REQUIRE(all_outputs(r).find(k_secret) != std::string::npos);  // the fixture does carry it
    std::vector<std::string> ids;
    for (const Finding& f : r.findings)
        ids.push_back(f.id);

    redact_report(r, Redactor());
    std::string out = all_outputs(r);
    CHECK(out.find(k_secret) == std::string::npos);
    CHECK(out.find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
    CHECK(r.redacted);
    CHECK(r.command == std::vector<std::string>{"harness", "--token", "***"});
    CHECK(r.findings[0].process->cmdline == std::vector<std::string>{"worker", "--password=***", "caf\xe9"});
    CHECK(r.findings[0].process->exe == "/opt/app/bin/worker");
    CHECK(r.findings[2].tmp->link_target == "postgres://u:***@h/db");
    for (std::size_t i = 0; i < ids.size(); ++i)
        CHECK(r.findings[i].id == ids[i]);
}

TEST_CASE("redact_report: a base64 sibling is made from the redacted bytes", "[redact]") {
    Report r = report_with_secrets();
    std::ostringstream before;
    write_report_json(r, before);
    // "--password=hunter2" in base64: present before redaction, absent after.
    const std::string encoded = "LS1wYXNzd29yZD1odW50ZXIy";
    REQUIRE(before.str().find(encoded) != std::string::npos);
    redact_report(r, Redactor());
    std::ostringstream after;
    write_report_json(r, after);
    CHECK(after.str().find(encoded) == std::string::npos);
    CHECK(after.str().find("cmdline_base64") != std::string::npos);
    CHECK(after.str().find("\"redacted\": true") != std::string::npos);
}

TEST_CASE("redact_snapshot: command lines, targets and paths, it round-trips as redacted", "[redact]") {
    Snapshot s = snapshot({secret_process()});
    TmpEntry e;
    e.path = std::string("/tmp/x?token=") + k_secret;
    s.tmp = {e};
    redact_snapshot(s, Redactor());
    std::ostringstream out;
    write_snapshot_json(s, {"1", "boot", "host", true}, out);
    CHECK(out.str().find(k_secret) == std::string::npos);
    std::istringstream in(out.str());
    Result<SnapshotRead> back = read_snapshot_json(in);
    REQUIRE(back.has_value());
    CHECK(back->meta.redacted);
    CHECK(back->snapshot.processes[0].cmdline[1] == "--password=***");
}

TEST_CASE("ids: a process and a temp entry get the same id from a redacted snapshot", "[redact][ids]") {
    Snapshot before = snapshot({proc(1, 1, 0, {"init"})});
    before.watched = {"/tmp"};
    Snapshot after = before;
    after.processes.push_back(proc(4250, 99, 1, {"worker", "--token", "t0k3n-of-this-run", "postgres://u:pw@h/db"}));
    TmpEntry e;
    e.path = "/tmp/upload?sig=abcdef";
    e.type = EntryType::file;
    e.inode = 7;
    after.tmp = {e};
    DiffScope scope;
    scope.self_pid = 999;
    DiffResult plain = diff_findings(before, after, scope);
    redact_snapshot(after, Redactor());
    redact_snapshot(before, Redactor());
    DiffResult redacted = diff_findings(before, after, scope);
    REQUIRE(plain.findings.size() == 2);
    REQUIRE(redacted.findings.size() == 2);
    for (std::size_t i = 0; i < plain.findings.size(); ++i)
        CHECK(plain.findings[i].id == redacted.findings[i].id);
}
