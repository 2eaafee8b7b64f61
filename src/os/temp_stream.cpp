// The streaming sink of the one walk (os/temp_walker.cpp): an entry outside any open
// folder leaves at once; inside one, it is packed into an arena (a fixed head, its name
// and link target: no allocation per entry, and no repeated parent paths) whose folder
// heads are patched with their totals when done, and the arena is handed on once the
// outermost folder is done, each path rebuilt from its folder's.
#include "os/temp_stream.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "os/temp_walker.hpp"

namespace leakaudit::os {
namespace {

struct PackedHead {
    std::uint64_t dev;
    std::uint64_t inode;
    std::uint64_t size;
    std::uint64_t entry_count;
    std::int64_t birth_ms;
    std::uint32_t uid;
    std::uint32_t name_length;  // the whole path for the outermost folder (depth 0)
    std::uint16_t link_length;  // at most a readlink buffer
    std::uint16_t depth;        // folders open around it; the walk's depth bound is far below 65,536
    EntryType type;
};

class StreamSink : public WalkSink {
public:
    explicit StreamSink(const std::function<void(TmpEntry&)>& emit) : m_emit(emit) {}

    void entry(TmpEntry& entry) override {
        bool folder = entry.type == EntryType::dir;
        if (!folder && m_open.empty()) {
            m_emit(entry);  // nothing waits for its totals
            return;
        }
        std::size_t depth = m_open.size();
        if (folder) m_open.push_back(m_arena.size());
        pack(entry, depth);
    }

    void folder_done(const WalkTotals& totals) override {
        std::size_t at = m_open.back();
        m_open.pop_back();
        PackedHead head;
        std::memcpy(&head, m_arena.data() + at, sizeof head);
        head.size = totals.size;
        head.entry_count = totals.count;
        std::memcpy(m_arena.data() + at, &head, sizeof head);
        if (m_open.empty()) flush();
    }

private:
    void pack(const TmpEntry& e, std::size_t depth) {
        // Inside the outermost folder the parent's path is never a root's, so it is all
        // before the last slash.
        std::string_view name = e.path;
        if (depth > 0) name.remove_prefix(name.rfind('/') + 1);
        PackedHead head{e.dev,
                        e.inode,
                        e.size,
                        e.entry_count,
                        e.birth_ms,
                        e.uid,
                        static_cast<std::uint32_t>(name.size()),
                        static_cast<std::uint16_t>(e.link_target.size()),
                        static_cast<std::uint16_t>(depth),
                        e.type};
        m_arena.append(reinterpret_cast<const char*>(&head), sizeof head);
        m_arena += name;
        m_arena += e.link_target;
    }

    void flush() {
        for (std::size_t at = 0; at < m_arena.size();) {
            PackedHead head;
            std::memcpy(&head, m_arena.data() + at, sizeof head);
            at += sizeof head;
            if (head.depth > 0) {
                m_path.resize(m_folder_ends[head.depth - 1]);
                m_path += '/';
                m_path.append(m_arena, at, head.name_length);
            } else {
                m_path.assign(m_arena, at, head.name_length);
            }
            at += head.name_length;
            if (head.type == EntryType::dir) {
                m_folder_ends.resize(head.depth + std::size_t{1});
                m_folder_ends[head.depth] = m_path.size();
            }
            m_out.path.assign(m_path);  // the receiver may change it (redaction)
            m_out.link_target.assign(m_arena, at, head.link_length);
            at += head.link_length;
            m_out.type = head.type;
            m_out.dev = head.dev;
            m_out.inode = head.inode;
            m_out.uid = head.uid;
            m_out.size = head.size;
            m_out.entry_count = head.entry_count;
            m_out.birth_ms = head.birth_ms;
            m_emit(m_out);
        }
        m_arena.clear();  // its capacity is kept for the next folder
    }

    const std::function<void(TmpEntry&)>& m_emit;
    std::string m_arena;
    std::vector<std::size_t> m_open;  // arena offsets of the folders being read, outermost first
    std::string m_path;                      // the path being rebuilt
    std::vector<std::size_t> m_folder_ends;  // m_path's length at each depth's folder
    TmpEntry m_out;
};

}  // namespace

TempScan stream_watched(const std::vector<std::string>& roots, const std::function<void(TmpEntry&)>& emit,
                        const WalkOptions& options) {
    TempScan scan;
    for (const std::string& root : roots) {
        dev_t dev = 0;
        UniqueFd fd = open_watched_root(root, dev, &scan.warnings);
        if (!fd) continue;
        StreamSink sink(emit);
        TreeWalk walk(scan, sink, options, dev);
        walk.walk_root(std::move(fd), root);
        walk.finish(root);
    }
    return scan;
}

}  // namespace leakaudit::os
