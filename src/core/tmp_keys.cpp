// Sorted by (hash, dev, inode): a look-up is a binary search plus a compare of the few
// paths that share a hash; sorting once after the last add is cheaper than a hash table
// of 20,000 nodes, and half its size.
#include "core/tmp_keys.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <stdexcept>
#include <tuple>

namespace leakaudit {

bool TmpKeySet::slot_less(const Slot& a, const Slot& b) {
    return std::tie(a.hash, a.dev, a.inode) < std::tie(b.hash, b.dev, b.inode);
}

std::uint64_t path_hash(std::string_view path) {
    return std::hash<std::string_view>{}(path);
}

TmpKeySet::TmpKeySet(const std::vector<TmpEntry>& entries) {
    m_slots.reserve(entries.size());
    for (const TmpEntry& e : entries)
        add(e.path, e.dev, e.inode);
    seal();
}

void TmpKeySet::add(std::string_view path, std::uint64_t dev, std::uint64_t inode) {
    // A snapshot is at most 256 MiB (README, "Limits"); a set built from plain data may
    // not be, and must say so rather than wrap an offset.
    if (m_paths.size() + path.size() > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("temp entry paths over 4 GiB");
    Slot slot{path_hash(path), dev, inode, static_cast<std::uint32_t>(m_paths.size()),
              static_cast<std::uint32_t>(path.size())};
    m_paths.append(path);
    m_sorted = m_sorted && (m_slots.empty() || !slot_less(slot, m_slots.back()));
    m_slots.push_back(slot);
}

void TmpKeySet::clear() {
    m_paths.clear();
    m_slots.clear();
    m_sorted = true;
}

void TmpKeySet::seal() {
    sort_slots();
}

void TmpKeySet::sort_slots() const {
    if (m_sorted) return;
    std::sort(m_slots.begin(), m_slots.end(), slot_less);
    m_sorted = true;
}

bool TmpKeySet::contains(std::string_view path, std::uint64_t dev, std::uint64_t inode) const {
    sort_slots();
    Slot probe{path_hash(path), dev, inode, 0, 0};
    auto [first, last] = std::equal_range(m_slots.begin(), m_slots.end(), probe, slot_less);
    return std::any_of(first, last, [&](const Slot& s) { return path_of(s) == path; });
}

}  // namespace leakaudit
