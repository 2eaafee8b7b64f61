// Writing TOML text by hand (for `rules check` and suggested rules): quoting strings and
// escaping values so they match literally as globs or regexes.
#pragma once

#include "core/text_bytes.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace leakaudit {

// A TOML basic string ("..."), escaping quotes, backslashes and control characters.
// `text` must be valid UTF-8: TOML cannot hold other bytes.
std::string toml_quote(std::string_view text);

// A glob that matches `text` literally: `*`, `?`, `[` and `\` become `[*]`, `[?]`, `[[]`, `[\]`.
std::string glob_escape(std::string_view text);

// An ECMAScript regex matching `text` literally, except that each byte of an invalid
// UTF-8 sequence becomes `.` (any one byte), since TOML cannot spell the byte itself.
std::string regex_escape_bytes(std::string_view text);

// "500ms", "2s", "5m", "1h": the largest unit that divides exactly.
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace leakaudit
