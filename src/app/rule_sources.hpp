// Where shipped rule packs live: next to the binary in a build tree, under the data
// directory of the install prefix otherwise (found from the binary's own location, so
// a relocated install still finds its packs).
#pragma once

#include <filesystem>
#include <vector>

namespace leakaudit {

std::vector<std::filesystem::path> rule_pack_dirs();

}  // namespace leakaudit
