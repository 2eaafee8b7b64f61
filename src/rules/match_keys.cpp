// The per-kind key table, and reading each key's field off a finding. A process rule
// sees only the process's own fields, not the sockets it holds.
#include "rules/match_keys.hpp"

#include <string>

#include "core/growth_findings.hpp"
#include "core/text_bytes.hpp"

namespace leakaudit {

namespace {

struct KeyInfo {
    MatchKey key;
    std::string_view name;
    GlobMode mode;
};

// clang-format off
constexpr KeyInfo k_keys[] = {
    {MatchKey::name, "name", GlobMode::text},       {MatchKey::exe, "exe", GlobMode::path},
    {MatchKey::cmdline, "cmdline", GlobMode::text}, {MatchKey::user, "user", GlobMode::text},
    {MatchKey::proto, "proto", GlobMode::text},     {MatchKey::state, "state", GlobMode::text},
    {MatchKey::port, "port", GlobMode::text},       {MatchKey::local, "local", GlobMode::text},
    {MatchKey::remote, "remote", GlobMode::text},   {MatchKey::path, "path", GlobMode::path},
    {MatchKey::type, "type", GlobMode::text},       {MatchKey::target, "target", GlobMode::path},
    {MatchKey::detail, "detail", GlobMode::text},   {MatchKey::site, "site", GlobMode::text},
    {MatchKey::package, "package", GlobMode::text}, {MatchKey::emitter, "emitter", GlobMode::text},
    {MatchKey::event, "event", GlobMode::text},
    {MatchKey::resource, "resource", GlobMode::text},
    {MatchKey::tolerance, "tolerance", GlobMode::text},
};
// clang-format on

struct KindKey {
    Kind kind;
    MatchKey key;
};

// clang-format off
constexpr KindKey k_kind_keys[] = {
    {Kind::process, MatchKey::name},     {Kind::process, MatchKey::exe},    {Kind::process, MatchKey::cmdline},
    {Kind::process, MatchKey::user},     {Kind::socket, MatchKey::proto},   {Kind::socket, MatchKey::state},
    {Kind::socket, MatchKey::port},      {Kind::socket, MatchKey::local},   {Kind::socket, MatchKey::remote},
    {Kind::socket, MatchKey::path},      {Kind::fd, MatchKey::type},        {Kind::fd, MatchKey::target},
    {Kind::tmp, MatchKey::path},         {Kind::tmp, MatchKey::type},       {Kind::handle, MatchKey::type},
    {Kind::handle, MatchKey::detail},    {Kind::handle, MatchKey::site},    {Kind::handle, MatchKey::package},
    {Kind::listener, MatchKey::emitter}, {Kind::listener, MatchKey::event}, {Kind::listener, MatchKey::site},
    {Kind::listener, MatchKey::package},
    {Kind::growth, MatchKey::resource},  {Kind::growth, MatchKey::tolerance}, {Kind::growth, MatchKey::site},
};
// clang-format on

std::optional<std::string> process_field(const Process& p, MatchKey key) {
    switch (key) {
        case MatchKey::name:
            return p.name;
        case MatchKey::exe:
            return p.exe;
        case MatchKey::cmdline:
            return join(p.cmdline, " ");
        case MatchKey::user:
            return p.user;
        default:
            return std::nullopt;
    }
}

std::optional<std::string> socket_field(const Socket& s, MatchKey key) {
    switch (key) {
        case MatchKey::proto:
            return s.proto;
        case MatchKey::state:
            return s.state;
        case MatchKey::local:
            return s.local;
        case MatchKey::remote:
            return s.remote;
        case MatchKey::path:
            return s.path;
        default:
            return std::nullopt;
    }
}

std::optional<std::string> handle_field(const Handle& h, MatchKey key) {
    switch (key) {
        case MatchKey::type:
            return h.type;
        case MatchKey::detail:
            return h.detail;
        case MatchKey::site:
            return h.where.site;
        case MatchKey::package:
            return h.where.package;
        default:
            return std::nullopt;
    }
}

std::optional<std::string> listener_field(const Listener& l, MatchKey key) {
    switch (key) {
        case MatchKey::emitter:
            return l.emitter;
        case MatchKey::event:
            return l.event;
        case MatchKey::site:
            return l.where.site;
        case MatchKey::package:
            return l.where.package;
        default:
            return std::nullopt;
    }
}

// The string a key reads from the finding's payload; nullopt when the payload is absent.
std::optional<std::string> field_value(const Finding& f, MatchKey key) {
    switch (f.kind) {
        case Kind::process:
            return f.process ? process_field(*f.process, key) : std::nullopt;
        case Kind::socket:
            return f.socket ? socket_field(*f.socket, key) : std::nullopt;
        case Kind::fd:
            if (!f.fd) return std::nullopt;
            return key == MatchKey::type ? to_string(f.fd->type) : f.fd->target;
        case Kind::tmp:
            if (!f.tmp) return std::nullopt;
            return key == MatchKey::type ? to_string(f.tmp->type) : f.tmp->path;
        case Kind::handle:
            return f.handle ? handle_field(*f.handle, key) : std::nullopt;
        case Kind::listener:
            return f.listener ? listener_field(*f.listener, key) : std::nullopt;
        case Kind::growth:
            if (!f.growth) return std::nullopt;
            return key == MatchKey::resource ? series_label(f.growth->quantity, f.growth->what) : f.growth->site;
        case Kind::harness:
            break;
    }
    return std::nullopt;
}

bool matcher_accepts(const Matcher& m, const Finding& f) {
    if (m.ports) return f.socket && m.ports->contains(f.socket->local_port);
    if (m.key == MatchKey::tolerance)
        return f.growth && m.tolerance && f.growth->per_cycle <= static_cast<double>(*m.tolerance);
    std::optional<std::string> value = field_value(f, m.key);
    return value && m.pattern && m.pattern->matches(*value);
}

}  // namespace

std::string_view to_string(MatchKey key) {
    for (const KeyInfo& info : k_keys) {
        if (info.key == key) return info.name;
    }
    return "?";
}

std::optional<MatchKey> parse_match_key(std::string_view text) {
    for (const KeyInfo& info : k_keys) {
        if (info.name == text) return info.key;
    }
    return std::nullopt;
}

bool key_applies(Kind kind, MatchKey key) {
    for (const KindKey& entry : k_kind_keys) {
        if (entry.kind == kind && entry.key == key) return true;
    }
    return false;
}

std::vector<std::string_view> key_names(Kind kind) {
    std::vector<std::string_view> names;
    for (const KindKey& entry : k_kind_keys) {
        if (entry.kind == kind) names.push_back(to_string(entry.key));
    }
    return names;
}

std::vector<Kind> kinds_with_key(MatchKey key) {
    std::vector<Kind> kinds;
    for (const KindKey& entry : k_kind_keys) {
        if (entry.key == key) kinds.push_back(entry.kind);
    }
    return kinds;
}

std::vector<std::string_view> all_key_names() {
    std::vector<std::string_view> names;
    for (const KeyInfo& info : k_keys)
        names.push_back(info.name);
    return names;
}

GlobMode glob_mode(MatchKey key) {
    for (const KeyInfo& info : k_keys) {
        if (info.key == key) return info.mode;
    }
    return GlobMode::text;
}

bool rule_matches(const Rule& rule, const Finding& finding) {
    if (rule.kind != finding.kind) return false;
    for (const Matcher& m : rule.matchers) {
        if (!matcher_accepts(m, finding)) return false;
    }
    return true;
}

}  // namespace leakaudit
