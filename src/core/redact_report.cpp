// The fields are listed here, in one place, so a new string field in the model is
// redacted by adding it here (tests/unit/redact_report_test.cpp fills every field).
#include "core/redact_report.hpp"

namespace leakaudit {

namespace {

void redact_in_place(std::string& text, const Redactor& r) {
    if (!text.empty()) text = r.text(text);
}

void redact_all(std::vector<std::string>& texts, const Redactor& r) {
    for (std::string& t : texts)
        redact_in_place(t, r);
}

void redact_descriptor(Descriptor& d, const Redactor& r) {
    redact_in_place(d.target, r);
}

void redact_finding(Finding& f, const Redactor& r) {
    redact_in_place(f.message, r);
    redact_in_place(f.hint, r);
    if (f.rule) redact_in_place(f.rule->reason, r);
    if (f.process) redact_process(*f.process, r);
    for (HeldResource& held : f.resources) {
        if (held.socket) redact_socket(*held.socket, r);
        if (held.fd) redact_descriptor(*held.fd, r);
        redact_in_place(held.text, r);
    }
    if (f.socket) redact_socket(*f.socket, r);
    if (f.fd) redact_descriptor(*f.fd, r);
    if (f.tmp) redact_tmp(*f.tmp, r);
    if (f.handle) {
        redact_in_place(f.handle->type, r);
        redact_in_place(f.handle->detail, r);
    }
    if (f.growth) {
        redact_in_place(f.growth->what, r);
        redact_all(f.growth->appeared, r);
        redact_in_place(f.growth->site, r);
    }
}

// Series name temp paths and socket paths a secret may be part of.
void redact_cycles(CycleRun& run, const Redactor& r) {
    for (Series& s : run.series) {
        redact_in_place(s.what, r);
        redact_in_place(s.site, r);
        for (std::vector<std::string>& cycle : s.appeared)
            redact_all(cycle, r);
    }
}

}  // namespace

void redact_socket(Socket& s, const Redactor& r) {
    redact_in_place(s.path, r);
}

void redact_tmp(TmpEntry& e, const Redactor& r) {
    redact_in_place(e.path, r);
    redact_in_place(e.link_target, r);
}

void redact_process(Process& p, const Redactor& r) {
    p.cmdline = r.args(p.cmdline);
    redact_in_place(p.name, r);
    redact_in_place(p.exe, r);
    for (Descriptor& d : p.fds)
        redact_descriptor(d, r);
}

void redact_report(Report& report, const Redactor& redactor) {
    report.redacted = true;
    report.command = redactor.args(report.command);
    redact_in_place(report.harness.start_error, redactor);
    for (Finding& f : report.findings)
        redact_finding(f, redactor);
    for (ReapedProcess& p : report.reaped)
        redact_in_place(p.name, redactor);
    redact_all(report.cleaned, redactor);
    if (report.cycles) redact_cycles(*report.cycles, redactor);
    redact_all(report.warnings, redactor);
}

void redact_snapshot(Snapshot& snapshot, const Redactor& redactor) {
    for (Process& p : snapshot.processes)
        redact_process(p, redactor);
    for (Socket& s : snapshot.sockets)
        redact_socket(s, redactor);
    for (TmpEntry& e : snapshot.tmp)
        redact_tmp(e, redactor);
    redact_all(snapshot.warnings, redactor);
}

}  // namespace leakaudit
