// --clean-tmp: removes temp entries the run provably created (core/tmp_evidence.hpp
// decides which). Everything goes through descriptors: each level is opened from the
// watched root with openat(O_NOFOLLOW|O_DIRECTORY), the entry's device and inode are
// checked against what the creation watch recorded, and the tree is removed with
// unlinkat relative to directory descriptors. A symlink is never followed and the
// entry's filesystem is never left, even when a folder is swapped for a symlink while
// it is being removed.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace leakaudit::os {

struct RemovalTarget {
    std::string root;      // the watched folder, as given
    std::string relative;  // the entry below it ("a/b"), no "." or ".." parts
    std::uint64_t dev = 0;
    std::uint64_t inode = 0;
};

// Removes the entry (a folder recursively), or says why it could not.
Result<void> remove_entry(const RemovalTarget& target);

}  // namespace leakaudit::os
