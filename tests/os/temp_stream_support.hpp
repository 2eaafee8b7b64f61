// What the temp walk tests compare: an entry's fields, and what stream_watched hands on.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "os/temp_stream.hpp"

namespace leakaudit::test {

inline auto fields(const TmpEntry& e) {
    return std::tie(e.path, e.type, e.dev, e.inode, e.uid, e.size, e.entry_count, e.birth_ms, e.link_target);
}

inline std::vector<TmpEntry> streamed(const std::vector<std::string>& roots, os::TempScan& scan,
                                      const os::WalkOptions& options = {}) {
    std::vector<TmpEntry> entries;
    scan = os::stream_watched(
        roots, [&](TmpEntry& e) { entries.push_back(e); }, options);
    return entries;
}

}  // namespace leakaudit::test
