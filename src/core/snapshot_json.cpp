// nlohmann::json is used without exceptions on input (parse with allow_exceptions off,
// then typed look-ups through small helpers), so a corrupt file becomes one message
// with a line and column, never a crash.
#include "core/snapshot_json.hpp"

#include <charconv>
#include <limits>
#include <sstream>

#include "core/report_json.hpp"
#include "core/text_bytes.hpp"

namespace leakaudit {

using json = nlohmann::ordered_json;

namespace {

constexpr std::uint64_t k_max_pid = 4'194'304;                // PID_MAX_LIMIT on 64-bit Linux
constexpr std::uint64_t k_max_time_ms = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
constexpr std::uint64_t k_max_port = 65'535;

std::string base64_decode(const std::string& text) {
    static const std::string k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        std::size_t v = k_alphabet.find(c);
        if (v == std::string::npos) continue;  // '=' padding
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

// Thrown only inside this file and caught in read_snapshot_json: the first missing or
// mistyped field ends the read with its path.
struct FieldError {
    std::string message;
};

const json& member(const json& obj, const char* key, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key)) throw FieldError{where + ": missing `" + key + "`"};
    return obj.at(key);
}

std::string bytes_of(const json& obj, const char* key, const std::string& where) {
    std::string exact = std::string(key) + "_base64";
    if (obj.contains(exact) && obj.at(exact).is_string()) return base64_decode(obj.at(exact).get<std::string>());
    const json& v = member(obj, key, where);
    if (!v.is_string()) throw FieldError{where + ": `" + key + "` must be a string"};
    return v.get<std::string>();
}

// An integer field within [lo, hi]: a pid of 2^40 or -1 is an error naming its place,
// never truncated or wrapped.
template <class T>
T number_in(const json& obj, const char* key, const std::string& where, std::int64_t lo, std::uint64_t hi) {
    const json& v = member(obj, key, where);
    if (!v.is_number_integer()) throw FieldError{where + ": `" + key + "` must be an integer"};
    bool in_range = false;
    if (v.is_number_unsigned()) {
        std::uint64_t u = v.get<std::uint64_t>();
        in_range = u <= hi && (lo <= 0 || u >= static_cast<std::uint64_t>(lo));
    } else {
        std::int64_t i = v.get<std::int64_t>();
        in_range = i >= lo && (i < 0 || static_cast<std::uint64_t>(i) <= hi);
    }
    if (!in_range) {
        throw FieldError{where + ": `" + key + "` is " + v.dump() + ", out of range (" + std::to_string(lo) + " to " +
                         std::to_string(hi) + ")"};
    }
    return v.is_number_unsigned() ? static_cast<T>(v.get<std::uint64_t>()) : static_cast<T>(v.get<std::int64_t>());
}

template <class T>
T number_of(const json& obj, const char* key, const std::string& where) {
    return number_in<T>(obj, key, where, std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
}

int pid_of(const json& obj, const char* key, const std::string& where, std::int64_t lo) {
    return number_in<int>(obj, key, where, lo, k_max_pid);
}

std::int64_t time_of(const json& obj, const char* key, const std::string& where) {
    return number_in<std::int64_t>(obj, key, where, 0, k_max_time_ms);
}

json process_json(const Process& p) {
    json j = {{"pid", p.id.pid},
              {"start_ticks", p.id.start_ticks},
              {"ppid", p.ppid},
              {"pgid", p.pgid},
              {"sid", p.sid},
              {"uid", p.uid},
              {"user", p.user},
              {"state", std::string(1, p.state)},
              {"started_at_ms", p.started_at_ms}};
    put_bytes(j, "name", p.name);
    put_bytes(j, "exe", p.exe);
    json args = json::array();
    for (const std::string& a : p.cmdline) {
        json arg;
        put_bytes(arg, "arg", a);
        args.push_back(arg);
    }
    j["cmdline"] = args;
    if (p.fds_scanned) {
        json fds = json::array();
        for (const Descriptor& d : p.fds) {
            json f = {{"fd", d.fd}, {"type", to_string(d.type)}, {"inode", d.inode}, {"anon_kind", d.anon_kind}};
            put_bytes(f, "target", d.target);
            fds.push_back(f);
        }
        j["fds"] = fds;
    }
    return j;
}

FdType fd_type_of(const std::string& name) {
    for (FdType t :
         {FdType::file, FdType::dir, FdType::pipe, FdType::socket, FdType::anon_inode, FdType::memfd, FdType::device}) {
        if (to_string(t) == name) return t;
    }
    return FdType::other;
}

EntryType entry_type_of(const std::string& name) {
    for (EntryType t :
         {EntryType::file, EntryType::dir, EntryType::symlink, EntryType::socket, EntryType::fifo, EntryType::device}) {
        if (to_string(t) == name) return t;
    }
    return EntryType::other;
}

Process process_from(const json& j, const std::string& where) {
    Process p;
    p.id = {pid_of(j, "pid", where, 1), number_of<std::uint64_t>(j, "start_ticks", where)};
    p.ppid = pid_of(j, "ppid", where, 0);
    p.pgid = pid_of(j, "pgid", where, 0);
    p.sid = pid_of(j, "sid", where, 0);
    p.uid = number_of<std::uint32_t>(j, "uid", where);
    p.user = bytes_of(j, "user", where);
    std::string state = bytes_of(j, "state", where);
    p.state = state.empty() ? '?' : state[0];
    p.started_at_ms = time_of(j, "started_at_ms", where);
    p.name = bytes_of(j, "name", where);
    p.exe = bytes_of(j, "exe", where);
    const json& args = member(j, "cmdline", where);
    if (!args.is_array()) throw FieldError{where + ": `cmdline` must be an array"};
    for (const json& a : args)
        p.cmdline.push_back(bytes_of(a, "arg", where + ".cmdline"));
    if (j.contains("fds")) {
        p.fds_scanned = true;
        const json& fds = j.at("fds");
        if (!fds.is_array()) throw FieldError{where + ": `fds` must be an array"};
        for (const json& f : fds) {
            Descriptor d;
            d.fd = number_in<int>(f, "fd", where + ".fds", 0, std::numeric_limits<int>::max());
            d.type = fd_type_of(bytes_of(f, "type", where + ".fds"));
            d.inode = number_of<std::uint64_t>(f, "inode", where + ".fds");
            d.anon_kind = bytes_of(f, "anon_kind", where + ".fds");
            d.target = bytes_of(f, "target", where + ".fds");
            p.fds.push_back(std::move(d));
        }
    }
    return p;
}

json socket_json(const Socket& s) {
    json j = {{"inode", s.inode},
              {"proto", s.proto},
              {"state", s.state},
              {"local", s.local},
              {"remote", s.remote},
              {"local_port", s.local_port},
              {"remote_port", s.remote_port},
              {"peer_inode", s.peer_inode},
              {"netns", s.netns}};
    put_bytes(j, "path", s.path);
    return j;
}

Socket socket_from(const json& j, const std::string& where) {
    Socket s;
    s.inode = number_of<std::uint64_t>(j, "inode", where);
    s.proto = bytes_of(j, "proto", where);
    s.state = bytes_of(j, "state", where);
    s.local = bytes_of(j, "local", where);
    s.remote = bytes_of(j, "remote", where);
    s.local_port = number_in<int>(j, "local_port", where, 0, k_max_port);
    s.remote_port = number_in<int>(j, "remote_port", where, 0, k_max_port);
    s.peer_inode = number_of<std::uint64_t>(j, "peer_inode", where);
    s.netns = number_of<std::uint64_t>(j, "netns", where);
    s.path = bytes_of(j, "path", where);
    return s;
}

json entry_json(const TmpEntry& e) {
    json j = {
        {"type", to_string(e.type)}, {"dev", e.dev},          {"inode", e.inode}, {"uid", e.uid}, {"size", e.size},
        {"entries", e.entry_count},  {"birth_ms", e.birth_ms}};
    put_bytes(j, "path", e.path);
    put_bytes(j, "link_target", e.link_target);
    return j;
}

TmpEntry entry_from(const json& j, const std::string& where) {
    TmpEntry e;
    e.path = bytes_of(j, "path", where);
    e.type = entry_type_of(bytes_of(j, "type", where));
    e.dev = number_of<std::uint64_t>(j, "dev", where);
    e.inode = number_of<std::uint64_t>(j, "inode", where);
    e.uid = number_of<std::uint32_t>(j, "uid", where);
    e.size = number_of<std::uint64_t>(j, "size", where);
    e.entry_count = number_of<std::uint64_t>(j, "entries", where);
    e.birth_ms = time_of(j, "birth_ms", where);
    e.link_target = bytes_of(j, "link_target", where);
    return e;
}

template <class T, class F>
std::vector<T> list_from(const json& root, const char* key, F convert) {
    const json& list = member(root, key, "snapshot");
    if (!list.is_array()) throw FieldError{std::string("snapshot: `") + key + "` must be an array"};
    std::vector<T> out;
    for (std::size_t i = 0; i < list.size(); ++i)
        out.push_back(convert(list[i], std::string(key) + "[" + std::to_string(i) + "]"));
    return out;
}

struct ShapeError {
    std::string message;
};

// "line:col" of a byte offset, for parse errors.
std::string position_of(std::string_view text, std::size_t offset) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return std::to_string(line) + ":" + std::to_string(col);
}

// nlohmann's out_of_range carries no offset, only the token ("number overflow parsing
// '1e999'"): its first occurrence in the text is where it is.
std::string token_position(std::string_view text, std::string_view what) {
    std::size_t open = what.find('\'');
    std::size_t close = open == std::string_view::npos ? open : what.find('\'', open + 1);
    if (close == std::string_view::npos || close == open + 1) return "1:1";
    std::size_t at = text.find(what.substr(open + 1, close - open - 1));
    return position_of(text, at == std::string_view::npos ? 0 : at);
}

// Parses with the document's shape bounded (README, "Limits"): nesting and the number of
// values, so a small file cannot expand into gigabytes of tree. Every nlohmann exception
// (1e999 is out_of_range, not parse_error) becomes a message with a position.
bool parse_bounded(std::string_view text, json& root, std::string& error) {
    std::size_t values = 0;
    auto limit = [&values](int depth, json::parse_event_t event, json&) {
        if (depth > k_max_snapshot_depth)
            throw ShapeError{"nested deeper than " + std::to_string(k_max_snapshot_depth)};
        if (event != json::parse_event_t::key && event != json::parse_event_t::object_end &&
            event != json::parse_event_t::array_end && ++values > k_max_snapshot_values) {
            throw ShapeError{"more than " + std::to_string(k_max_snapshot_values) + " values"};
        }
        return true;
    };
    try {
        root = json::parse(text.begin(), text.end(), limit);
        return true;
    } catch (const ShapeError& e) {
        error = "1:1: not a snapshot: " + e.message;
    } catch (const json::parse_error& e) {
        error = position_of(text, e.byte ? e.byte - 1 : 0) + ": invalid JSON (" +
                (e.byte >= text.size() ? std::string("the file ends early: truncated?") : "unexpected content") + ")";
    } catch (const json::exception& e) {
        error = token_position(text, e.what()) + ": invalid JSON (" + e.what() + ")";
    }
    return false;
}

void check_schema(const json& root) {
    const json& schema = member(root, "schema", "snapshot");
    std::string name = schema.is_string() ? schema.get<std::string>() : "";
    const std::string prefix = "leakaudit.snapshot/";
    if (name.rfind(prefix, 0) != 0) {
        throw FieldError{"not a leakaudit snapshot (schema is `" + name + "`, expected `" + k_snapshot_schema + "`)"};
    }
    int version = 0;
    std::string_view digits = std::string_view(name).substr(prefix.size());
    std::from_chars_result parsed = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (parsed.ec == std::errc::result_out_of_range) version = std::numeric_limits<int>::max();
    if (version > k_snapshot_version) {
        throw FieldError{"this snapshot was written by a newer leakaudit (" + name + "); this one reads " +
                         k_snapshot_schema + ": upgrade leakaudit"};
    }
    if (version < 1) throw FieldError{"unknown snapshot schema `" + name + "`"};
}

}  // namespace

