// The temp walk as it was before the one-walk rewrite: the reference for its tests.
#pragma once

#include <string>
#include <vector>

#include "os/temp_walk.hpp"

namespace leakaudit::test {

os::TempScan reference_scan_watched(const std::vector<std::string>& roots, const os::WalkOptions& options = {});

}  // namespace leakaudit::test
