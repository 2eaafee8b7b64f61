// Limits checked before toml++ sees a file: toml++ recurses per dotted-key part and per
// nesting level, so a 40,000-part key (`a.a.a… = 1`) or 100,000 nested arrays would
// overflow the stack. A cheap scan that knows strings and comments finds them first.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rules/diagnostic.hpp"

namespace leakaudit {

inline constexpr int k_max_key_parts = 64;
inline constexpr int k_max_nesting = 64;

// The first place where `text` exceeds k_max_key_parts or k_max_nesting, as a
// diagnostic of file `name`; nullopt when within both.
std::optional<Diagnostic> check_toml_shape(std::string_view text, const std::string& name);

}  // namespace leakaudit
