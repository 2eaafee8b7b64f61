// Builders for findings as plain data, and a one-call "parse this text" for rules tests.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
#include "rules/rule_file.hpp"
#include "rules/rule_set.hpp"

namespace leakaudit::test {

inline Finding process_finding(std::string name, std::vector<std::string> cmdline, std::string exe = "",
                               std::string user = "alice") {
    Finding f;
    f.kind = Kind::process;
    Process p;
    p.name = std::move(name);
    p.cmdline = std::move(cmdline);
    p.exe = std::move(exe);
    p.user = std::move(user);
    f.process = p;
    return f;
}

inline Finding socket_finding(std::string proto, std::string state, int port, std::string remote = "",
                              std::string path = "") {
    Finding f;
    f.kind = Kind::socket;
    Socket s;
    s.proto = std::move(proto);
    s.state = std::move(state);
    s.local_port = port;
    s.local = "127.0.0.1:" + std::to_string(port);
    s.remote = std::move(remote);
    s.path = std::move(path);
    f.socket = s;
    return f;
}

inline Finding fd_finding(FdType type, std::string target) {
    Finding f;
    f.kind = Kind::fd;
    f.fd = Descriptor{};
    f.fd->type = type;
    f.fd->target = std::move(target);
    return f;
}

inline Finding tmp_finding(std::string path, EntryType type = EntryType::file) {
    Finding f;
    f.kind = Kind::tmp;
    f.tmp = TmpEntry{};
    f.tmp->path = std::move(path);
    f.tmp->type = type;
    return f;
}

inline Finding handle_finding(std::string type, std::string detail) {
    Finding f;
    f.kind = Kind::handle;
    f.handle = Handle{std::move(type), std::move(detail)};
    return f;
}

struct Parsed {
    RuleSet rules;
    Diagnostics diagnostics;
};

// Built-in defaults plus `text` read as a rules file named `name`.
inline Parsed parse(const std::string& text, const std::string& name = "leakaudit.toml") {
    Parsed parsed{RuleSet::builtin(), {}};
    parsed.rules.merge(parse_rule_file(std::string_view(text), name, parsed.diagnostics));
    return parsed;
}

// The severity `text`'s rules give `finding`.
inline Severity judge(const std::string& text, Finding finding) {
    Parsed parsed = parse(text);
    std::vector<Finding> findings{std::move(finding)};
    parsed.rules.apply(findings);
    return findings[0].severity;
}

inline std::string all_messages(const Diagnostics& diagnostics) {
    std::string text;
    for (const Diagnostic& d : diagnostics)
        text += format_diagnostic(d);
    return text;
}

}  // namespace leakaudit::test
