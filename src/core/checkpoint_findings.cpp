// A descriptor is "the same" at both points when its number and what it refers to
// (inode, else target) match: a number reused for something else is a new descriptor.
// What the harness held under another number counts too, once per descriptor it held on
// it: a shell that writes `echo … >&$FD` saves its stdout under a spare number, points
// fd 1 elsewhere and puts it back, so a reading in between sees the same files under
// other numbers. A file opened once more than before is still new.
#include "core/checkpoint_findings.hpp"

#include <map>
#include <set>
#include <tuple>

#include "core/finding_id.hpp"
#include "core/process_findings.hpp"

namespace leakaudit {

namespace {

using FdKey = std::tuple<int, std::uint64_t, std::string>;

using FileKey = std::pair<std::uint64_t, std::string>;

FdKey key_of(const Descriptor& d) {
    return {d.fd, d.inode, d.inode ? std::string() : d.target};
}

FileKey file_of(const Descriptor& d) {
    return {d.inode, d.inode ? std::string() : d.target};
}

// The files of the control and ack pipes, from either reading.
std::set<FileKey> channel_files(const CheckpointInput& in) {
    std::set<FileKey> files;
    for (const auto* list : {&in.at_started, &in.at_stopped})
        for (const Descriptor& d : *list)
            for (int fd : in.channel_fds)
                if (d.fd == fd) files.insert(file_of(d));
    return files;
}

// The descriptors at `stopped` that the harness did not hold at `started`: same number
// and file first, then the same file under another number, one for one.
std::vector<const Descriptor*> new_descriptors(const CheckpointInput& in) {
    std::set<FdKey> exact;
    std::map<FileKey, int> spare;  // descriptors per file at `started` not matched exactly
    for (const Descriptor& d : in.at_started) {
        exact.insert(key_of(d));
        ++spare[file_of(d)];
    }
    std::set<FileKey> channel = channel_files(in);
    std::vector<const Descriptor*> unmatched;
    for (const Descriptor& d : in.at_stopped) {
        if (channel.count(file_of(d))) continue;
        if (exact.count(key_of(d)))
            --spare[file_of(d)];
        else
            unmatched.push_back(&d);
    }
    std::vector<const Descriptor*> fresh;
    for (const Descriptor* d : unmatched) {
        int& left = spare[file_of(*d)];
        if (left > 0)
            --left;
        else
            fresh.push_back(d);
    }
    return fresh;
}

std::string socket_hint(const Socket& s) {
    if (s.state == "listen") return "a server is still listening: close it in onStop() (await server.close())";
    if (s.proto == "unix" || s.remote.empty()) return "close the socket in onStop()";
    return "a connection is still open: end or destroy it (and its pool/agent) in onStop()";
}

std::string fd_hint(const Descriptor& d) {
    if (d.type == FdType::anon_inode) {
        return "an " + (d.anon_kind.empty() ? std::string("anon inode") : d.anon_kind) +
               " descriptor is still open: close the watcher/timer/event source in onStop()";
    }
    if (d.type == FdType::pipe) return "a pipe is still open: close both ends (and end the child using it) in onStop()";
    return "a file is still open: close it in onStop() (fs.closeSync, file.close())";
}

Finding socket_finding(const Descriptor& d, const Socket& s, int owner, const std::string& who) {
    Finding f;
    f.kind = Kind::socket;
    f.fd = d;
    f.socket = s;
    f.owner_pid = owner;
    f.attribution = Attribution::checkpoint;
    f.message =
        who + " still holds " + describe_socket(s) + " (fd " + std::to_string(d.fd) + ") after its plugin stopped";
    f.hint = socket_hint(s);
    // Ephemeral ports change run to run; the address family, state and path do not.
    std::string where = s.path.empty() ? s.local.substr(0, s.local.rfind(':')) : secret_folded(s.path);
    f.id = make_finding_id(Kind::socket, {s.proto, s.state, where});
    return f;
}

Finding fd_finding(const Descriptor& d, int owner, const std::string& who) {
    Finding f;
    f.kind = Kind::fd;
    f.fd = d;
    f.owner_pid = owner;
    f.attribution = Attribution::checkpoint;
    f.message = who + " still holds " + to_string(d.type) + " " + d.target + " (fd " + std::to_string(d.fd) +
                ") after its plugin stopped";
    f.hint = fd_hint(d);
    std::string what = d.type == FdType::file || d.type == FdType::dir ? secret_folded(d.target) : d.anon_kind;
    f.id = make_finding_id(Kind::fd, {to_string(d.type), what});
    return f;
}

}  // namespace

std::vector<Finding> checkpoint_findings(const CheckpointInput& in) {
    SocketIndex sockets(in.sockets);
    const std::string who = in.owner_label.empty() ? "the harness" : in.owner_label;

    std::vector<Finding> findings;
    for (const Descriptor* fresh : new_descriptors(in)) {
        const Descriptor& d = *fresh;
        if (d.type == FdType::socket) {
            const Socket* known = sockets.find(d.inode);
            Socket s = known ? *known : Socket{d.inode, "socket", "", "", "", 0, 0, "", 0, 0};
            findings.push_back(socket_finding(d, s, in.owner_pid, who));
        } else {
            findings.push_back(fd_finding(d, in.owner_pid, who));
        }
    }
    disambiguate_ids(findings);
    return findings;
}

std::vector<Finding> handle_findings(const std::vector<Handle>& handles) {
    std::vector<Finding> findings;
    for (const Handle& h : handles) {
        Finding f;
        f.kind = Kind::handle;
        f.handle = h;
        f.attribution = Attribution::reported;
        f.message = "the harness reports a live " + h.type + (h.detail.empty() ? "" : ": " + h.detail);
        f.hint = h.type == "Timeout" || h.type == "Interval"
                     ? "clear the timer in onStop() (clearInterval/clearTimeout), or unref() it"
                     : "release this handle in onStop(): it keeps the event loop alive";
        // The detail names ports and pids ("1 listening: 127.0.0.1:34307"): folded as a
        // command line is, so the same handle keeps its id run to run.
        f.id = make_finding_id(Kind::handle, {h.type, stable_command_key({h.detail})});
        findings.push_back(std::move(f));
    }
    disambiguate_ids(findings);
    return findings;
}

}  // namespace leakaudit
