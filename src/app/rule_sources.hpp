// Where shipped rule packs live: next to the binary in a build tree, under the data
// directory of the install prefix otherwise (found from the binary's own location, so
// a relocated install still finds its packs).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rules/rule_set.hpp"

namespace leakaudit {

std::vector<std::filesystem::path> rule_pack_dirs();

// Loads what `run` and `diff` load: the default pack, ./leakaudit.toml when present, then
// each --rules FILE|PACK. On any problem prints every diagnostic and returns nothing (exit 2).
std::optional<RuleSet> load_command_rules(const std::vector<std::string>& extra);

}  // namespace leakaudit
