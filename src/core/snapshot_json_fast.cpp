// Each object kind has its table of keys. A key read twice gives up (nlohmann keeps the
// last value at the first one's place: the exact reader decides), an unknown key's value
// is checked and skipped, and each field is read as snapshot_json_fields.cpp reads it:
// `<field>_base64` when it is a string, else `<field>`, which must be a string; integers
// within the same ranges. Any field the exact reader would refuse gives up.
#include "core/snapshot_json_fast.hpp"

#include <limits>

#include "core/json_scanner.hpp"
#include "core/snapshot_json_fields.hpp"

namespace leakaudit {

namespace {

using namespace snapshot_fields;

template <std::size_t N>
using KeyTable = std::array<std::string_view, N>;

// The keys of one object read so far; the table's index of `key` (-1: not in it).
class Seen {
public:
    template <std::size_t N>
    int mark(const KeyTable<N>& table, std::string_view key) {
        for (std::size_t i = 0; i < N; ++i) {
            if (table[i] != key) continue;
            std::uint32_t bit = std::uint32_t{1} << i;
            if (m_bits & bit) throw GiveUp{};
            m_bits |= bit;
            return static_cast<int>(i);
        }
        return -1;
    }
    // Every key of the first `n` in the table was there.
    void require_first(int n) const {
        std::uint32_t all = (std::uint32_t{1} << n) - 1;
        if ((m_bits & all) != all) throw GiveUp{};
    }

private:
    std::uint32_t m_bits = 0;
};

// `<field>` and `<field>_base64`, as snapshot_fields::bytes_of reads them.
class BytesField {
public:
    void plain(JsonScanner& s, std::string& target) {
        if (s.next() != '"') return s.skip_value();
        s.string(target);
        m_plain = true;
    }
    void exact(JsonScanner& s) {
        if (s.next() != '"') return s.skip_value();
        s.string(m_base64);
        m_exact = true;
    }
    void finish(std::string& target) {
        if (m_exact) {
            target = base64_decode(m_base64);
        } else if (!m_plain) {
            throw GiveUp{};
        }
    }

private:
    std::string m_base64;
    bool m_plain = false, m_exact = false;
};

std::uint64_t integer_in(JsonScanner& s, std::uint64_t lo, std::uint64_t hi) {
    JsonInteger n = s.integer();
    if ((n.negative && n.magnitude != 0) || n.magnitude < lo || n.magnitude > hi) throw GiveUp{};
    return n.magnitude;
}

template <class T>
T integer_of(JsonScanner& s) {
    return static_cast<T>(integer_in(s, 0, std::numeric_limits<T>::max()));
}

std::int64_t time_in(JsonScanner& s) {
    return static_cast<std::int64_t>(integer_in(s, 0, k_max_time_ms));
}

int pid_in(JsonScanner& s, std::uint64_t lo) {
    return static_cast<int>(integer_in(s, lo, k_max_pid));
}

// The integers first: Seen::require_first.
constexpr KeyTable<17> k_process_keys{"pid",           "start_ticks", "ppid", "pgid",        "sid",   "uid",
                                      "started_at_ms", "cmdline",     "user", "user_base64", "state", "state_base64",
                                      "name",          "name_base64", "exe",  "exe_base64",  "fds"};
constexpr KeyTable<8> k_descriptor_keys{
    "fd", "inode", "type", "type_base64", "anon_kind", "anon_kind_base64", "target", "target_base64"};
constexpr KeyTable<15> k_socket_keys{"inode",        "local_port",   "remote_port",   "peer_inode",   "netns",
                                     "proto",        "proto_base64", "state",         "state_base64", "local",
                                     "local_base64", "remote",       "remote_base64", "path",         "path_base64"};
constexpr KeyTable<12> k_entry_keys{"dev",  "inode",       "uid",  "size",        "entries",     "birth_ms",
                                    "path", "path_base64", "type", "type_base64", "link_target", "link_target_base64"};
constexpr KeyTable<2> k_arg_keys{"arg", "arg_base64"};

// Field `i` of a table whose bytes fields come in pairs from `first`: `<field>`, then
// `<field>_base64`.
template <std::size_t N>
void read_bytes(JsonScanner& s, int i, int first, std::array<BytesField, N>& bytes,
                const std::array<std::string*, N>& targets) {
    auto b = static_cast<std::size_t>(i - first) / 2;
    if ((i - first) % 2 == 0) return bytes[b].plain(s, *targets[b]);
    bytes[b].exact(s);
}

template <std::size_t N>
void finish_bytes(std::array<BytesField, N>& bytes, const std::array<std::string*, N>& targets) {
    for (std::size_t b = 0; b < N; ++b)
        bytes[b].finish(*targets[b]);
}

std::string read_arg(JsonScanner& s) {
    std::string arg;
    BytesField field;
    Seen seen;
    s.object([&](std::string_view key) {
        int i = seen.mark(k_arg_keys, key);
        if (i == 0) return field.plain(s, arg);
        if (i == 1) return field.exact(s);
        s.skip_value();
    });
    field.finish(arg);
    return arg;
}

Descriptor read_descriptor(JsonScanner& s) {
    Descriptor d;
    std::string type;
    std::array<BytesField, 3> bytes;
    const std::array<std::string*, 3> targets{&type, &d.anon_kind, &d.target};
    Seen seen;
    s.object([&](std::string_view key) {
        int i = seen.mark(k_descriptor_keys, key);
        switch (i) {
            case -1:
                return s.skip_value();
            case 0:
                d.fd = static_cast<int>(integer_in(s, 0, std::numeric_limits<int>::max()));
                return;
            case 1:
                d.inode = integer_of<std::uint64_t>(s);
                return;
            default:
                return read_bytes(s, i, 2, bytes, targets);
        }
    });
    seen.require_first(2);
    finish_bytes(bytes, targets);
    d.type = fd_type_of(type);
    return d;
}

Process read_process(JsonScanner& s) {
    Process p;
    std::string state;
    std::array<BytesField, 4> bytes;
    const std::array<std::string*, 4> targets{&p.user, &state, &p.name, &p.exe};
    Seen seen;
    s.object([&](std::string_view key) {
        int i = seen.mark(k_process_keys, key);
        switch (i) {
            case -1:
                return s.skip_value();
            case 0:
                p.id.pid = pid_in(s, 1);
                return;
            case 1:
                p.id.start_ticks = integer_of<std::uint64_t>(s);
                return;
            case 2:
                p.ppid = pid_in(s, 0);
                return;
            case 3:
                p.pgid = pid_in(s, 0);
                return;
            case 4:
                p.sid = pid_in(s, 0);
                return;
            case 5:
                p.uid = integer_of<std::uint32_t>(s);
                return;
            case 6:
                p.started_at_ms = time_in(s);
                return;
            case 7:
                return s.array([&] { p.cmdline.push_back(read_arg(s)); });
            case 16:
                p.fds_scanned = true;
                return s.array([&] { p.fds.push_back(read_descriptor(s)); });
            default:
                return read_bytes(s, i, 8, bytes, targets);
        }
    });
    seen.require_first(8);
    finish_bytes(bytes, targets);
    p.state = snapshot_fields::state_letter(state);
    return p;
}

Socket read_socket(JsonScanner& s) {
    Socket k;
    std::array<BytesField, 5> bytes;
    const std::array<std::string*, 5> targets{&k.proto, &k.state, &k.local, &k.remote, &k.path};
    Seen seen;
    s.object([&](std::string_view key) {
        int i = seen.mark(k_socket_keys, key);
        switch (i) {
            case -1:
                return s.skip_value();
            case 0:
                k.inode = integer_of<std::uint64_t>(s);
                return;
            case 1:
                k.local_port = static_cast<int>(integer_in(s, 0, k_max_port));
                return;
            case 2:
                k.remote_port = static_cast<int>(integer_in(s, 0, k_max_port));
                return;
            case 3:
                k.peer_inode = integer_of<std::uint64_t>(s);
                return;
            case 4:
                k.netns = integer_of<std::uint64_t>(s);
                return;
            default:
                return read_bytes(s, i, 5, bytes, targets);
        }
    });
    seen.require_first(5);
    finish_bytes(bytes, targets);
    return k;
}

TmpEntry read_entry(JsonScanner& s) {
    TmpEntry e;
    std::string type;
    std::array<BytesField, 3> bytes;
    const std::array<std::string*, 3> targets{&e.path, &type, &e.link_target};
    Seen seen;
    s.object([&](std::string_view key) {
        int i = seen.mark(k_entry_keys, key);
        switch (i) {
            case -1:
                return s.skip_value();
            case 0:
                e.dev = integer_of<std::uint64_t>(s);
                return;
            case 1:
                e.inode = integer_of<std::uint64_t>(s);
                return;
            case 2:
                e.uid = integer_of<std::uint32_t>(s);
                return;
            case 3:
                e.size = integer_of<std::uint64_t>(s);
                return;
            case 4:
                e.entry_count = integer_of<std::uint64_t>(s);
                return;
            case 5:
                e.birth_ms = time_in(s);
                return;
            default:
                return read_bytes(s, i, 6, bytes, targets);
        }
    });
    seen.require_first(6);
    finish_bytes(bytes, targets);
    e.type = entry_type_of(type);
    return e;
}

// The required keys first: Seen::require_first.
constexpr KeyTable<11> k_root_keys{"schema",  "taken_at_ms",    "watched", "processes",   "sockets", "tmp",
                                   "boot_id", "boot_id_base64", "host",    "host_base64", "redacted"};

template <class Read>
void read_list(JsonScanner& s, SnapshotSink& sink, SnapshotList list, Read&& read) {
    // begin() once the value is known to be an array, as the exact reader calls it.
    if (s.next() != '[') throw GiveUp{};
    sink.begin(list);
    s.array([&] {
        s.bound_values(k_max_element_values);
        sink.add(read(s));
    });
    s.bound_values(SIZE_MAX);
}

SnapshotRead read_document(JsonScanner& s, SnapshotSink& sink) {
    SnapshotRead r;
    std::string schema;
    std::array<BytesField, 2> bytes;
    const std::array<std::string*, 2> targets{&r.meta.boot_id, &r.meta.host};
    Seen seen;
    s.object([&](std::string_view key) {
        int i = seen.mark(k_root_keys, key);
        switch (i) {
            case -1:
                return s.skip_value();
            case 0:
                if (s.next() != '"') throw GiveUp{};
                return s.string(schema);
            case 1:
                r.snapshot.taken_at_ms = time_in(s);
                return;
            case 2:
                if (s.next() != '[') throw GiveUp{};  // the exact reader would iterate an object's values
                return s.array([&] {
                    if (s.next() != '"') return s.skip_value();
                    s.string(r.snapshot.watched.emplace_back());
                });
            case 3:
                return read_list(s, sink, SnapshotList::processes, read_process);
            case 4:
                return read_list(s, sink, SnapshotList::sockets, read_socket);
            case 5:
                return read_list(s, sink, SnapshotList::tmp, read_entry);
            case 10:
                if (s.next() != 't' && s.next() != 'f') return s.skip_value();
                r.meta.redacted = s.boolean();
                return;
            default:
                return read_bytes(s, i, 6, bytes, targets);
        }
    });
    if (!s.at_end()) throw GiveUp{};
    seen.require_first(6);
    if (!schema_readable(schema)) throw GiveUp{};
    finish_bytes(bytes, targets);
    return r;
}

}  // namespace

std::optional<SnapshotRead> read_snapshot_json_fast(std::string_view text, SnapshotSink& sink) {
    try {
        JsonScanner scanner(text);
        return read_document(scanner, sink);
    } catch (const GiveUp&) {
        return std::nullopt;
    }
}

std::optional<SnapshotRead> read_snapshot_json_fast(const SnapshotChunkReader& read, std::size_t limit,
                                                    SnapshotSink& sink) {
    try {
        JsonScanner scanner(read, limit);
        return read_document(scanner, sink);
    } catch (const GiveUp&) {
        return std::nullopt;
    }
}

}  // namespace leakaudit