void write_snapshot_json(const Snapshot& s, const SnapshotMeta& meta, std::ostream& out) {
    json j = {{"schema", k_snapshot_schema},  {"tool", {{"name", "leakaudit"}, {"version", meta.tool_version}}},
              {"boot_id", meta.boot_id},      {"host", meta.host},
              {"taken_at_ms", s.taken_at_ms}, {"taken_at", iso8601_utc(s.taken_at_ms, true)},
              {"redacted", meta.redacted},    {"watched", s.watched}};
    json processes = json::array();
    for (const Process& p : s.processes)
        processes.push_back(process_json(p));
    json sockets = json::array();
    for (const Socket& so : s.sockets)
        sockets.push_back(socket_json(so));
    json tmp = json::array();
    for (const TmpEntry& e : s.tmp)
        tmp.push_back(entry_json(e));
    j["processes"] = processes;
    j["sockets"] = sockets;
    j["tmp"] = tmp;
    json warnings = json::array();
    for (const std::string& w : s.warnings)
        warnings.push_back(to_display_utf8(w));
    j["warnings"] = warnings;
    out << j.dump(1) << '\n';
}

SnapshotReadResult read_snapshot_json(std::istream& in) {
    std::string text;
    char chunk[65536];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (text.size() > k_max_snapshot_bytes) {
            SnapshotReadResult result;
            result.error = "1:1: larger than " + std::to_string(k_max_snapshot_bytes >> 20) + " MiB: not a snapshot";
            return result;
        }
    }
    return read_snapshot_json(std::string_view(text));
}

SnapshotReadResult read_snapshot_json(std::string_view text) {
    SnapshotReadResult result;
    json root;
    if (!parse_bounded(text, root, result.error)) return result;
    try {
        check_schema(root);
        result.meta.boot_id = bytes_of(root, "boot_id", "snapshot");
        result.meta.host = bytes_of(root, "host", "snapshot");
        auto redacted = root.find("redacted");  // absent in snapshots of older versions
        result.meta.redacted = redacted != root.end() && redacted->is_boolean() && redacted->get<bool>();
        result.snapshot.taken_at_ms = time_of(root, "taken_at_ms", "snapshot");
        for (const json& w : member(root, "watched", "snapshot")) {
            if (w.is_string()) result.snapshot.watched.push_back(w.get<std::string>());
        }
        result.snapshot.processes = list_from<Process>(root, "processes", process_from);
        result.snapshot.sockets = list_from<Socket>(root, "sockets", socket_from);
        result.snapshot.tmp = list_from<TmpEntry>(root, "tmp", entry_from);
    } catch (const FieldError& e) {
        result.error = e.message;
    } catch (const json::exception& e) {
        result.error = std::string("malformed snapshot: ") + e.what();
    }
    return result;
}

}  // namespace leakaudit
