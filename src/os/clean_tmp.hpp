// --clean-tmp: removes temp entries the run provably created. Never follows symlinks and
// never leaves the entry's own filesystem.
#pragma once

#include <string>
#include <vector>

namespace leakaudit::os {

// Removes `path` (a folder recursively); returns "" or why it could not.
std::string remove_entry(const std::string& path);

}  // namespace leakaudit::os
