// `diff`'s compact model (ARCHITECTURE.md, "Compact diff"): BEFORE is read into what the
// diff compares against (process identities, the --pid hosts whole, the temp entries'
// identities), then AFTER is streamed against it, keeping whole only what can become a
// finding: new processes, the hosts, the sockets those hold, new temp entries. Every
// process stays as a record of its numbers, for the process tree (--pid narrowing).
// diff_findings on the two compact snapshots gives the findings of the whole ones.
#pragma once

#include <cstdint>
#include <set>
#include <unordered_set>
#include <vector>

#include "core/diff.hpp"
#include "core/snapshot_json.hpp"
#include "core/tmp_keys.hpp"

namespace leakaudit {

// How much of one process a diff keeps.
enum class ProcessKeep {
    whole,     // it can be a finding, or a --pid host: everything
    held,      // in a --pid diff: the descriptors that say which paths it holds open
    identity,  // its numbers only (pid, start, parent, user, state): tree and identity
};

ProcessKeep keep_in_before(const Process& p, const DiffScope& scope);
ProcessKeep keep_in_after(const Process& p, bool in_before, const DiffScope& scope);
// Drops what `keep` does not keep.
void reduce_process(Process& p, ProcessKeep keep);

// BEFORE: its processes reduced, no sockets (a diff reads AFTER's), the temp entries as
// a key set.
class CompactBefore : public SnapshotSink {
public:
    explicit CompactBefore(DiffScope scope) : m_scope(std::move(scope)) {}
    void begin(SnapshotList list) override;
    void add(Process&& p) override;
    void add(Socket&& s) override;
    void add(TmpEntry&& e) override;
    void restart() override;

    bool has(const ProcessId& id) const { return m_ids.count(id) != 0; }
    // The compact snapshot, with the root's fields of `read` (time, watched folders).
    Snapshot take(Snapshot root);
    const TmpKeySet& tmp_keys() const { return m_tmp; }

private:
    DiffScope m_scope;
    Snapshot m_snapshot;
    std::set<ProcessId> m_ids;
    TmpKeySet m_tmp;
};

// AFTER, decided element by element against a complete CompactBefore.
class CompactAfter : public SnapshotSink {
public:
    CompactAfter(const CompactBefore& before, DiffScope scope) : m_before(before), m_scope(std::move(scope)) {}
    void begin(SnapshotList list) override;
    void add(Process&& p) override;
    void add(Socket&& s) override;
    void add(TmpEntry&& e) override;
    void restart() override;

    // False when the stream could not decide what to drop, and the whole model must be
    // read instead: sockets listed before the processes that hold them, or a dropped
    // temp entry with the path of a kept one (a path listed twice).
    bool exact() const;
    Snapshot take(Snapshot root);

private:
    const CompactBefore& m_before;
    DiffScope m_scope;
    Snapshot m_snapshot;
    bool m_processes_read = false;                      // a processes list began: the socket filter is known
    bool m_sockets_dropped = false;                     // the current sockets list lost some
    bool m_processes_late = false;                      // a processes list began after sockets were dropped
    std::unordered_set<std::uint64_t> m_socket_inodes;  // held by what is kept
    std::vector<std::uint64_t> m_dropped_paths;         // path_hash of dropped temp entries
};

}  // namespace leakaudit
