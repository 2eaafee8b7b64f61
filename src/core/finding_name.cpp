// Every part is folded the way finding ids fold theirs (core/finding_id.hpp), so a name
// changes only when the leak does; the message, with its pids and ports, goes elsewhere.
#include "core/finding_name.hpp"

#include "core/finding_group.hpp"
#include "core/finding_id.hpp"
#include "core/growth_findings.hpp"

namespace leakaudit {

namespace {

// "plugins/a.mjs:5" with the file folded as command lines are (a harness written into a
// mktemp folder), the line kept.
std::string folded_site(const std::string& site) {
    std::size_t colon = site.rfind(':');
    if (colon == std::string::npos) return stable_command_key({site});
    return stable_command_key({site.substr(0, colon)}) + site.substr(colon);
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

std::string process_what(const Finding& f) {
    if (!f.process) return "process";
    const Process& p = *f.process;
    if (!p.name.empty()) return stable_command_key({p.name});
    if (!p.cmdline.empty()) return stable_command_key({p.cmdline.front()});
    return "process";
}

std::string socket_what(const Finding& f) {
    if (!f.socket) return "socket";
    const Socket& s = *f.socket;
    std::string what = s.proto.empty() ? "socket" : s.proto;
    if (!s.state.empty()) what += " " + s.state;
    // A port is ephemeral as often as not; a unix socket's path is its name.
    if (!s.path.empty()) what += " " + stable_path_key(s.path);
    return what;
}

std::string fd_what(const Finding& f) {
    if (!f.fd) return "descriptor";
    const Descriptor& d = *f.fd;
    std::string what = to_string(d.type);
    if (d.type == FdType::file || d.type == FdType::dir)
        what += " " + stable_path_key(d.target);
    else if (!d.anon_kind.empty())
        what += " " + d.anon_kind;
    return what;
}

std::string tmp_what(const Finding& f) {
    if (!f.tmp) return "temp entry";
    std::string type = f.tmp->type == EntryType::dir ? "folder" : to_string(f.tmp->type);
    return type + " " + stable_path_key(f.tmp->path);
}

std::string handle_what(const Finding& f, bool has_site) {
    if (!f.handle) return "handle";
    // Without a site, the detail says which handle it is ("setInterval 1000ms"), folded.
    if (has_site || f.handle->detail.empty()) return f.handle->type;
    return f.handle->type + " " + stable_path_key(f.handle->detail);
}

std::string what_of(const Finding& f, bool has_site) {
    switch (f.kind) {
        case Kind::process:
            return process_what(f);
        case Kind::socket:
            return socket_what(f);
        case Kind::fd:
            return fd_what(f);
        case Kind::tmp:
            return tmp_what(f);
        case Kind::handle:
            return handle_what(f, has_site);
        case Kind::listener:
            return f.listener ? f.listener->emitter + " '" + f.listener->event + "'" : "listener";
        case Kind::growth:
            return f.growth ? series_label(f.growth->quantity, f.growth->what) : "growth";
        case Kind::harness:
            break;
    }
    return stable_path_key(first_line(f.message));
}

std::optional<std::string> site_of(const Finding& f) {
    if (std::optional<std::string> site = user_site(f)) return site;
    if (f.growth && !f.growth->site.empty()) return user_site(SourceSite{f.growth->site, "", {}, "", 0});
    return std::nullopt;
}

}  // namespace

std::string stable_label(const Finding& finding) {
    std::optional<std::string> site = site_of(finding);
    std::string label = what_of(finding, site.has_value());
    if (site) label += " at " + folded_site(*site);
    return label;
}

std::string stable_name(const Finding& finding) {
    return finding.id + " " + stable_label(finding);
}

}  // namespace leakaudit
