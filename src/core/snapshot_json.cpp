// The writer renders one list element at a time with nlohmann (so escaping and number
// formatting are nlohmann's, as before) and places it in the document by hand: the whole
// machine is never one JSON tree. Reading is in snapshot_json_read.cpp.
#include "core/snapshot_json.hpp"

#include <sstream>

#include "core/report_json.hpp"
#include "core/text_bytes.hpp"
#include "core/tmp_entry_json.hpp"

namespace leakaudit {

using json = nlohmann::ordered_json;

namespace {

// `value` dumped with one space per level, as if it stood `depth` levels deep.
std::string dump_at(const json& value, int depth) {
    std::string text = value.dump(1);
    std::string indent = "\n" + std::string(static_cast<std::size_t>(depth), ' ');
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        if (c == '\n')
            out += indent;
        else
            out += c;
    }
    return out;
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

}  // namespace

std::string snapshot_element_json(const Process& process) {
    return dump_at(process_json(process), 2);
}

std::string snapshot_element_json(const Socket& socket) {
    return dump_at(socket_json(socket), 2);
}

std::string snapshot_element_json(const TmpEntry& entry) {
    std::string text;
    append_tmp_entry_json(text, entry);  // nlohmann's text, written without a DOM per entry
    return text;
}

SnapshotJsonWriter::SnapshotJsonWriter(std::ostream& out, const SnapshotMeta& meta, std::int64_t taken_at_ms,
                                       const std::vector<std::string>& watched)
    : m_out(out) {
    json head = {{"schema", k_snapshot_schema}, {"tool", {{"name", "leakaudit"}, {"version", meta.tool_version}}},
                 {"boot_id", meta.boot_id},     {"host", meta.host},
                 {"taken_at_ms", taken_at_ms},  {"taken_at", iso8601_utc(taken_at_ms, true)},
                 {"redacted", meta.redacted},   {"watched", watched}};
    std::string text = head.dump(1);
    text.resize(text.size() - 2);  // "\n}": the lists and warnings follow
    m_out << text;
}

void SnapshotJsonWriter::begin_list(const char* key) {
    m_out << ",\n \"" << key << "\": [";
    m_empty = true;
}

void SnapshotJsonWriter::add(std::string_view element) {
    m_out << (m_empty ? "\n  " : ",\n  ") << element;
    m_empty = false;
}

void SnapshotJsonWriter::end_list() {
    m_out << (m_empty ? "]" : "\n ]");
}

void SnapshotJsonWriter::finish(const std::vector<std::string>& warnings) {
    json list = json::array();
    for (const std::string& w : warnings)
        list.push_back(to_display_utf8(w));
    m_out << ",\n \"warnings\": " << dump_at(list, 1) << "\n}\n";
}

void SnapshotJsonWriter::finish_after_processes(const Snapshot& s) {
    begin_list("sockets");
    for (const Socket& so : s.sockets)
        add(snapshot_element_json(so));
    end_list();
    begin_list("tmp");
    for (const TmpEntry& e : s.tmp)
        add(snapshot_element_json(e));
    end_list();
    finish(s.warnings);
}

void write_snapshot_json(const Snapshot& s, const SnapshotMeta& meta, std::ostream& out) {
    SnapshotJsonWriter writer(out, meta, s.taken_at_ms, s.watched);
    writer.begin_list("processes");
    for (const Process& p : s.processes)
        writer.add(snapshot_element_json(p));
    writer.end_list();
    writer.finish_after_processes(s);
}

}  // namespace leakaudit
