// Reading one rules file (TOML) into a RuleFile. Every problem in the file is reported,
// not just the first; the returned RuleFile holds the parts that were valid.
#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

#include "rules/diagnostic.hpp"
#include "rules/rule.hpp"

namespace leakaudit {

// `name` is how messages and RuleRefs name the file ("leakaudit.toml", a pack path…).
RuleFile parse_rule_file(std::string_view text, const std::string& name, Diagnostics& diagnostics);
RuleFile parse_rule_file(std::istream& in, const std::string& name, Diagnostics& diagnostics);
// A file that cannot be opened is one diagnostic naming the path.
RuleFile read_rule_file(const std::filesystem::path& path, const std::string& name, Diagnostics& diagnostics);

// Rules files are small; anything larger is a mistake (a log passed by accident).
inline constexpr std::size_t k_max_rule_file_bytes = std::size_t{8} * 1024 * 1024;

}  // namespace leakaudit
