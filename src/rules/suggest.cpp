// Builds suggested [[rule]] entries. Values are escaped so they match literally: valid
// UTF-8 becomes a glob with `[*]`-style escapes; a value with bytes that are not UTF-8
// (TOML strings cannot hold them) becomes a `re:` regex in which each such byte is `.`,
// which still matches the finding, and almost nothing else.
#include "rules/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/finding_id.hpp"
#include "core/growth_findings.hpp"
#include "core/redact.hpp"
#include "core/text_bytes.hpp"
#include "rules/glob.hpp"
#include "rules/toml_text.hpp"

namespace leakaudit {

namespace {

using KeyValues = std::vector<std::pair<std::string, std::string>>;  // key, TOML value text

// `raw` split at each `***` (a redacted secret) when the findings were redacted.
std::vector<std::string_view> literal_parts(std::string_view raw, SuggestValues values) {
    std::vector<std::string_view> parts;
    if (values == SuggestValues::redacted) {
        for (std::size_t at = raw.find(k_redacted); at != std::string_view::npos; at = raw.find(k_redacted)) {
            parts.push_back(raw.substr(0, at));
            raw.remove_prefix(at + k_redacted.size());
        }
    }
    parts.push_back(raw);
    return parts;
}

// How a value becomes a pattern: as it is, or with its run-specific parts (mktemp
// suffixes, ports, pids: what finding ids fold, core/finding_id.hpp) matching anything,
// so that the rule still matches on the next run.
enum class Fold { none, command, path };

// One piece, literal except that a redacted secret matches anything (`**` for path keys,
// where a lone `*` stops at `/`).
std::string piece_pattern(std::string_view raw, SuggestValues values, GlobMode mode, bool utf8) {
    std::vector<std::string_view> parts = literal_parts(raw, values);
    std::string pattern;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) pattern += !utf8 ? ".*" : mode == GlobMode::path ? "**" : "*";
        pattern += utf8 ? glob_escape(parts[i]) : regex_escape_bytes(parts[i]);
    }
    return pattern;
}

// A run-specific piece never holds `/` (it is one run of letters and digits).
std::string wildcard(GlobMode mode, bool utf8) {
    if (utf8) return "*";
    return mode == GlobMode::path ? "[^/]*" : ".*";
}

// A path whose last component would be nothing but wildcards (`/tmp/*`) would silence
// every entry there: then the path stays as it is.
std::vector<TextPiece> guarded_path_pieces(std::string_view raw) {
    std::vector<TextPiece> pieces = path_pieces(raw);
    bool named = false;  // the last component has a letter or digit that stays
    for (const TextPiece& p : pieces) {
        for (char c : p.text) {
            if (c == '/')
                named = false;
            else if (!p.run_specific && std::isalnum(static_cast<unsigned char>(c)))
                named = true;
        }
    }
    if (named) return pieces;
    return {TextPiece{std::string(raw), false, ""}};
}

// The pattern of `pieces`, whose text together is `raw`: each run-specific piece matches
// anything, the rest literally.
std::string pieces_pattern(const std::vector<TextPiece>& pieces, std::string_view raw, SuggestValues values,
                           GlobMode mode) {
    bool utf8 = is_valid_utf8(raw);
    std::string pattern = utf8 ? "" : "re:";
    for (const TextPiece& p : pieces)
        pattern += p.run_specific ? wildcard(mode, utf8) : piece_pattern(p.text, values, mode, utf8);
    return toml_quote(pattern);
}

std::string literal_pattern(std::string_view raw, SuggestValues values, GlobMode mode = GlobMode::text,
                            Fold fold = Fold::none) {
    std::vector<TextPiece> pieces = fold == Fold::path      ? guarded_path_pieces(raw)
                                    : fold == Fold::command ? command_arg_pieces(raw)
                                                            : std::vector<TextPiece>{{std::string(raw), false, ""}};
    return pieces_pattern(pieces, raw, values, mode);
}

// A command line, each argument folded on its own (as stable_command_key does).
std::string command_pattern(const std::vector<std::string>& args, SuggestValues values) {
    std::vector<TextPiece> pieces;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i > 0) pieces.push_back({" ", false, ""});
        for (TextPiece& p : command_arg_pieces(args[i]))
            pieces.push_back(std::move(p));
    }
    return pieces_pattern(pieces, join(args, " "), values, GlobMode::text);
}

