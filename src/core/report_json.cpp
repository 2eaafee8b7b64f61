// Field names follow schema/report.schema.json; fields are added, never renamed.
#include "core/report_json.hpp"

#include <chrono>
#include <cstdio>

#include "core/finding_group.hpp"
#include "core/text_bytes.hpp"
#include "core/tmp_sites.hpp"

namespace leakaudit {

using json = nlohmann::ordered_json;

std::string iso8601_utc(std::int64_t unix_ms, bool with_ms) {
    using namespace std::chrono;
    sys_time<milliseconds> t{milliseconds(unix_ms)};
    sys_days day = floor<days>(t);
    year_month_day ymd{day};
    hh_mm_ss<milliseconds> hms{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    std::string out = buf;
    if (with_ms) {
        std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(hms.subseconds().count()));
        out += buf;
    }
    return out + "Z";
}

void put_bytes(json& obj, const std::string& key, const std::string& bytes) {
    obj[key] = to_display_utf8(bytes);
    if (!is_valid_utf8(bytes)) obj[key + "_base64"] = base64_encode(bytes);
}

namespace {

void put_byte_list(json& obj, const std::string& key, const std::vector<std::string>& list) {
    json shown = json::array();
    json exact = json::array();
    bool lossy = false;
    for (const std::string& item : list) {
        shown.push_back(to_display_utf8(item));
        exact.push_back(base64_encode(item));
        lossy = lossy || !is_valid_utf8(item);
    }
    obj[key] = shown;
    if (lossy) obj[key + "_base64"] = exact;
}

json socket_json(const Socket& s) {
    json j = {{"inode", s.inode}, {"proto", s.proto}, {"state", s.state}};
    if (!s.local.empty()) j["local"] = s.local;
    if (s.local_port) j["port"] = s.local_port;
    if (!s.remote.empty()) j["remote"] = s.remote;
    if (s.remote_port) j["remote_port"] = s.remote_port;
    if (!s.path.empty()) put_bytes(j, "path", s.path);
    return j;
}

json descriptor_json(const Descriptor& d) {
    json j = {{"fd", d.fd}, {"type", to_string(d.type)}, {"inode", d.inode}};
    put_bytes(j, "target", d.target);
    if (!d.anon_kind.empty()) j["anon_kind"] = d.anon_kind;
    return j;
}

json resource_json(const HeldResource& r) {
    json j = r.socket ? socket_json(*r.socket) : json::object();
    j["kind"] = r.socket ? "socket" : "fd";
    if (r.fd) {
        j["fd"] = r.fd->fd;
        if (!r.socket) j.update(descriptor_json(*r.fd));
    }
    put_bytes(j, "text", r.text);
    return j;
}

void put_process(json& j, const Finding& f) {
    const Process& p = *f.process;
    j["pid"] = p.id.pid;
    j["ppid"] = p.ppid;
    j["parent_in_run"] = f.parent_in_run ? json(*f.parent_in_run) : json(nullptr);
    put_bytes(j, "name", p.name);
    put_bytes(j, "exe", p.exe);
    put_byte_list(j, "cmdline", p.cmdline);
    j["user"] = p.user;
    j["uid"] = p.uid;
    j["pgid"] = p.pgid;
    j["sid"] = p.sid;
    j["start_ticks"] = p.id.start_ticks;
    j["started_at"] = iso8601_utc(p.started_at_ms);
    json resources = json::array();
    for (const HeldResource& r : f.resources)
        resources.push_back(resource_json(r));
    j["resources"] = resources;
}

void put_tmp(json& j, const TmpEntry& t) {
    put_bytes(j, "path", t.path);
    j["type"] = to_string(t.type);
    j["size"] = t.size;
    j["inode"] = t.inode;
    j["uid"] = t.uid;
    if (t.type == EntryType::dir) j["entries"] = t.entry_count;
    if (t.type == EntryType::symlink) put_bytes(j, "link_target", t.link_target);
    if (t.birth_ms) j["created_at"] = iso8601_utc(t.birth_ms, true);
}

json frame_json(const StackFrame& f) {
    json j = {{"file", to_display_utf8(f.file)}, {"line", f.line}, {"column", f.column}};
    j["function"] = f.function.empty() ? json(nullptr) : json(to_display_utf8(f.function));
    j["package"] = f.package.empty() ? json(nullptr) : json(f.package);
    return j;
}

// The creation site the Node kit recorded (kits/node/PROTOCOL.md).
void put_site(json& j, const SourceSite& where) {
    if (where.empty()) return;
    j["site"] = to_display_utf8(where.site);
    j["package"] = where.package.empty() ? json(nullptr) : json(where.package);
    json stack = json::array();
    for (const StackFrame& f : where.stack)
        stack.push_back(frame_json(f));
    j["stack"] = stack;
}

// Where a temp entry was made (core/tmp_sites.hpp): the same `site` as a handle's, and
// the spawned child that made it when one did.
void put_made_at(json& j, const TmpSite& made) {
    put_site(j, made.where);
    if (!made.child_pid) return;
    json by = {{"child_pid", *made.child_pid}, {"child_name", to_display_utf8(made.child_name)}};
    by["pid"] = made.creator_pid.value_or(*made.child_pid);
    if (!made.creator_name.empty()) by["name"] = to_display_utf8(made.creator_name);
    by["text"] = to_display_utf8(made_by_text(made));
    j["created_by"] = by;
}

json rule_json(const std::optional<RuleRef>& rule) {
    if (!rule) return nullptr;
    json j = {{"file", rule->file}, {"index", rule->index}};
    j["id"] = rule->id.empty() ? json(nullptr) : json(rule->id);
    j["reason"] = rule->reason;
    return j;
}

const char* mode_name(ReportMode mode) {
    switch (mode) {
        case ReportMode::run:
            return "run";
        case ReportMode::diff:
            return "diff";
        case ReportMode::attach:
            return "attach";
    }
    return "run";
}

json attach_json(const AttachOutcome& a) {
    json j = {{"host_pid", a.host.pid},
              {"host_name", to_display_utf8(a.host_name)},
              {"ended_by", std::string(attach_end_name(a.ended_by).name)},
              {"host_exited", a.host_exited},
              {"saw_started", a.saw_started},
              {"fork_history", a.fork_history},
              {"creation_watch", a.creation_watch}};
    if (!a.control_path.empty()) j["control"] = to_display_utf8(a.control_path);
    return j;
}

}  // namespace

json growth_json(const Growth& g) {
    json appeared = json::array();
    for (const std::string& a : g.appeared)
        appeared.push_back(to_display_utf8(a));
    json j = {{"quantity", quantity_info(g.quantity).name},
              {"what", to_display_utf8(g.what)},
              {"per_cycle", g.per_cycle},
              {"cycles_judged", g.cycles_judged},
              {"rising", g.rising},
              {"first", g.first},
              {"last", g.last},
              {"tolerance", g.tolerance},
              {"appeared", appeared}};
    if (g.more_appeared > 0) j["more_appeared"] = g.more_appeared;
    if (!g.site.empty()) j["site"] = to_display_utf8(g.site);
    return j;
}

json cycles_json(const CycleRun& run) {
    json series = json::array();
    for (const Series& s : run.series) {
        json values = json::array();
        for (std::int64_t v : s.values)
            values.push_back(v == Series::k_missing ? json(nullptr) : json(v));
        json appeared = json::array();
        for (const std::vector<std::string>& cycle : s.appeared) {
            json items = json::array();
            for (const std::string& a : cycle)
                items.push_back(to_display_utf8(a));
            appeared.push_back(items);
        }
        json one = {
            {"quantity", quantity_info(s.quantity).name}, {"what", to_display_utf8(s.what)}, {"values", values}};
        if (!s.site.empty()) one["site"] = to_display_utf8(s.site);
        one["appeared"] = appeared;
        series.push_back(one);
    }
    return {{"requested", run.requested}, {"warmup", run.warmup}, {"completed", run.completed}, {"series", series}};
}

json finding_to_json(const Finding& f) {
    json j = {{"id", f.id},
              {"kind", to_string(f.kind)},
              {"severity", to_string(f.severity)},
              {"message", to_display_utf8(f.message)},
              {"attribution", to_string(f.attribution)}};
    if (f.process) put_process(j, f);
    if (!f.process && !f.resources.empty()) {
        json resources = json::array();
        for (const HeldResource& r : f.resources)
            resources.push_back(resource_json(r));
        j["resources"] = resources;
    }
    if (f.owner_pid) j["owner_pid"] = *f.owner_pid;
    if (f.socket) j.update(socket_json(*f.socket));
    if (f.fd && !f.socket) j.update(descriptor_json(*f.fd));
    if (f.fd && f.socket) j["fd"] = f.fd->fd;
    if (f.tmp) put_tmp(j, *f.tmp);
    if (f.made_at) put_made_at(j, *f.made_at);
    if (f.handle) {
        j["type"] = to_display_utf8(f.handle->type);
        j["detail"] = to_display_utf8(f.handle->detail);
        j["ref"] = f.handle->ref;
        j["count"] = f.handle->count;
        put_site(j, f.handle->where);
    }
    if (f.listener) {
        j["emitter"] = to_display_utf8(f.listener->emitter);
        j["event"] = to_display_utf8(f.listener->event);
        j["count"] = f.listener->count;
        put_site(j, f.listener->where);
    }
    if (f.growth) j["growth"] = growth_json(*f.growth);
    // The user site findings of one call share (core/finding_group.hpp): tools group by it.
    if (std::optional<std::string> group = user_site(f)) j["group"] = to_display_utf8(*group);
    j["rule"] = rule_json(f.rule);
    j["hint"] = f.hint;
    return j;
}

json report_to_json(const Report& r) {
    json harness = {{"pid", r.harness.pid},
                    {"started", r.harness.started},
                    {"exit_code", r.harness.exit_code ? json(*r.harness.exit_code) : json(nullptr)},
                    {"signal", r.harness.signal ? json(*r.harness.signal) : json(nullptr)},
                    {"timed_out", r.harness.timed_out},
                    {"sent_stopped", r.harness.sent_stopped},
                    {"exit_timed_out", r.harness.exit_timed_out},
                    {"interrupted", r.harness.interrupted},
                    {"duration_ms", r.harness.duration_ms}};
    if (!r.harness.start_error.empty()) harness["error"] = r.harness.start_error;
    harness["timeout_ms"] = r.harness.timeout.value ? json(r.harness.timeout.value->count()) : json(nullptr);
    harness["timeout_source"] = to_string(r.harness.timeout.source);

    Summary s = summarize(r);
    json summary = {{"error", s.count(Severity::error)},
                    {"warning", s.count(Severity::warning)},
                    {"info", s.count(Severity::info)},
                    {"ignored", s.ignored},
                    {"by_kind", s.by_kind}};
    json findings = json::array();
    for (const Finding& f : r.findings)
        findings.push_back(finding_to_json(f));
    json reaped = json::array();
    for (const ReapedProcess& p : r.reaped) {
        reaped.push_back({{"pid", p.pid},
                          {"name", to_display_utf8(p.name)},
                          {"signal", p.needed_kill ? "SIGKILL" : "SIGTERM"},
                          {"gone", p.gone}});
    }
    json tool = {{"name", "leakaudit"}, {"version", r.version}};
    if (!r.revision.empty()) tool["revision"] = r.revision;
    json j = {{"schema", k_report_schema}, {"tool", tool}, {"mode", mode_name(r.mode)}};
    put_byte_list(j, "command", r.command);
    j.update({{"run_id", r.run_id},
              {"started_at", iso8601_utc(r.started_at_ms)},
              {"duration_ms", r.duration_ms},
              {"harness", harness},
              {"summary", summary},
              {"fail_on", to_string(r.fail_on)},
              {"exit_code", to_int(r.exit_code)},
              {"redacted", r.redacted},
              {"findings", findings},
              {"reaped", reaped}});
    json cleaned = json::array();
    for (const std::string& c : r.cleaned)
        cleaned.push_back(to_display_utf8(c));
    j["cleaned"] = cleaned;
    json omitted = json::object();
    for (const KindInfo& info : k_kinds) {
        Kind kind = info.kind;
        if (int n = omitted_count(r, kind)) omitted[to_string(kind)] = n;
    }
    j["omitted"] = omitted;
    json warnings = json::array();
    for (const std::string& w : r.warnings)
        warnings.push_back(to_display_utf8(w));
    j["warnings"] = warnings;
    if (r.mode == ReportMode::run) {
        j["audit"] = {{"mode", to_string(r.audit.mode)}};
        if (r.audit.reason != WalkReason::none) j["audit"]["reason"] = to_string(r.audit.reason);
    }
    if (r.attach) j["attach"] = attach_json(*r.attach);
    if (r.cycles) j["cycles"] = cycles_json(*r.cycles);
    if (r.node_kit.requested) {
        j["node_kit"] = {{"requested", true},
                         {"active", r.node_kit.processes > 0},
                         {"processes", r.node_kit.processes},
                         {"reports", r.node_kit.reports}};
    }
    return j;
}

void write_report_json(const Report& report, std::ostream& out) {
    out << report_to_json(report).dump(2) << '\n';
}

}  // namespace leakaudit
