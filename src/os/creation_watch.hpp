// Records which process created each entry under the watched folders during a run,
// through fanotify (FAN_CREATE with directory fid + name), so a new tmp entry can be
// attributed to its creator (Attribution::creator_pid) instead of to a time window.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/result.hpp"
#include "core/tmp_evidence.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

// thread: a reader thread drains events as they come; manual: the caller calls drain().
// stalled: a test knob (LEAKAUDIT_STALL_WATCH, README "Performance: what a run costs"):
// the kernel's default bounded queue (16384 events) and no read before stop(), so a
// burst of creations overflows it for real.
enum class WatchMode { thread, manual, stalled };

class CreationWatch {
public:
    explicit CreationWatch(std::vector<std::string> roots, const std::string& proc_root = "/proc");
    CreationWatch(const CreationWatch&) = delete;
    CreationWatch& operator=(const CreationWatch&) = delete;
    ~CreationWatch();

    // Watching once at least one root is watched; else why not (the caller degrades to
    // other attribution). Roots that could not be watched are listed in warnings().
    Result<void> start(WatchMode mode = WatchMode::thread);
    // Reads every queued event without blocking. Safe to call from any thread.
    void drain();
    // The creations from index `from` on (event order), read so far; for readings while
    // the run goes on (README "Cycles and growth"). Safe to call from any thread.
    std::vector<CreatedEntry> created_since(std::size_t from);
    // Stops watching, reads what is still queued, and returns the creations in event order.
    std::vector<CreatedEntry> stop();

    bool overflowed() const { return m_overflowed; }  // FAN_Q_OVERFLOW: some events were lost
    const std::vector<std::string>& watched_roots() const { return m_watched; }
    const std::vector<std::string>& warnings() const { return m_warnings; }

private:
    struct Root {
        std::string given;      // as the caller spelled it
        std::string canonical;  // realpath: what a resolved handle reads back as
        UniqueFd mount_fd;      // for open_by_handle_at
        std::uint64_t fsid = 0;
    };

    Result<void> init_group(bool bounded_queue);
    bool mark_root(Root& root);
    void reader_loop();
    void handle_buffer(const char* data, std::size_t length);
    void handle_dfid_name(const char* info, int pid, bool is_dir);
    std::optional<std::string> resolve(const Root& root, const char* handle, const char* name,
                                       std::optional<EntryIdentity>& identity) const;
    std::string under_roots(const std::string& canonical_path) const;
    // Whether the folder with this handle was found outside every root (its creations
    // are not looked at again); forget all when a folder moves (it may move in).
    bool known_outside(const std::string& key) const { return m_outside.count(key) != 0; }
    void note_outside(std::string key);

    std::vector<Root> m_roots;
    std::vector<std::string> m_watched;
    std::vector<std::string> m_warnings;
    UniqueFd m_proc;
    UniqueFd m_fan;
    UniqueFd m_stop_event;
    std::thread m_thread;
    std::mutex m_mutex;  // guards m_entries and the fanotify reads
    std::vector<CreatedEntry> m_entries;
    std::atomic<bool> m_overflowed{false};
    bool m_stalled = false;                     // WatchMode::stalled until stop()
    std::unordered_set<std::string> m_outside;  // fsid + handle of folders outside the roots
};

}  // namespace leakaudit::os