// A listening (or unconnected) socket is known by its port; a connection by its peer,
// since its local port is ephemeral and would differ on the next run.
KeyValues socket_keys(const Socket& s, SuggestValues v) {
    KeyValues keys{{"proto", literal_pattern(s.proto, v)}};
    if (s.proto.rfind("unix", 0) == 0)
        keys.emplace_back("path", literal_pattern(s.path, v, GlobMode::path, Fold::path));
    else if (s.remote.empty() || s.state == "listen")
        keys.emplace_back("port", std::to_string(s.local_port));
    else
        keys.emplace_back("remote", literal_pattern(s.remote, v));
    return keys;
}

// A handle with a creation site is known by its type and site (its detail carries ports
// and pids that change run to run); one the harness reported by hand, by its detail.
KeyValues handle_keys(const Handle& h, SuggestValues v) {
    KeyValues keys{{"type", literal_pattern(h.type, v)}};
    if (!h.where.site.empty())
        keys.emplace_back("site", literal_pattern(h.where.site, v, GlobMode::text, Fold::command));
    else
        keys.emplace_back("detail", literal_pattern(h.detail, v, GlobMode::text, Fold::command));
    return keys;
}

KeyValues listener_keys(const Listener& l, SuggestValues v) {
    KeyValues keys{{"emitter", literal_pattern(l.emitter, v)}, {"event", literal_pattern(l.event, v)}};
    if (!l.where.site.empty())
        keys.emplace_back("site", literal_pattern(l.where.site, v, GlobMode::text, Fold::command));
    return keys;
}

// A process is known by its executable when it was read, as the shipped packs know them
// (README, "Trust": a process can call itself anything), else by its name.
KeyValues process_keys(const Process& p, SuggestValues v) {
    KeyValues keys;
    if (!p.exe.empty())
        keys.emplace_back("exe", literal_pattern(p.exe, v, GlobMode::path, Fold::path));
    else
        keys.emplace_back("name", literal_pattern(p.name, v));
    keys.emplace_back("cmdline", command_pattern(p.cmdline, v));
    return keys;
}

std::optional<KeyValues> finding_keys(const Finding& f, SuggestValues v) {
    switch (f.kind) {
        case Kind::process:
            if (!f.process) return std::nullopt;
            return process_keys(*f.process, v);
        case Kind::socket:
            if (!f.socket) return std::nullopt;
            return socket_keys(*f.socket, v);
        case Kind::fd:
            if (!f.fd) return std::nullopt;
            return KeyValues{
                {"type", literal_pattern(to_string(f.fd->type), v)},
                {"target",
                 literal_pattern(f.fd->target, v, GlobMode::path,
                                 f.fd->type == FdType::file || f.fd->type == FdType::dir ? Fold::path : Fold::none)}};
        case Kind::tmp:
            if (!f.tmp) return std::nullopt;
            return KeyValues{{"path", literal_pattern(f.tmp->path, v, GlobMode::path, Fold::path)}};
        case Kind::handle:
            if (!f.handle) return std::nullopt;
            return handle_keys(*f.handle, v);
        case Kind::listener:
            if (!f.listener) return std::nullopt;
            return listener_keys(*f.listener, v);
        case Kind::growth:
            if (!f.growth) return std::nullopt;
            return KeyValues{{"resource", literal_pattern(series_label(f.growth->quantity, f.growth->what), v)}};
        case Kind::harness:
            break;
    }
    return std::nullopt;
}

// The finding's message as a comment, when it is one clean line.
std::string comment_for(const Finding& f) {
    bool clean =
        !f.message.empty() && is_valid_utf8(f.message) &&
        std::none_of(f.message.begin(), f.message.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    return clean ? "# " + f.message + "\n" : "";
}

std::string rule_text(Kind kind, const KeyValues& keys) {
    std::string text = "[[rule]]\nkind = \"" + to_string(kind) + "\"\n";
    for (const auto& [key, value] : keys)
        text += key + " = " + value + "\n";
    return text + "action = \"ignore\"\nreason = \"TODO: why this is expected\"\n";
}

}  // namespace

std::string suggest_rules(const std::vector<Finding>& findings, SuggestValues values) {
    std::vector<std::string> seen;
    std::string out;
    for (const Finding& finding : findings) {
        if (finding.kind == Kind::harness || finding.severity == Severity::ignore) continue;
        std::optional<KeyValues> keys = finding_keys(finding, values);
        if (!keys) continue;
        std::string rule = rule_text(finding.kind, *keys);
        if (std::find(seen.begin(), seen.end(), rule) != seen.end()) continue;  // two identical leaks, one rule
        seen.push_back(rule);
        out += (out.empty() ? "" : "\n") + comment_for(finding) + rule;
    }
    return out;
}

}  // namespace leakaudit
