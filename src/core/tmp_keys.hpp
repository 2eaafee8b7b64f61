// The identities of a snapshot's temp entries (path, device, inode): all a diff needs of
// BEFORE's entries to tell which of AFTER's are new. The paths share one buffer, so
// 20,000 entries cost their bytes plus 32 bytes each (ARCHITECTURE.md, "Compact diff").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot.hpp"

namespace leakaudit {

class TmpKeySet {
public:
    TmpKeySet() = default;
    explicit TmpKeySet(const std::vector<TmpEntry>& entries);

    void add(std::string_view path, std::uint64_t dev, std::uint64_t inode);
    void clear();
    // Sorts what was added; contains() before seal() does it too, so the set is read
    // only after it is complete.
    void seal();
    bool contains(std::string_view path, std::uint64_t dev, std::uint64_t inode) const;
    bool contains(const TmpEntry& e) const { return contains(e.path, e.dev, e.inode); }
    std::size_t size() const { return m_slots.size(); }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint64_t dev = 0;
        std::uint64_t inode = 0;
        std::uint32_t offset = 0;
        std::uint32_t length = 0;
    };
    std::string_view path_of(const Slot& slot) const { return {m_paths.data() + slot.offset, slot.length}; }
    static bool slot_less(const Slot& a, const Slot& b);
    void sort_slots() const;

    std::string m_paths;
    mutable std::vector<Slot> m_slots;
    mutable bool m_sorted = true;
};

// One hash for a path, the same everywhere a diff compares paths by hash first.
std::uint64_t path_hash(std::string_view path);

}  // namespace leakaudit
