// Typed look-ups without exceptions escaping: every missing or mistyped field is a
// FieldError naming its place ("processes[3]: `pid` must be an integer").
#include "core/snapshot_json_fields.hpp"

#include <charconv>
#include <limits>
#include <string_view>

namespace leakaudit::snapshot_fields {

namespace {

const json& member(const json& obj, const char* key, const std::string& where) {
    if (!obj.is_object() || !obj.contains(key)) throw FieldError{where + ": missing `" + key + "`"};
    return obj.at(key);
}

// `<key>_base64`, when it is there and a string: the exact bytes. One pass over the
// members and no key built per value (a snapshot has 20 of these per process and
// descriptor).
const json* base64_member(const json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    constexpr std::string_view suffix = "_base64";
    for (const auto& [name, value] : obj.get_ref<const json::object_t&>()) {
        if (name.size() == key.size() + suffix.size() && name.starts_with(key) && name.ends_with(suffix))
            return value.is_string() ? &value : nullptr;
    }
    return nullptr;
}

std::string bytes_of(const json& obj, const char* key, const std::string& where) {
    if (const json* exact = base64_member(obj, key)) return base64_decode(exact->get_ref<const std::string&>());
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

Descriptor descriptor_from(const json& f, const std::string& where) {
    Descriptor d;
    d.fd = number_in<int>(f, "fd", where, 0, std::numeric_limits<int>::max());
    d.type = fd_type_of(bytes_of(f, "type", where));
    d.inode = number_of<std::uint64_t>(f, "inode", where);
    d.anon_kind = bytes_of(f, "anon_kind", where);
    d.target = bytes_of(f, "target", where);
    return d;
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

bool schema_readable(const std::string& name) {
    const std::string prefix = "leakaudit.snapshot/";
    if (name.rfind(prefix, 0) != 0) return false;
    int version = 0;
    std::string_view digits = std::string_view(name).substr(prefix.size());
    std::from_chars_result parsed = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    return parsed.ec != std::errc::result_out_of_range && version == k_snapshot_version;
}

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

char state_letter(const std::string& text) {
    if (text.empty() || static_cast<unsigned char>(text[0]) >= 0x80) return '?';
    return text[0];
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
    p.state = state_letter(state);
    p.started_at_ms = time_of(j, "started_at_ms", where);
    p.name = bytes_of(j, "name", where);
    p.exe = bytes_of(j, "exe", where);
    const json& args = member(j, "cmdline", where);
    if (!args.is_array()) throw FieldError{where + ": `cmdline` must be an array"};
    const std::string args_where = where + ".cmdline";
    for (const json& a : args)
        p.cmdline.push_back(bytes_of(a, "arg", args_where));
    if (j.contains("fds")) {
        p.fds_scanned = true;
        const json& fds = j.at("fds");
        if (!fds.is_array()) throw FieldError{where + ": `fds` must be an array"};
        p.fds.reserve(fds.size());
        const std::string fds_where = where + ".fds";
        for (const json& f : fds)
            p.fds.push_back(descriptor_from(f, fds_where));
    }
    return p;
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

void read_root_fields(const json& root, SnapshotRead& result) {
    check_schema(root);
    result.meta.boot_id = bytes_of(root, "boot_id", "snapshot");
    result.meta.host = bytes_of(root, "host", "snapshot");
    auto redacted = root.find("redacted");  // absent in snapshots of older versions
    result.meta.redacted = redacted != root.end() && redacted->is_boolean() && redacted->get<bool>();
    result.snapshot.taken_at_ms = time_of(root, "taken_at_ms", "snapshot");
    for (const json& w : member(root, "watched", "snapshot")) {
        if (w.is_string()) result.snapshot.watched.push_back(w.get<std::string>());
    }
}

void require_list(const json& root, const char* key) {
    if (!member(root, key, "snapshot").is_array())
        throw FieldError{std::string("snapshot: `") + key + "` must be an array"};
}

}  // namespace leakaudit::snapshot_fields
